/**
 * Writes the web app's API types from the OpenAPI documents (scripts/api-types.ts).
 *
 *   npm run gen:types              # write web/src/types/generated/*.ts
 *   npm run gen:types -- --check   # exit 1, naming them, when the committed files differ
 */
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { apiTypeFiles, generateApiTypes, ROOT } from './api-types.js';

const HELP = `Usage: npm run gen:types [-- --check]

Generates web/src/types/generated/{health,photos,posts}.ts from docs/{health,photos,posts}-api.yaml.

  --check   write nothing; exit 1 when a generated file is not what the documents give
  --help    this text
`;

async function main(args: string[]): Promise<number> {
  if (args.includes('--help')) {
    process.stdout.write(HELP);
    return 0;
  }
  const unknown = args.filter((arg) => arg !== '--check');
  if (unknown.length > 0) {
    process.stderr.write(`gen:types: unknown option ${unknown[0]} (see --help)\n`);
    return 2;
  }
  const check = args.includes('--check');
  const stale: string[] = [];
  for (const file of apiTypeFiles) {
    const text = await generateApiTypes(file);
    const target = path.join(ROOT, file.output);
    if (check) {
      const current = await readFile(target, 'utf8').catch(() => undefined);
      if (current !== text) stale.push(file.output);
      continue;
    }
    await mkdir(path.dirname(target), { recursive: true });
    await writeFile(target, text);
    process.stdout.write(`${file.document} -> ${file.output}\n`);
  }
  if (stale.length > 0) {
    process.stderr.write(`gen:types: out of date (run npm run gen:types): ${stale.join(', ')}\n`);
    return 1;
  }
  return 0;
}

process.exitCode = await main(process.argv.slice(2));
