import { fileURLToPath } from 'node:url';
import { afterEach, describe, expect, it } from 'vitest';
import { createMemoryLogger } from '../../../local/log.js';
import { WorkerCrashError, WorkerStartError } from '../../../local/workers/errors.js';
import { EmulatorSupervisor } from '../../../local/workers/supervisor.js';
import type { EchoInit } from '../../fixtures/workers/echo-worker.js';

const ECHO = fileURLToPath(new URL('../../fixtures/workers/echo-worker.ts', import.meta.url));

/** Supervisors made by a test, stopped after it whatever happened. */
const made: EmulatorSupervisor[] = [];

function supervisor(options: Partial<ConstructorParameters<typeof EmulatorSupervisor>[0]> = {}) {
  const log = createMemoryLogger();
  const crashes: WorkerCrashError[] = [];
  const workers = new EmulatorSupervisor({ log, onCrash: (crash) => crashes.push(crash), ...options });
  made.push(workers);
  return { supervisor: workers, log, crashes };
}

function echo(name: string, init: EchoInit = {}, onNotice?: (topic: string, data: unknown) => void) {
  return { name, entry: ECHO, init, ...(onNotice ? { onNotice } : {}) };
}

async function waitFor(check: () => boolean, what: string): Promise<void> {
  const deadline = Date.now() + 10_000;
  while (!check()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

afterEach(async () => {
  await Promise.all(made.splice(0).map((s) => s.stopAll()));
});

describe('Class: EmulatorSupervisor', () => {
  it('starts a service in a worker thread that listens on its own port, and passes its lines and notices on', async () => {
    const notices: unknown[] = [];
    const { supervisor: workers, log } = supervisor();

    const started = await workers.start(echo('echo', {}, (topic, data) => notices.push({ topic, data })));
    const answer = (await (await fetch(`${started.url}/hello`)).json()) as { threadId: number };

    expect(started).toMatchObject({ name: 'echo', endpointKey: 'echo', webConfig: { echoUrl: started.url } });
    // Answered on the worker's own thread (the main thread is 0).
    expect(answer.threadId).toBe(started.threadId);
    expect(answer.threadId).not.toBe(0);
    expect(started.detail).toEqual({ threadId: started.threadId });
    expect(workers.running()).toEqual(['echo']);
    await waitFor(() => notices.length > 0, 'the notice');
    expect(notices).toEqual([{ topic: 'request', data: { path: '/hello' } }]);
    expect(log.lines).toEqual([`info echo: listening on ${started.url}`, '[echo] ready']);
  });

  it('stops the service (its port closes) and then its thread', async () => {
    const { supervisor: workers, crashes } = supervisor();
    const started = await workers.start(echo('echo'));

    await started.stop();

    expect(workers.running()).toEqual([]);
    await expect(fetch(started.url)).rejects.toThrow();
    expect(crashes).toEqual([]);
  });

  it('stops every service, the last started first, and may be asked twice', async () => {
    const { supervisor: workers, log } = supervisor();
    await workers.start(echo('first', { label: 'first' }));
    await workers.start(echo('second', { label: 'second' }));
    expect(workers.running()).toEqual(['first', 'second']);

    await Promise.all([workers.stopAll(), workers.stopAll()]);

    expect(workers.running()).toEqual([]);
    expect(log.lines.filter((l) => l.endsWith(': stopped'))).toEqual([
      'info second: stopped',
      'info first: stopped',
    ]);
  });

  it('refuses a second worker of the same name', async () => {
    const { supervisor: workers } = supervisor();
    await workers.start(echo('echo'));

    await expect(workers.start(echo('echo'))).rejects.toThrow(
      'echo: a worker of that name is already running',
    );
  });

  it('rejects with the reason when the service fails to start, and leaves no thread', async () => {
    const { supervisor: workers, crashes } = supervisor();

    const failed = workers.start(echo('echo', { mode: 'fail' }));

    await expect(failed).rejects.toThrow(WorkerStartError);
    await expect(failed).rejects.toThrow(
      'echo: did not start in its worker thread: no port for the echo service',
    );
    await waitFor(() => workers.running().length === 0, 'the thread to end');
    expect(crashes).toEqual([]);
  });

  it('surfaces a crash of a started worker as a WorkerCrashError naming the service and the error', async () => {
    const { supervisor: workers, crashes } = supervisor();
    const started = await workers.start(echo('echo'));

    await fetch(`${started.url}/crash`);
    await waitFor(() => crashes.length > 0, 'the crash');

    const [crash] = crashes;
    expect(crash).toBeInstanceOf(WorkerCrashError);
    expect(crash?.worker).toBe('echo');
    expect(crash?.message).toBe('echo: its worker thread crashed (TypeError: echo blew up)');
    expect(crash?.cause?.message).toBe('echo blew up');
    expect(workers.running()).toEqual([]);
    // Its port went with it.
    await expect(fetch(started.url)).rejects.toThrow();
    // Stopping what crashed is a no-op, not a second report.
    await started.stop();
    expect(crashes).toHaveLength(1);
  });

  it('writes a crash as an error line when nobody handles it', async () => {
    const log = createMemoryLogger();
    const workers = new EmulatorSupervisor({ log });
    made.push(workers);
    const started = await workers.start(echo('echo'));

    await fetch(`${started.url}/crash`);
    await waitFor(() => log.lines.some((l) => l.startsWith('error')), 'the error line');

    expect(log.lines.filter((l) => l.startsWith('error'))).toEqual([
      'error echo: its worker thread crashed (TypeError: echo blew up)',
    ]);
  });

  it('terminates a worker that does not stop in time, with a warning', async () => {
    const { supervisor: workers, log, crashes } = supervisor({ stopTimeoutMs: 200 });
    const started = await workers.start(echo('echo', { mode: 'hang' }));

    await started.stop();

    expect(workers.running()).toEqual([]);
    expect(log.lines).toContain('warn echo: its worker did not stop within 200 ms; terminated');
    expect(crashes).toEqual([]);
  });
});
