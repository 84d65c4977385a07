import { existsSync } from 'node:fs';
import { readFile, stat } from 'node:fs/promises';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { readTemplate, type TemplateModel } from '../../local/template/index.js';

// `sam build` must not touch the working tree (issue 10): SAM's esbuild builder runs
// `npm update --omit=dev` (build_in_source) or `npm install` wherever a function's CodeUri holds a
// package.json, which in the project root prunes the dev dependencies and moves transitive versions
// off the lock. scripts/check-sam.sh proves it with a real build; these hold the template to it.
const root = path.resolve(import.meta.dirname, '../..');
let model: TemplateModel;

beforeAll(async () => {
  model = await readTemplate(path.join(root, 'template.yaml'));
});

describe('sam build leaves the project as it is', () => {
  it('builds every function from a folder inside the project that has no package.json', async () => {
    expect(model.functions.length).toBeGreaterThan(0);
    for (const fn of model.functions) {
      const codeDir = path.resolve(root, fn.codeUri);
      expect(path.relative(root, codeDir), `${fn.logicalId}: CodeUri must not be the project root`).not.toBe(
        '',
      );
      expect(
        path.relative(root, codeDir).startsWith('..'),
        `${fn.logicalId}: CodeUri outside the project`,
      ).toBe(false);
      expect((await stat(codeDir)).isDirectory(), `${fn.logicalId}: ${fn.codeUri} is not a folder`).toBe(
        true,
      );
      expect(
        existsSync(path.join(codeDir, 'package.json')),
        `${fn.logicalId}: SAM would run npm in ${fn.codeUri}, which has a package.json`,
      ).toBe(false);
    }
  });

  it('builds in source in every samconfig environment, so SAM finds the project’s esbuild', async () => {
    // Without build_in_source SAM asks `npm root` in a scratch folder, finds no esbuild there and fails.
    const config = await readFile(path.join(root, 'samconfig.toml'), 'utf8');
    const buildSections = [...config.matchAll(/^\[([\w-]+)\.build\.parameters\]$([^[]*)/gm)];
    expect(buildSections.map((m) => m[1])).toEqual(expect.arrayContaining(['default', 'dev', 'prod']));
    for (const [, env, body] of buildSections) {
      expect(body, `samconfig.toml [${env}.build.parameters]`).toMatch(/^build_in_source = true$/m);
    }
  });
});
