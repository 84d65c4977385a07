import { execFile } from 'node:child_process';
import { readFile, rm } from 'node:fs/promises';
import path from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bundleFunctions } from '../../local/build/index.js';
import { createMemoryLogger } from '../../local/log.js';
import {
  BundleNotFoundError,
  type FunctionLogLine,
  FunctionRunner,
  type FunctionRunnerOptions,
  RunnerStoppedError,
  UnknownFunctionError,
} from '../../local/runner/index.js';
import type { TemplateModel } from '../../local/template/index.js';
import type { InvokeResult } from '../../local/types.js';
import { functionsModel, tempDir } from '../helpers/function-fixtures.js';

interface EchoPayload {
  event: unknown;
  invocations: number;
  seenBefore: string | null;
  pid: number;
  cwd: string;
  hours: number;
  context: Record<string, unknown>;
  env: Record<string, string>;
}

const execFileAsync = promisify(execFile);

const ENDPOINTS = { dynamodb: 'http://127.0.0.1:4502', cognito_identity_provider: 'http://127.0.0.1:4506' };

function payloadOf<T>(result: InvokeResult): T {
  expect(result.error).toBeUndefined();
  expect(result.ok).toBe(true);
  return result.payload as T;
}

function isRunning(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

describe('Class: FunctionRunner', () => {
  let model: TemplateModel;
  let buildDir: string;
  let logsDir: string;
  let runner: FunctionRunner;
  const log = createMemoryLogger();
  const lines: FunctionLogLine[] = [];
  const extraRunners: FunctionRunner[] = [];

  /** Another runner over the same bundles, stopped after the file. */
  function runnerWith(options: Partial<FunctionRunnerOptions>): FunctionRunner {
    const another = new FunctionRunner({
      model,
      buildDir,
      logsDir,
      endpoints: ENDPOINTS,
      log,
      logSink: () => {},
      ...options,
    });
    extraRunners.push(another);
    return another;
  }

  beforeAll(async () => {
    model = await functionsModel();
    buildDir = await tempDir('runner-build');
    logsDir = await tempDir('runner-logs');
    await bundleFunctions(model, { outDir: buildDir });
    // A function gets a clean environment: this must not reach it.
    process.env.KUMO_PARENT_ONLY = 'leaked';
    runner = new FunctionRunner({
      model,
      buildDir,
      logsDir,
      endpoints: ENDPOINTS,
      log,
      logSink: (line) => lines.push(line),
      extraEnv: { EXTRA_FLAG: 'on' },
      envVars: { EchoFunction: { PER_FUNCTION: 'yes' } },
    });
  });

  afterAll(async () => {
    delete process.env.KUMO_PARENT_ONLY;
    await Promise.all([runner.stop(), ...extraRunners.map((r) => r.stop())]);
    await Promise.all([buildDir, logsDir].map((dir) => rm(dir, { recursive: true, force: true })));
  });

  describe('results', () => {
    it('hands the handler the event and a Lambda-shaped context', async () => {
      const result = await runner.invoke('EchoFunction', { hello: 'world' });
      const payload = payloadOf<EchoPayload>(result);
      const fn = model.functions.find((f) => f.logicalId === 'EchoFunction');
      expect(payload.event).toEqual({ hello: 'world' });
      expect(payload.context).toMatchObject({
        awsRequestId: result.requestId,
        functionName: fn?.name,
        functionVersion: '$LATEST',
        invokedFunctionArn: fn?.arn,
        memoryLimitInMB: '256',
        logGroupName: `/aws/lambda/${fn?.name}`,
        logStreamName: expect.stringMatching(/^\d{4}\/\d{2}\/\d{2}\/\[\$LATEST\][0-9a-f]{32}$/),
        callbackWaitsForEmptyEventLoop: true,
      });
      expect(payload.context.remainingMs).toBeGreaterThan(4_000);
      expect(payload.context.remainingMs).toBeLessThanOrEqual(5_000);
      expect(payload.cwd).toBe(path.join(buildDir, 'EchoFunction'));
      expect(payload.hours).toBe(0);
      expect(result.requestId).toMatch(/^[0-9a-f-]{36}$/);
    });

    it('builds the environment from the template, the runtime, the endpoints and the overrides only', async () => {
      const { env } = payloadOf<EchoPayload>(await runner.invoke('EchoFunction', {}));
      const fn = model.functions.find((f) => f.logicalId === 'EchoFunction');
      expect(env).toMatchObject({
        GREETING: 'hello',
        STAGE: 'test',
        NODE_OPTIONS: '--enable-source-maps',
        AWS_ENDPOINT_URL_DYNAMODB: ENDPOINTS.dynamodb,
        AWS_ENDPOINT_URL_COGNITO_IDENTITY_PROVIDER: ENDPOINTS.cognito_identity_provider,
        AWS_ACCESS_KEY_ID: expect.any(String),
        AWS_SECRET_ACCESS_KEY: expect.any(String),
        AWS_SESSION_TOKEN: expect.any(String),
        AWS_REGION: model.region,
        AWS_DEFAULT_REGION: model.region,
        AWS_LAMBDA_FUNCTION_NAME: fn?.name,
        AWS_LAMBDA_FUNCTION_VERSION: '$LATEST',
        AWS_LAMBDA_FUNCTION_MEMORY_SIZE: '256',
        AWS_LAMBDA_LOG_GROUP_NAME: `/aws/lambda/${fn?.name}`,
        LAMBDA_TASK_ROOT: path.join(buildDir, 'EchoFunction'),
        _HANDLER: 'echo.handler',
        TZ: ':UTC',
        AWS_XRAY_CONTEXT_MISSING: 'IGNORE_ERROR',
        EXTRA_FLAG: 'on',
        PER_FUNCTION: 'yes',
      });
      expect(env.KUMO_PARENT_ONLY).toBeUndefined();
      expect(env.HOME).toBeUndefined();
      expect(env.AWS_LAMBDA_RUNTIME_API).toBeUndefined();
    });

    it('gives a thrown error Lambda’s shape, its trace mapped to the TypeScript source', async () => {
      const result = await runner.invoke('ThrowFunction', { reason: 'no monitor id' });
      expect(result.ok).toBe(false);
      expect(result.payload).toBeUndefined();
      expect(result.error).toMatchObject({ errorType: 'BadInputError', errorMessage: 'no monitor id' });
      expect(result.error?.trace?.[0]).toBe('BadInputError: no monitor id');
      expect(result.error?.trace?.[1]).toMatch(/handlers\/throw\.ts:\d+:\d+/);
    });

    it('runs callback-style handlers', async () => {
      const ok = await runner.invoke('CallbackFunction', {});
      expect(payloadOf(ok)).toMatchObject({ style: 'callback', requestId: ok.requestId });
      const failed = await runner.invoke('CallbackFunction', { fail: true });
      expect(failed.error).toMatchObject({ errorType: 'Error', errorMessage: 'callback failure' });
    });

    it('imports an ES module bundle', async () => {
      const { moduleUrl } = payloadOf<{ moduleUrl: string }>(await runner.invoke('EsmFunction', {}));
      expect(moduleUrl).toBe(`file://${path.join(buildDir, 'EsmFunction', 'esm.mjs')}`);
    });

    it('answers a failed init with the error, on every invocation, as Lambda does', async () => {
      for (let i = 0; i < 2; i++) {
        const result = await runner.invoke('BrokenInitFunction', {});
        expect(result.ok).toBe(false);
        expect(result.error).toMatchObject({
          errorType: 'Error',
          errorMessage: 'REQUIRED_SETTING is not set',
        });
        expect(result.initDurationMs).toBeGreaterThan(0);
      }
    });

    it('rejects an unknown logical id, listing the known ones', async () => {
      const attempt = runner.invoke('NopeFunction', {});
      await expect(attempt).rejects.toBeInstanceOf(UnknownFunctionError);
      await expect(attempt).rejects.toThrow(/unknown function NopeFunction; the template has EchoFunction, /);
    });

    it('rejects a function that has not been bundled, saying how to build it', async () => {
      const unbuilt = runnerWith({ buildDir: await tempDir('runner-empty') });
      await expect(unbuilt.invoke('EchoFunction', {})).rejects.toThrow(BundleNotFoundError);
      await expect(unbuilt.invoke('EchoFunction', {})).rejects.toThrow(
        /no bundle at .*echo\.js; run `npm run build`/,
      );
    });
  });

  describe('execution environments', () => {
    it('reuses a warm process: module state persists and there is no init', async () => {
      const warmRunner = runnerWith({});
      const first = await warmRunner.invoke('EchoFunction', {});
      const second = await warmRunner.invoke('EchoFunction', {});
      expect(first.initDurationMs).toBeGreaterThan(0);
      expect(second.initDurationMs).toBeUndefined();
      const [a, b] = [payloadOf<EchoPayload>(first), payloadOf<EchoPayload>(second)];
      expect(b.pid).toBe(a.pid);
      expect(b.invocations).toBe(a.invocations + 1);
      expect(b.seenBefore).toBe('echo');
    });

    it('keeps processes apart: a variable one function sets is not seen by another', async () => {
      await runner.invoke('EchoFunction', {});
      expect(payloadOf<{ echo: string | null }>(await runner.invoke('CallbackFunction', {})).echo).toBeNull();
    });

    it('survives process.exit(): Runtime.ExitError, then a cold start with fresh module state', async () => {
      expect(payloadOf(await runner.invoke('CrashFunction', {}))).toEqual({ invocations: 1 });
      expect(payloadOf(await runner.invoke('CrashFunction', {}))).toEqual({ invocations: 2 });
      const crashed = await runner.invoke('CrashFunction', { mode: 'exit' });
      expect(crashed.ok).toBe(false);
      expect(crashed.error?.errorType).toBe('Runtime.ExitError');
      expect(crashed.error?.errorMessage).toBe(
        `RequestId: ${crashed.requestId} Error: Runtime exited with error: exit status 3`,
      );
      const next = await runner.invoke('CrashFunction', {});
      expect(payloadOf(next)).toEqual({ invocations: 1 });
      expect(next.initDurationMs).toBeGreaterThan(0);
    });

    it('survives an uncaught exception and an unhandled rejection', async () => {
      const uncaught = await runner.invoke('CrashFunction', { mode: 'uncaught' });
      expect(uncaught.error).toMatchObject({ errorType: 'TypeError', errorMessage: 'thrown from a timer' });
      const rejected = await runner.invoke('CrashFunction', { mode: 'reject' });
      expect(rejected.error).toMatchObject({
        errorType: 'Runtime.UnhandledPromiseRejection',
        errorMessage: 'RangeError: nobody awaited me',
      });
      const next = await runner.invoke('CrashFunction', {});
      expect(payloadOf(next)).toEqual({ invocations: 1 });
    });

    it('ends an endless loop at the function’s Timeout, then serves the next invocation', async () => {
      const started = Date.now();
      const result = await runner.invoke('LoopFunction', { loop: true });
      expect(result).toMatchObject({
        ok: false,
        error: { errorType: 'Sandbox.Timedout', errorMessage: 'Task timed out after 1.00 seconds' },
      });
      expect(result.durationMs).toBeGreaterThanOrEqual(1_000);
      expect(Date.now() - started).toBeLessThan(3_000);
      const next = await runner.invoke('LoopFunction', {});
      expect(payloadOf(next)).toEqual({ invocations: 1, spins: 0 });
      expect(next.initDurationMs).toBeGreaterThan(0);
    });

    it('runs concurrent invocations of one function in separate processes', async () => {
      const started = Date.now();
      const results = await Promise.all([
        runner.invoke('SlowFunction', { ms: 400 }),
        runner.invoke('SlowFunction', { ms: 400 }),
      ]);
      const [a, b] = results.map((r) => payloadOf<{ pid: number }>(r));
      expect(a?.pid).not.toBe(b?.pid);
      expect(Date.now() - started).toBeLessThan(800);
    });

    it('queues invocations beyond maxConcurrencyPerFunction', async () => {
      const single = runnerWith({ maxConcurrencyPerFunction: 1 });
      const started = Date.now();
      const results = await Promise.all([
        single.invoke('SlowFunction', { ms: 200 }),
        single.invoke('SlowFunction', { ms: 200 }),
      ]);
      const [a, b] = results.map((r) => payloadOf<{ pid: number }>(r));
      expect(a?.pid).toBe(b?.pid);
      expect(Date.now() - started).toBeGreaterThanOrEqual(400);
    });

    it('ends a process idle for idleMs: the next invocation is a cold start', async () => {
      const brief = runnerWith({ idleMs: 100 });
      const first = payloadOf<EchoPayload>(await brief.invoke('EchoFunction', {}));
      await new Promise((resolve) => setTimeout(resolve, 400));
      expect(isRunning(first.pid)).toBe(false);
      const next = await brief.invoke('EchoFunction', {});
      expect(next.initDurationMs).toBeGreaterThan(0);
      expect(payloadOf<EchoPayload>(next).invocations).toBe(1);
    });

    it('holds a function to its ReservedConcurrentExecutions: the invocation over it waits for the busy one', async () => {
      const reserved = await functionsModel((raw) => {
        const slow = raw.Resources.SlowFunction as { Properties: Record<string, unknown> };
        slow.Properties.ReservedConcurrentExecutions = 1;
      });
      const capped = runnerWith({ model: reserved, maxConcurrencyPerFunction: 10 });
      expect(capped.concurrencyOf('SlowFunction')).toBe(1);
      expect(capped.concurrencyOf('EchoFunction')).toBe(10);
      const started = Date.now();
      const results = await Promise.all([
        capped.invoke('SlowFunction', { ms: 200 }),
        capped.invoke('SlowFunction', { ms: 200 }),
      ]);
      const [a, b] = results.map((r) => payloadOf<{ pid: number }>(r));
      expect(a?.pid).toBe(b?.pid);
      expect(Date.now() - started).toBeGreaterThanOrEqual(400);
      expect(capped.environments().SlowFunction).toEqual({ live: 1, idle: 1, queued: 0 });
    });

    it('reaps on a fake clock: one console line per sweep with logReaps, none without', async () => {
      let now = 0;
      const quiet = createMemoryLogger();
      const said = createMemoryLogger();
      const silent = runnerWith({ idleMs: 60_000, now: () => now, log: quiet });
      const verbose = runnerWith({ idleMs: 60_000, now: () => now, log: said, logReaps: true });
      const pids = await Promise.all(
        [silent, verbose].map(async (r) => payloadOf<EchoPayload>(await r.invoke('EchoFunction', {})).pid),
      );
      now += 59_999;
      expect([silent.reapIdle(), verbose.reapIdle()]).toEqual([0, 0]);
      now += 1;
      expect([silent.reapIdle(), verbose.reapIdle()]).toEqual([1, 1]);
      await new Promise((resolve) => setTimeout(resolve, 300));
      expect(pids.map(isRunning)).toEqual([false, false]);
      expect(quiet.lines.filter((l) => l.includes('execution environment'))).toEqual([]);
      expect(said.lines.filter((l) => l.includes('execution environment'))).toEqual([
        'info ended 1 execution environment(s) idle for 1 min: EchoFunction 1',
      ]);
    });

    it('stop() ends every process; later invocations reject', async () => {
      const stopping = runnerWith({});
      const { pid } = payloadOf<EchoPayload>(await stopping.invoke('EchoFunction', {}));
      expect(isRunning(pid)).toBe(true);
      await stopping.stop();
      expect(isRunning(pid)).toBe(false);
      await expect(stopping.invoke('EchoFunction', {})).rejects.toBeInstanceOf(RunnerStoppedError);
    });

    it('stop() settles with only idle environments left to hold the event loop (Ctrl-C after a quiet spell)', async () => {
      // In a process of its own: here vitest's own handles would keep the loop alive whatever happens.
      const script = path.join(import.meta.dirname, '../helpers/stop-idle-runner.ts');
      const { stdout } = await execFileAsync(
        process.execPath,
        ['--import', 'tsx', script, buildDir, await tempDir('runner-stop-logs')],
        { cwd: path.join(import.meta.dirname, '../..'), timeout: 60_000 },
      );
      expect(stdout.trim()).toBe('stopped');
    });
  });

  describe('logs', () => {
    it('forwards each output line to the sink and appends it, between START and REPORT, to the log file', async () => {
      const result = await runner.invoke('LogFunction', { marker: 'm-1' }, { source: 'test' });
      const mine = lines.filter((l) => l.logicalId === 'LogFunction' && l.line.includes('m-1'));
      // stdout and stderr are separate pipes: order holds within each, not across them.
      expect(mine.filter((l) => l.stream === 'stdout').map((l) => l.line)).toEqual([
        expect.stringMatching(new RegExp(`\\t${result.requestId}\\tINFO\\tplain line m-1$`)),
        JSON.stringify({ level: 'INFO', message: 'structured', marker: 'm-1' }),
        'partial line m-1',
      ]);
      expect(mine.filter((l) => l.stream === 'stderr').map((l) => l.line)).toEqual([
        expect.stringMatching(new RegExp(`\\t${result.requestId}\\tERROR\\tto stderr m-1$`)),
      ]);
      const file = (await readFile(path.join(logsDir, 'LogFunction.log'), 'utf8')).split('\n');
      const start = file.indexOf(`START RequestId: ${result.requestId} Version: $LATEST`);
      const end = file.indexOf(`END RequestId: ${result.requestId}`);
      expect(start).toBeGreaterThanOrEqual(0);
      expect(file.slice(start + 1, end)).toHaveLength(4);
      expect(file[end + 1]).toMatch(
        new RegExp(
          `^REPORT RequestId: ${result.requestId}\\tDuration: [\\d.]+ ms\\tBilled Duration: \\d+ ms\\tMemory Size: 128 MB\\tMax Memory Used: \\d+ MB\\tInit Duration: [\\d.]+ ms$`,
        ),
      );
      expect(log.lines).toContainEqual(
        // The console line names the error the function logged (its last INFO line would be the summary).
        expect.stringMatching(/^\[test\] LogFunction \d+ ms \(init \d+ ms\) ok · ERROR to stderr m-1$/),
      );
    });

    it('keeps what a timed-out invocation logged before it was stopped', async () => {
      const result = await runner.invoke('LoopFunction', { loop: true });
      const file = await readFile(path.join(logsDir, 'LoopFunction.log'), 'utf8');
      expect(file).toMatch(new RegExp(`\\t${result.requestId}\\tINFO\\tbefore the loop\\n`));
      expect(file).toMatch(
        new RegExp(
          `REPORT RequestId: ${result.requestId}\\t.*\\tStatus: timeout\\tError Type: Sandbox.Timedout`,
        ),
      );
      expect(log.lines).toContainEqual(
        `[invoke] LoopFunction ${Math.round(result.durationMs)} ms Sandbox.Timedout: Task timed out after 1.00 seconds`,
      );
    });
  });
});
