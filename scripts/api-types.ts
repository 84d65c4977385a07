/**
 * The web app's API types, generated from the OpenAPI documents in docs/ with openapi-typescript (the
 * version package.json pins), so that web/ cannot drift from the contracts the handlers are tested
 * against. Used by `npm run gen:types` and by the test that the committed files are up to date.
 */
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import openapiTS, { astToString } from 'openapi-typescript';

/** The repository root. */
export const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');

/** Each API: its document and the file generated from it (paths from the root). */
export const apiTypeFiles = [
  { api: 'health', document: 'docs/health-api.yaml', output: 'web/src/types/generated/health.ts' },
  { api: 'photos', document: 'docs/photos-api.yaml', output: 'web/src/types/generated/photos.ts' },
  { api: 'posts', document: 'docs/posts-api.yaml', output: 'web/src/types/generated/posts.ts' },
] as const;

/** One entry of {@link apiTypeFiles}. */
export type ApiTypeFile = (typeof apiTypeFiles)[number];

/** The TypeScript text generated from `file.document` (`root`: where the paths start). */
export async function generateApiTypes(file: ApiTypeFile, root = ROOT): Promise<string> {
  const ast = await openapiTS(pathToFileURL(path.join(root, file.document)));
  const header = [
    `// Generated from ${file.document} by \`npm run gen:types\` (openapi-typescript). Do not edit:`,
    '// change the document and run it again; test/unit/web/generated-types.test.ts checks it is current.',
    '',
  ].join('\n');
  return `${header}${astToString(ast)}`;
}
