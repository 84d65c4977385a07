/**
 * zod validates the health API's request bodies (HealthApiFunction) and stays out of the scheduled
 * checker's bundle (docs/performance.md: ~98 kB of CheckSitesFunction's). Read from esbuild's metafile,
 * with the template's settings.
 */
import path from 'node:path';
import { build } from 'esbuild';
import { beforeAll, describe, expect, it } from 'vitest';
import { esbuildOptions } from '../../../local/build/index.js';
import { readTemplate } from '../../../local/template/index.js';
import type { TemplateModel } from '../../../local/template/types.js';

const root = path.resolve(import.meta.dirname, '../../..');
let model: TemplateModel;

beforeAll(async () => {
  model = await readTemplate(path.join(root, 'template.yaml'));
});

/** The files of node_modules packages a function's bundle includes, by package path. */
async function bundledPackages(logicalId: string): Promise<string[]> {
  const fn = model.functions.find((f) => f.logicalId === logicalId);
  if (!fn) throw new Error(`${logicalId} is not in template.yaml`);
  const result = await build({
    ...esbuildOptions(fn, root, path.join(root, '.kumo', 'metafile-test')),
    metafile: true,
    write: false,
    sourcemap: false,
  });
  const packages = Object.keys(result.metafile.inputs).flatMap((input) => {
    const match = input.match(/^(.*node_modules\/(?:@[^/]+\/)?[^/]+)\//);
    return match?.[1] ? [match[1]] : [];
  });
  return [...new Set(packages)];
}

describe('Bundles: zod in the health functions', () => {
  it('CheckSitesFunction bundles no zod', async () => {
    const packages = await bundledPackages('CheckSitesFunction');
    expect(packages.some((p) => p.endsWith('node_modules/@aws-sdk/client-dynamodb'))).toBe(true);
    expect(packages.filter((p) => p.endsWith('/zod'))).toEqual([]);
  });

  it('HealthApiFunction still validates bodies with zod', async () => {
    const packages = await bundledPackages('HealthApiFunction');
    expect(packages.some((p) => p.endsWith('node_modules/zod'))).toBe(true);
  });
});
