import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { REPO_ROOT, runCli } from '../helpers/run-cli.js';

let project: string;
const LOG = [
  'START RequestId: req-1 Version: $LATEST',
  '{"level":"INFO","message":"item read","timestamp":"2026-11-27T17:11:47.605Z","correlation_id":"corr-1","photoId":"abc"}',
  '{"level":"ERROR","message":"item failed","timestamp":"2026-11-27T17:11:48.000Z","correlation_id":"corr-2"}',
  'END RequestId: req-1',
].join('\n');

beforeAll(async () => {
  project = await mkdtemp(path.join(tmpdir(), 'kumo-logs-'));
  const template = await readFile(path.join(REPO_ROOT, 'test/fixtures/tracing/template.yaml'), 'utf8');
  await writeFile(path.join(project, 'template.yaml'), template);
  await mkdir(path.join(project, '.kumo', 'logs'), { recursive: true });
  await writeFile(path.join(project, '.kumo', 'logs', 'GetItemFunction.log'), `${LOG}\n`);
});

afterAll(() => rm(project, { recursive: true, force: true }));

const logs = (...args: string[]) =>
  runCli('local/cli/logs.ts', [...args, '--template', path.join(project, 'template.yaml')]);

describe('npm run logs', () => {
  it('pretty-prints the function log: time, level, message, correlation id', async () => {
    const { code, stdout } = await logs('GetItemFunction');
    expect(code).toBe(0);
    expect(stdout.split('\n')).toContain('17:11:47.605 INFO   item read (corr-1) {"photoId":"abc"}');
    expect(stdout).toContain('START RequestId: req-1');
  });

  it('filters, and prints raw JSON lines with --json', async () => {
    const { code, stdout } = await logs('GetItemFunction', '--filter', 'corr-2', '--json');
    expect(code).toBe(0);
    expect(stdout.trim().split('\n')).toEqual([LOG.split('\n')[2]]);
  });

  it('exits 2 on an unknown function, naming the known ones', async () => {
    const { code, stderr } = await logs('NoSuchFunction');
    expect(code).toBe(2);
    expect(stderr).toContain('unknown function NoSuchFunction; known: GetItemFunction');
  });

  it('prints its help', async () => {
    const { code, stdout } = await runCli('local/cli/logs.ts', ['--help']);
    expect(code).toBe(0);
    expect(stdout).toContain('Usage: npm run logs -- <LogicalId>');
  });
});
