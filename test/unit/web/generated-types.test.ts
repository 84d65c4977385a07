import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { apiTypeFiles, generateApiTypes, ROOT } from '../../../scripts/api-types.js';

// openapi-typescript is a pinned devDependency: after `npm ci` it is there, and this runs it in-process.
describe.each(apiTypeFiles)('web types of the $api API', (file) => {
  it(`${file.output} is what openapi-typescript makes of ${file.document} (else: npm run gen:types)`, async () => {
    const committed = await readFile(path.join(ROOT, file.output), 'utf8');
    expect(committed).toBe(await generateApiTypes(file));
  });

  it(`web/src/types/${file.api}.ts derives from the generated types, with no hand-written shapes`, async () => {
    const source = await readFile(path.join(ROOT, `web/src/types/${file.api}.ts`), 'utf8');
    expect(source).toContain(`from './generated/${file.api}'`);
    expect(source).not.toMatch(/^export interface /m);
  });
});
