/**
 * Cold starts load rarely used clients and libraries on first use (docs/performance.md). Checked on
 * the bundles themselves: each handler is bundled with its template settings, the AWS SDK packages and
 * sharp left external so that a fresh Node process can record which of them loading the bundle
 * requires. Whatever a lazy import reaches must not be among them.
 */
import { spawnSync } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { build } from 'esbuild';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { esbuildOptions, splitHandler } from '../../local/build/index.js';
import { lambdaEnvironment } from '../../local/runner/index.js';
import { readTemplate } from '../../local/template/index.js';
import type { TemplateModel } from '../../local/template/types.js';

const root = path.resolve(import.meta.dirname, '../..');

// Loads the bundle and prints the external packages it required while loading, as JSON.
const RECORDER = `
const Module = require('node:module');
const seen = new Set();
const load = Module._load;
Module._load = function (request, ...rest) {
  if (request.startsWith('@aws-sdk/') || request === 'sharp') seen.add(request.split('/').slice(0, 2).join('/'));
  return load.call(this, request, ...rest);
};
require(process.argv[1]);
process.stdout.write(JSON.stringify([...seen].sort()));
`;

let model: TemplateModel;
let outDir: string;

beforeAll(async () => {
  model = await readTemplate(path.join(root, 'template.yaml'));
  outDir = await mkdtemp(path.join(tmpdir(), 'kumo-lazy-'));
});

afterAll(async () => {
  await rm(outDir, { recursive: true, force: true });
});

/** The external packages a function's bundle requires at init. */
async function requiredAtInit(logicalId: string): Promise<string[]> {
  const fn = model.functions.find((f) => f.logicalId === logicalId);
  if (!fn) throw new Error(`${logicalId} is not in template.yaml`);
  const dir = path.join(outDir, logicalId);
  const options = esbuildOptions(fn, root, dir);
  await build({
    ...options,
    external: [...(options.external ?? []), '@aws-sdk/*', 'sharp'],
    sourcemap: false,
    write: true,
  });
  await writeFile(path.join(dir, 'package.json'), '{"type":"commonjs"}\n');
  const bundle = path.join(dir, `${splitHandler(fn.handler).module}.js`);
  const env = {
    ...lambdaEnvironment({
      fn,
      region: 'us-east-1',
      endpoints: {},
      taskRoot: dir,
      logStreamName: 'test',
      hostPath: process.env.PATH,
      layerModulePaths: [path.join(root, 'node_modules')],
    }),
    NODE_OPTIONS: '',
  };
  const child = spawnSync(process.execPath, ['-e', RECORDER, bundle], { env, encoding: 'utf8' });
  if (child.status !== 0) throw new Error(`${logicalId} did not load: ${child.stderr}`);
  return JSON.parse(child.stdout) as string[];
}

describe('Lazy loading at cold start', () => {
  it('CheckSitesFunction: SNS only when alerting, SQS only when a run fans out', async () => {
    const loaded = await requiredAtInit('CheckSitesFunction');
    expect(loaded).toContain('@aws-sdk/client-dynamodb');
    expect(loaded).not.toContain('@aws-sdk/client-sns');
    expect(loaded).not.toContain('@aws-sdk/client-sqs');
  });

  it('CheckSliceFunction: SNS only when alerting', async () => {
    const loaded = await requiredAtInit('CheckSliceFunction');
    expect(loaded).toContain('@aws-sdk/client-dynamodb');
    expect(loaded).not.toContain('@aws-sdk/client-sns');
  });

  it('HealthApiFunction: SSM only when a cursor is signed', async () => {
    const loaded = await requiredAtInit('HealthApiFunction');
    expect(loaded).toContain('@aws-sdk/client-dynamodb');
    expect(loaded).not.toContain('@aws-sdk/client-ssm');
  });

  it('PhotosApiFunction: SSM for cursors and the POST presigner for uploads, on first use', async () => {
    const loaded = await requiredAtInit('PhotosApiFunction');
    expect(loaded).toEqual(expect.arrayContaining(['@aws-sdk/client-dynamodb', '@aws-sdk/client-s3']));
    expect(loaded).not.toContain('@aws-sdk/client-ssm');
    expect(loaded).not.toContain('@aws-sdk/s3-presigned-post');
  });

  it('LabelPhotoFunction: sharp on the first image', async () => {
    const loaded = await requiredAtInit('LabelPhotoFunction');
    expect(loaded).toEqual(
      expect.arrayContaining([
        '@aws-sdk/client-dynamodb',
        '@aws-sdk/client-rekognition',
        '@aws-sdk/client-s3',
      ]),
    );
    expect(loaded).not.toContain('sharp');
  });

  it('LabelPhotoFunction: no presigner in its bundle at all', async () => {
    const fn = model.functions.find((f) => f.logicalId === 'LabelPhotoFunction');
    if (!fn) throw new Error('LabelPhotoFunction is not in template.yaml');
    const result = await build({ ...esbuildOptions(fn, root, outDir), metafile: true, write: false });
    const inputs = Object.keys(result.metafile?.inputs ?? {});
    expect(inputs.some((input) => input.includes('s3-presigned-post'))).toBe(false);
    expect(inputs.some((input) => input.includes('s3-request-presigner'))).toBe(false);
  });

  it('PostsApiFunction: Kinesis only for the stream statistics', async () => {
    const loaded = await requiredAtInit('PostsApiFunction');
    expect(loaded).toContain('@aws-sdk/client-dynamodb');
    expect(loaded).not.toContain('@aws-sdk/client-kinesis');
  });
});
