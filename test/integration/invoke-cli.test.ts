import { spawn } from 'node:child_process';
import { cp, readFile, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { CloudWatchClient, GetMetricStatisticsCommand, ListMetricsCommand } from '@aws-sdk/client-cloudwatch';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MAX_SYNC_PAYLOAD_BYTES } from '../../local/cli/read-event.js';
import { type LocalCloud, startLocalCloud } from '../../local/index.js';
import { createMemoryLogger } from '../../local/log.js';
import { FUNCTIONS_TEMPLATE, tempDir } from '../helpers/function-fixtures.js';
import { REPO_ROOT, runCli } from '../helpers/run-cli.js';

const INVOKE = 'local/cli/invoke.ts';

/** `npm run invoke`'s entry (package.json): plain JavaScript, run by node from the project root. */
function runFastEntry(
  cwd: string,
  args: string[],
): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [path.join(REPO_ROOT, 'local/cli/invoke-fast.mjs'), ...args], {
      cwd,
      env: { ...process.env, NO_COLOR: '1' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (chunk: string) => {
      stdout += chunk;
    });
    child.stderr.setEncoding('utf8').on('data', (chunk: string) => {
      stderr += chunk;
    });
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, stdout, stderr }));
  });
}

/** `${name}`, as kumo.local.json writes a local URL. */
const placeholder = (name: string) => `\${${name}}`;

/** A copy of the fixture project (template + handlers) in a temporary folder, with its own .kumo/. */
async function fixtureProject(): Promise<string> {
  const root = await tempDir('invoke');
  await cp(path.dirname(FUNCTIONS_TEMPLATE), root, { recursive: true });
  await writeFile(path.join(root, 'event.json'), JSON.stringify({ order: 42 }));
  await writeFile(path.join(root, 'broken.json'), '{ "order": ');
  return root;
}

describe('CLI: npm run invoke', () => {
  const roots: string[] = [];

  async function project(): Promise<{ root: string; template: string }> {
    const root = await fixtureProject();
    roots.push(root);
    return { root, template: path.join(root, 'template.yaml') };
  }

  afterAll(() => Promise.all(roots.map((root) => rm(root, { recursive: true, force: true }))));

  describe('bad usage: one line on stderr, exit 2', () => {
    let root: string;
    let template: string;
    beforeAll(async () => {
      ({ root, template } = await project());
      // One byte over Lambda's 6 MB synchronous payload limit.
      const padding = 'x'.repeat(MAX_SYNC_PAYLOAD_BYTES - '{"pad":""}'.length + 1);
      await writeFile(path.join(root, 'too-large.json'), JSON.stringify({ pad: padding }));
    });

    it.each([
      [
        'an unknown logical id, listing the known ones',
        ['NopeFunction'],
        /^kumo invoke: unknown function NopeFunction; known: EchoFunction, ThrowFunction, /,
      ],
      [
        'a missing event file',
        ['EchoFunction', '-e', 'missing.json'],
        /^kumo invoke: cannot read the event file missing\.json: no such file$/,
      ],
      [
        'an event file that is not JSON',
        ['EchoFunction', '-e', '<root>/broken.json'],
        /^kumo invoke: the event file .*broken\.json is not valid JSON: /,
      ],
      [
        "an event over Lambda's 6 MB, refused as Lambda refuses it",
        ['EchoFunction', '-e', '<root>/too-large.json'],
        /^kumo invoke: the event file .*too-large\.json is 6291457 bytes: Lambda refuses it \(RequestEntityTooLargeException: Request must be smaller than 6291456 bytes for the InvokeFunction operation\)$/,
      ],
      ['no logical id', [], /^kumo invoke: which function\? give its LogicalId/],
      ['an unknown option', ['EchoFunction', '--frobnicate'], /^kumo invoke: unknown option --frobnicate/],
      [
        'an unknown template parameter',
        ['EchoFunction', '--parameter-overrides', 'Nope=1'],
        /^kumo invoke: --parameter-overrides: the template has no parameter Nope$/,
      ],
    ])('%s', async (_name, args, message) => {
      const run = await runCli(INVOKE, [...args.map((a) => a.replace('<root>', root)), '-t', template]);
      expect(run.code).toBe(2);
      expect(run.stdout).toBe('');
      expect(run.stderr.trim().split('\n')).toHaveLength(1);
      expect(run.stderr.trim()).toMatch(message);
    });

    it('prints its usage with --help', async () => {
      const run = await runCli(INVOKE, ['--help']);
      expect(run.code).toBe(0);
      expect(run.stdout).toMatch(/^Usage: npm run invoke -- <LogicalId> \[options\]/);
    });
  });

  describe('without a running local cloud', () => {
    it('starts one, prints the result JSON on stdout and the logs and invocation line on stderr', async () => {
      const { root, template } = await project();
      const run = await runCli(INVOKE, ['EchoFunction', '-e', path.join(root, 'event.json'), '-t', template]);
      expect(run.stderr).toMatch(/no local cloud is running: starting one/);
      expect(run.stderr).toMatch(/\[invoke\] EchoFunction \d+ ms \(init \d+ ms\) ok/);
      expect(run.code).toBe(0);
      const payload = JSON.parse(run.stdout);
      expect(payload.event).toEqual({ order: 42 });
      expect(payload.env.AWS_ENDPOINT_URL_DYNAMODB).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    });

    it('npm run invoke (the plain-JS entry) hands over to the TypeScript CLI, which starts its own cloud', async () => {
      const { root } = await project();
      const run = await runFastEntry(root, ['EchoFunction', '-e', 'event.json']);
      expect(run.stderr).toMatch(/no local cloud is running: starting one/);
      expect(run.stderr).toMatch(/\[invoke\] EchoFunction \d+ ms \(init \d+ ms\) ok/);
      expect(run.code).toBe(0);
      expect(JSON.parse(run.stdout).event).toEqual({ order: 42 });
    });

    it('exits 1 with the error JSON on stdout when the handler fails', async () => {
      const { template } = await project();
      const run = await runCli(INVOKE, ['ThrowFunction', '-t', template]);
      expect(run.code).toBe(1);
      expect(JSON.parse(run.stdout)).toMatchObject({ errorType: 'BadInputError', errorMessage: 'bad input' });
      expect(run.stderr).toMatch(/\[invoke\] ThrowFunction \d+ ms \(init \d+ ms\) BadInputError: bad input/);
    });

    it("summarises the function's EMF metrics on stderr (the cloud of the invocation keeps none)", async () => {
      const { root, template } = await project();
      await writeFile(path.join(root, 'orders.json'), JSON.stringify({ orders: 3 }));
      const run = await runCli(INVOKE, ['EmfFunction', '-e', path.join(root, 'orders.json'), '-t', template]);
      expect(run.code).toBe(0);
      expect(JSON.parse(run.stdout)).toEqual({ orders: 3 });
      expect(run.stderr).toContain('EMF metrics (no running local CloudWatch keeps them):');
      expect(run.stderr).toContain('  Kumo/Fixture Orders {Service=fixture}: 3 Count');
      // The document itself is a metric, not a log line.
      expect(run.stderr).not.toContain('"_aws"');
    });
  });

  describe('with a running local cloud', () => {
    let cloud: LocalCloud;
    let root: string;
    let template: string;

    beforeAll(async () => {
      ({ root, template } = await project());
      // A parameter naming the X API makes the cloud start its local X API, whose URL is `${x}`.
      const text = await readFile(template, 'utf8');
      await writeFile(
        template,
        text.replace(
          /^Resources:$/m,
          'Parameters:\n  XApiBaseUrl:\n    Type: String\n    Default: https://api.x.com\n\nResources:',
        ),
      );
      await writeFile(
        path.join(root, 'kumo.local.json'),
        JSON.stringify({
          envVars: {
            EchoFunction: {
              X_API_BASE_URL: placeholder('x'),
              WEB_URL: placeholder('web'),
              API_URL: placeholder('api'),
            },
          },
        }),
      );
      cloud = await startLocalCloud({
        rootDir: root,
        portBase: 0,
        web: false,
        schedules: false,
        log: createMemoryLogger(),
      });
    });
    afterAll(() => cloud.stop());

    it('invokes against its service endpoints', async () => {
      const run = await runCli(INVOKE, ['EchoFunction', '-t', template]);
      expect(run.stderr).toContain(`against the local cloud running at ${cloud.endpoints.web}`);
      expect(run.code).toBe(0);
      const payload = JSON.parse(run.stdout);
      expect(payload.event).toEqual({});
      expect(payload.env.AWS_ENDPOINT_URL_DYNAMODB).toBe(cloud.endpoints.services.dynamodb);
    });

    it("fills every placeholder of kumo.local.json (web, api, x) with the running cloud's URLs, as npm start does", async () => {
      const run = await runCli(INVOKE, ['EchoFunction', '-t', template]);
      expect(run.code).toBe(0);
      const { env } = JSON.parse(run.stdout);
      expect(cloud.endpoints.x).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
      expect(env.X_API_BASE_URL).toBe(cloud.endpoints.x);
      expect(env.WEB_URL).toBe(cloud.endpoints.web);
      // What the running cloud gives its own functions (it read kumo.local.json with its URLs at start).
      expect(env.API_URL).toBe(cloud.config.envVars.EchoFunction?.API_URL);
      expect(run.stderr).not.toMatch(/\$\{x\}/);
    });

    it("sends the function's EMF metrics to the running cloud's CloudWatch, as npm start does", async () => {
      const cloudWatch = cloud.endpoints.services.cloudwatch;
      expect(cloudWatch).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
      const orders = path.join(root, 'orders.json');
      await writeFile(orders, JSON.stringify({ orders: 2 }));
      const run = await runCli(INVOKE, ['EmfFunction', '-e', orders, '-t', template]);
      expect(run.code).toBe(0);
      expect(run.stderr).toContain(
        `1 EMF metric(s) of Kumo/Fixture sent to the local CloudWatch at ${cloudWatch}`,
      );
      const client = new CloudWatchClient({
        endpoint: cloudWatch,
        region: 'us-east-1',
        credentials: { accessKeyId: 'x', secretAccessKey: 'x' },
      });
      try {
        const { Metrics } = await client.send(new ListMetricsCommand({ Namespace: 'Kumo/Fixture' }));
        expect(Metrics).toEqual([
          {
            Namespace: 'Kumo/Fixture',
            MetricName: 'Orders',
            Dimensions: [{ Name: 'Service', Value: 'fixture' }],
          },
        ]);
        const end = new Date(Date.now() + 60_000);
        const { Datapoints } = await client.send(
          new GetMetricStatisticsCommand({
            Namespace: 'Kumo/Fixture',
            MetricName: 'Orders',
            Dimensions: [{ Name: 'Service', Value: 'fixture' }],
            StartTime: new Date(end.getTime() - 600_000),
            EndTime: end,
            Period: 600,
            Statistics: ['Sum'],
          }),
        );
        expect(Datapoints?.map((d) => d.Sum)).toEqual([2]);
      } finally {
        client.destroy();
      }
    });

    it("invokes through the running cloud's warm execution environments: one process, no second init", async () => {
      const first = await runCli(INVOKE, ['EchoFunction', '-t', template]);
      const second = await runCli(INVOKE, ['EchoFunction', '-t', template]);
      expect([first.code, second.code]).toEqual([0, 0]);
      const [a, b] = [JSON.parse(first.stdout), JSON.parse(second.stdout)];
      expect(b.pid).toBe(a.pid);
      expect(b.invocations).toBe(a.invocations + 1);
      expect(second.stderr).toMatch(/\[invoke\] EchoFunction \d+ ms ok/);
      expect(second.stderr).not.toMatch(/init \d+ ms/);
    });

    it('npm run invoke (the plain-JS entry) answers through the running cloud, as the TypeScript CLI does', async () => {
      const run = await runFastEntry(root, ['EchoFunction', '-e', 'event.json']);
      expect(run.stderr).toContain(`against the local cloud running at ${cloud.endpoints.web}`);
      expect(run.stderr).toMatch(/\[invoke\] EchoFunction \d+ ms( \(init \d+ ms\))? ok/);
      expect(run.code).toBe(0);
      const payload = JSON.parse(run.stdout);
      expect(payload.event).toEqual({ order: 42 });
      expect(payload.env.AWS_ENDPOINT_URL_DYNAMODB).toBe(cloud.endpoints.services.dynamodb);
      expect(payload.env.WEB_URL).toBe(cloud.endpoints.web);
    });

    it('the plain-JS entry leaves what it does not handle to the TypeScript CLI (same messages, same codes)', async () => {
      const unknown = await runFastEntry(root, ['NopeFunction']);
      expect(unknown.code).toBe(2);
      expect(unknown.stderr.trim()).toMatch(
        /^kumo invoke: unknown function NopeFunction; known: EchoFunction, /,
      );
      const missing = await runFastEntry(root, ['EchoFunction', '-e', 'missing.json']);
      expect(missing.code).toBe(2);
      expect(missing.stderr.trim()).toBe(
        'kumo invoke: cannot read the event file missing.json: no such file',
      );
      const failing = await runFastEntry(root, ['ThrowFunction']);
      expect(failing.code).toBe(1);
      expect(JSON.parse(failing.stdout)).toMatchObject({
        errorType: 'BadInputError',
        errorMessage: 'bad input',
      });
    });

    it('POST /_kumo/invoke needs the run token (401 without, 403 wrong) and names an unknown function', async () => {
      const url = `${cloud.endpoints.web}/_kumo/invoke/EchoFunction`;
      const without = await fetch(url, { method: 'POST', body: '{}' });
      expect(without.status).toBe(401);
      const wrong = await fetch(url, { method: 'POST', body: '{}', headers: { 'X-Kumo-Token': 'nope' } });
      expect(wrong.status).toBe(403);
      const foreign = await fetch(url, {
        method: 'POST',
        body: '{}',
        headers: { 'X-Kumo-Token': cloud.token, Origin: 'https://evil.example' },
      });
      expect(foreign.status).toBe(403);
      expect(await foreign.json()).toMatchObject({ code: 'ForbiddenOrigin' });
      const unknown = await fetch(`${cloud.endpoints.web}/_kumo/invoke/NopeFunction`, {
        method: 'POST',
        body: '{}',
        headers: { 'X-Kumo-Token': cloud.token },
      });
      expect(unknown.status).toBe(404);
      expect(await unknown.json()).toEqual({
        message: 'Function not found: NopeFunction',
        code: 'ResourceNotFoundException',
      });
    });

    it('bundles a function again when its sources changed, and runs the new code in a new environment', async () => {
      const before = JSON.parse((await runFastEntry(root, ['EchoFunction'])).stdout);
      const handler = path.join(root, 'handlers', 'echo.ts');
      await writeFile(
        handler,
        (await readFile(handler, 'utf8')).replace('invocations += 1;', 'invocations += 100;'),
      );
      const run = await runFastEntry(root, ['EchoFunction']);
      expect(run.code).toBe(0);
      expect(run.stderr).toContain('EchoFunction: its sources changed: the running cloud bundled it again');
      const after = JSON.parse(run.stdout);
      expect(after.invocations).toBe(100);
      expect(after.pid).not.toBe(before.pid);
    });

    it('runs a function added to the template since the cloud started here, against that cloud', async () => {
      const text = await readFile(template, 'utf8');
      const echo = /^ {2}EchoFunction:\n(?: {4}.*\n|\n)+/m.exec(text)?.[0];
      expect(echo).toBeDefined();
      await writeFile(
        template,
        `${text.trimEnd()}\n${(echo ?? '').replace('EchoFunction:', 'LateEchoFunction:')}`,
      );
      const run = await runFastEntry(root, ['LateEchoFunction', '-e', 'event.json']);
      expect(run.stderr).toContain(`against the local cloud running at ${cloud.endpoints.web}`);
      expect(run.stderr).toMatch(/\[invoke\] LateEchoFunction \d+ ms \(init \d+ ms\) ok/);
      expect(run.code).toBe(0);
      const payload = JSON.parse(run.stdout);
      expect(payload.event).toEqual({ order: 42 });
      expect(payload.env.AWS_ENDPOINT_URL_DYNAMODB).toBe(cloud.endpoints.services.dynamodb);
    });
  });
});
