import { readdir, readFile, rm } from 'node:fs/promises';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  BuildError,
  BundleFailedError,
  bundleFunctions,
  bundlePath,
  esbuildOptions,
  MissingBuildMetadataError,
  splitHandler,
} from '../../../local/build/index.js';
import type { TemplateModel } from '../../../local/template/index.js';
import { functionsModel, tempDir } from '../../helpers/function-fixtures.js';

function fnOf(model: TemplateModel, logicalId: string) {
  const fn = model.functions.find((f) => f.logicalId === logicalId);
  if (!fn) throw new Error(`fixture has no ${logicalId}`);
  return fn;
}

describe('Function: splitHandler()', () => {
  it('splits file and export at the first dot after the last slash, as Lambda does', () => {
    expect(splitHandler('check-sites.handler')).toEqual({ module: 'check-sites', exportPath: 'handler' });
    expect(splitHandler('src/v1.2/app.handlers.main')).toEqual({
      module: 'src/v1.2/app',
      exportPath: 'handlers.main',
    });
  });

  it('rejects a handler without an export', () => {
    expect(() => splitHandler('index')).toThrow(/file\.export/);
    expect(() => splitHandler('index.')).toThrow(/file\.export/);
  });
});

describe('Function: bundlePath()', () => {
  it('names the bundle after the Handler, with the OutExtension esbuild was given', async () => {
    const model = await functionsModel();
    expect(bundlePath('/b', fnOf(model, 'EchoFunction'))).toBe('/b/EchoFunction/echo.js');
    expect(bundlePath('/b', fnOf(model, 'EsmFunction'))).toBe('/b/EsmFunction/esm.mjs');
  });
});

describe('Function: esbuildOptions()', () => {
  it('maps BuildProperties the way SAM’s esbuild builder does', async () => {
    const model = await functionsModel((raw) => {
      const echo = raw.Resources.EchoFunction as { Metadata: { BuildProperties: Record<string, unknown> } };
      Object.assign(echo.Metadata.BuildProperties, {
        External: ['@aws-sdk/*'],
        MainFields: 'module,main',
        Loader: ['.txt=text'],
      });
    });
    const options = esbuildOptions(fnOf(model, 'EchoFunction'), model.rootDir, '/out/EchoFunction');
    expect(options).toMatchObject({
      entryPoints: [path.join(model.rootDir, 'handlers', 'echo.ts')],
      outdir: '/out/EchoFunction',
      bundle: true,
      platform: 'node',
      format: 'cjs',
      target: 'node22',
      minify: true,
      sourcemap: true,
      external: ['@aws-sdk/*'],
      mainFields: ['module', 'main'],
      loader: { '.txt': 'text' },
    });
    expect(esbuildOptions(fnOf(model, 'EsmFunction'), model.rootDir, '/o')).toMatchObject({
      format: 'esm',
      minify: false,
      outExtension: { '.js': '.mjs' },
    });
  });

  it('resolves EntryPoints against the function’s CodeUri', async () => {
    const model = await functionsModel((raw) => {
      const echo = raw.Resources.EchoFunction as {
        Properties: Record<string, unknown>;
        Metadata: { BuildProperties: Record<string, unknown> };
      };
      echo.Properties.CodeUri = 'handlers';
      echo.Metadata.BuildProperties.EntryPoints = ['echo.ts'];
    });
    const options = esbuildOptions(fnOf(model, 'EchoFunction'), model.rootDir, '/o');
    expect(options.entryPoints).toEqual([path.join(model.rootDir, 'handlers', 'echo.ts')]);
  });
});

describe('Function: bundleFunctions()', () => {
  let outDir: string;
  let model: TemplateModel;

  beforeAll(async () => {
    outDir = await tempDir('build');
    model = await functionsModel();
  });
  afterAll(() => rm(outDir, { recursive: true, force: true }));

  it('writes one folder per function with the bundle, its source map and a commonjs package.json', async () => {
    const [echo] = await bundleFunctions(model, { outDir, functions: ['EchoFunction'] });
    expect(echo).toMatchObject({
      logicalId: 'EchoFunction',
      bundlePath: path.join(outDir, 'EchoFunction', 'echo.js'),
    });
    expect(echo?.bytes).toBeGreaterThan(100);
    expect(echo?.gzipBytes).toBeGreaterThan(0);
    expect(echo?.gzipBytes).toBeLessThan(echo?.bytes ?? 0);
    expect(echo?.ms).toBeGreaterThanOrEqual(0);
    expect((await readdir(path.join(outDir, 'EchoFunction'))).sort()).toEqual([
      'echo.js',
      'echo.js.map',
      'package.json',
    ]);
    expect(JSON.parse(await readFile(path.join(outDir, 'EchoFunction', 'package.json'), 'utf8'))).toEqual({
      type: 'commonjs',
    });
    const code = await readFile(path.join(outDir, 'EchoFunction', 'echo.js'), 'utf8');
    expect(code).toContain('module.exports');
    expect(code).toMatch(/sourceMappingURL=echo\.js\.map/);
  });

  it('leaves out the package.json of an esm bundle', async () => {
    await bundleFunctions(model, { outDir, functions: ['EsmFunction'] });
    expect(await readdir(path.join(outDir, 'EsmFunction'))).toEqual(['esm.mjs']);
  });

  it('bundles every function of the template when none is named', async () => {
    const results = await bundleFunctions(model, { outDir });
    expect(results.map((r) => r.logicalId)).toEqual(model.functions.map((f) => f.logicalId));
  });

  it('refuses, before building anything, a function without esbuild Metadata, naming it', async () => {
    const bare = await functionsModel((raw) => {
      delete raw.Resources.SlowFunction?.Metadata;
    });
    const dir = await tempDir('build-bare');
    const attempt = bundleFunctions(bare, { outDir: dir });
    await expect(attempt).rejects.toBeInstanceOf(MissingBuildMetadataError);
    await expect(attempt).rejects.toThrow(/SlowFunction has no esbuild Metadata/);
    expect(await readdir(dir)).toEqual([]);
  });

  it('names every function esbuild could not bundle', async () => {
    const broken = await functionsModel((raw) => {
      const slow = raw.Resources.SlowFunction as { Metadata: { BuildProperties: Record<string, unknown> } };
      slow.Metadata.BuildProperties.EntryPoints = ['handlers/missing.ts'];
    });
    const error = await bundleFunctions(broken, {
      outDir,
      functions: ['SlowFunction', 'EchoFunction'],
    }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(BundleFailedError);
    expect((error as BundleFailedError).failures).toEqual([
      {
        logicalId: 'SlowFunction',
        message: expect.stringMatching(/Could not resolve .*handlers\/missing\.ts/),
      },
    ]);
  });

  it('reports a Handler that names no file of the bundle', async () => {
    const wrong = await functionsModel((raw) => {
      (raw.Resources.SlowFunction as { Properties: Record<string, unknown> }).Properties.Handler =
        'index.handler';
    });
    const error = await bundleFunctions(wrong, { outDir, functions: ['SlowFunction'] }).catch(
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(BundleFailedError);
    expect((error as BundleFailedError).message).toMatch(
      /^SlowFunction: Handler index\.handler names no file of the bundle \(esbuild wrote slow\.js\)/,
    );
  });

  it('rejects an unknown logical id, listing the known ones', async () => {
    await expect(bundleFunctions(model, { outDir, functions: ['NopeFunction'] })).rejects.toThrow(BuildError);
    await expect(bundleFunctions(model, { outDir, functions: ['NopeFunction'] })).rejects.toThrow(
      /unknown function NopeFunction; the template has EchoFunction, /,
    );
  });
});
