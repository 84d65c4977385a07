import { afterEach, describe, expect, it, vi } from 'vitest';
import { invocationLine, invocationsLine, keyFields } from '../../../local/console/invocation-line.js';
import { InvocationLog } from '../../../local/console/invocation-log.js';
import { createMemoryLogger } from '../../../local/log.js';

/** A Powertools Logger line as a function writes it (the standard keys, then the handler's own). */
function powertools(level: string, message: string, extra: Record<string, unknown> = {}): string {
  return JSON.stringify({
    level,
    message,
    timestamp: '2026-12-05T23:44:17.929Z',
    service: 'health-checker',
    cold_start: false,
    function_arn: 'arn:aws:lambda:us-east-1:000000000000:function:kumo-local-CheckSitesFunction',
    function_memory_size: '512',
    function_name: 'kumo-local-CheckSitesFunction',
    function_request_id: '2ffbc360-b41a-4320-b1fc-e8963441fb28',
    sampling_rate: 0,
    xray_trace_id: '1-6b14a1d1-3addd56700cdc8558283ea81',
    correlation_id: '47a386b3-f0a4-4fb1-8acb-6578007f37fb',
    ...extra,
  });
}

const COMPLETE = powertools('INFO', 'Health checks complete', {
  checked: 2,
  up: 1,
  down: 1,
  alerts: 1,
  failures: 0,
  skipped: 0,
  aborted: 0,
});

describe('Function: invocationLine()', () => {
  it("ends with the handler's last INFO message and its first fields; zeros after the third left out", () => {
    const line = invocationLine({
      logicalId: 'CheckSitesFunction',
      durationMs: 377.6,
      initDurationMs: 228.2,
      lines: [powertools('INFO', 'Seeded monitors', { created: ['a'] }), COMPLETE],
    });
    expect(line).toEqual({
      text: 'CheckSitesFunction 378 ms (init 228 ms) ok · Health checks complete checked=2 up=1 down=1 alerts=1',
      error: false,
    });
  });

  it('is the bare outcome when the function logged nothing', () => {
    expect(invocationLine({ logicalId: 'HealthApiFunction', durationMs: 8, lines: [] })).toEqual({
      text: 'HealthApiFunction 8 ms ok',
      error: false,
    });
  });

  it('names the error of a failed invocation on one line, and marks it an error', () => {
    const line = invocationLine({
      logicalId: 'PostsPollerFunction',
      durationMs: 12,
      error: { errorType: 'Error', errorMessage: 'X_API_BASE_URL must be a URL\n    at config.ts:12' },
      lines: [powertools('INFO', 'Poll started')],
    });
    expect(line).toEqual({
      text: 'PostsPollerFunction 12 ms Error: X_API_BASE_URL must be a URL at config.ts:12',
      error: true,
    });
  });

  it("shows an error the handler logged (with the error's message) and counts errors and warnings", () => {
    const line = invocationLine({
      logicalId: 'PostsPollerFunction',
      durationMs: 40,
      lines: [
        powertools('WARN', 'Invalid post in search response; skipped', { reason: 'no text' }),
        powertools('ERROR', 'X recent search failed', { status: 503 }),
        powertools('ERROR', 'Could not publish alert', {
          error: { name: 'Error', message: 'topic gone', stack: 'Error: topic gone\n at x' },
        }),
        powertools('INFO', 'Poll complete', { pages: 0 }),
      ],
    });
    expect(line).toEqual({
      text: 'PostsPollerFunction 40 ms ok · ERROR Could not publish alert error="topic gone" (2 errors, 1 warning)',
      error: true,
    });
  });

  it("reads Lambda's text format for console.* and ignores START/END/REPORT and stray output", () => {
    const line = invocationLine({
      logicalId: 'FlakyFunction',
      durationMs: 3,
      lines: [
        'START RequestId: r Version: $LATEST',
        '2026-12-05T23:44:17.929Z\tr\tINFO\tdone 3 items',
        'stray',
      ],
    });
    expect(line.text).toBe('FlakyFunction 3 ms ok · done 3 items');
  });

  it('never prints a raw JSON document, and clips long summaries', () => {
    const line = invocationLine({
      logicalId: 'PhotosApiFunction',
      durationMs: 5,
      lines: [powertools('INFO', 'x'.repeat(400), { nested: { a: 1 }, list: [1, 2] })],
    });
    expect(line.text).not.toMatch(/[{[]/);
    expect(line.text.length).toBeLessThan(220);
    expect(line.text.endsWith('…')).toBe(true);
  });
});

describe('Function: keyFields()', () => {
  it('keeps numbers, booleans and short strings; leaves out ids, ARNs, objects and long text', () => {
    expect(
      keyFields({
        streamName: 'kumo-local-PostsStream',
        notificationId: '64b650ec-a37e-4b69-8809-97f03470e726',
        alarmArn: 'arn:aws:cloudwatch:us-east-1:000000000000:alarm:x',
        checkpoint: { sinceId: '1' },
        direction: 'in',
        reason: 'at min shards',
        from: 1,
        to: 1,
        long: 'y'.repeat(60),
      }),
    ).toEqual([
      'streamName=kumo-local-PostsStream',
      'direction=in',
      'reason="at min shards"',
      'from=1',
      'to=1',
    ]);
  });
});

const batch = (records: number, durationMs: number, initDurationMs?: number) => ({
  logicalId: 'PostsConsumerFunction',
  durationMs,
  ...(initDurationMs === undefined ? {} : { initDurationMs }),
  lines: [powertools('INFO', 'Batch processed', { records, written: records, rejected: 0 })],
});

describe('Function: invocationsLine()', () => {
  it('makes one line of invocations that ended together, their numbers summed when the message is the same', () => {
    expect(invocationsLine([batch(27, 124), batch(28, 110.4, 330)])).toEqual({
      text: 'PostsConsumerFunction ×2 110–124 ms (1 cold) ok · Batch processed records=55 written=55 rejected=0',
      error: false,
    });
  });

  it('counts the warnings of all of them', () => {
    const warned = { ...batch(2, 9), lines: [powertools('WARN', 'Checkpoint moved'), ...batch(2, 9).lines] };
    expect(invocationsLine([batch(1, 4), warned]).text).toBe(
      'PostsConsumerFunction ×2 4–9 ms ok · Batch processed records=3 written=3 rejected=0 (1 warning)',
    );
  });

  it("keeps the last one's summary when the messages differ, and is the single line for one", () => {
    const other = { ...batch(1, 5), lines: [powertools('INFO', 'Nothing to do', { records: 0 })] };
    expect(invocationsLine([batch(3, 4), other]).text).toBe(
      'PostsConsumerFunction ×2 4–5 ms ok · Nothing to do records=0',
    );
    expect(invocationsLine([batch(3, 4)])).toEqual(invocationLine(batch(3, 4)));
  });
});

describe('Class: InvocationLog', () => {
  afterEach(() => {
    vi.useRealTimers();
  });

  it('without a window writes each invocation at once, a failed one as an error line', () => {
    const log = createMemoryLogger();
    const tones: (string | undefined)[] = [];
    const invocations = new InvocationLog({
      ...log,
      event: (s, m, tone) => {
        tones.push(tone);
        log.event(s, m);
      },
    });
    invocations.record('kinesis', batch(1, 5));
    invocations.record('schedule', {
      logicalId: 'PostsPollerFunction',
      durationMs: 3,
      error: { errorType: 'Error', errorMessage: 'boom' },
      lines: [],
    });
    expect(log.lines).toEqual([
      '[kinesis] PostsConsumerFunction 5 ms ok · Batch processed records=1 written=1 rejected=0',
      '[schedule] PostsPollerFunction 3 ms Error: boom',
    ]);
    expect(tones).toEqual([undefined, 'error']);
  });

  it('with a window shares one line per function and trigger, and writes a failure at once after what waited', () => {
    vi.useFakeTimers();
    const log = createMemoryLogger();
    const invocations = new InvocationLog(log, 1_000);
    invocations.record('kinesis', batch(27, 124));
    invocations.record('kinesis', batch(28, 110));
    invocations.record('api GET /health', { logicalId: 'HealthApiFunction', durationMs: 2, lines: [] });
    expect(log.lines).toEqual([]);
    vi.advanceTimersByTime(1_000);
    expect(log.lines).toEqual([
      '[kinesis] PostsConsumerFunction ×2 110–124 ms ok · Batch processed records=55 written=55 rejected=0',
      '[api GET /health] HealthApiFunction 2 ms ok',
    ]);
    invocations.record('kinesis', batch(1, 5));
    invocations.record('kinesis', {
      ...batch(1, 7),
      error: { errorType: 'Sandbox.Timedout', errorMessage: 'Task timed out after 3.00 seconds' },
    });
    expect(log.lines.slice(2)).toEqual([
      '[kinesis] PostsConsumerFunction 5 ms ok · Batch processed records=1 written=1 rejected=0',
      '[kinesis] PostsConsumerFunction 7 ms Sandbox.Timedout: Task timed out after 3.00 seconds',
    ]);
    invocations.record('kinesis', batch(2, 5));
    invocations.flushAll();
    expect(log.lines).toHaveLength(5);
  });

  it('gives stream and queue triggers their own window: a steady stream shares one line a minute', () => {
    vi.useFakeTimers();
    const log = createMemoryLogger();
    const invocations = new InvocationLog(log, 1_000, 60_000);
    for (let second = 0; second < 59; second++) {
      invocations.record('kinesis', batch(2, 10));
      invocations.record('api GET /health', { logicalId: 'HealthApiFunction', durationMs: 2, lines: [] });
      vi.advanceTimersByTime(1_000);
    }
    // The API's lines came a second at a time; the stream's are still waiting.
    expect(log.lines.filter((line) => line.startsWith('[kinesis]'))).toEqual([]);
    expect(log.lines.filter((line) => line.startsWith('[api'))).toHaveLength(59);
    vi.advanceTimersByTime(1_000);
    expect(log.lines.filter((line) => line.startsWith('[kinesis]'))).toEqual([
      '[kinesis] PostsConsumerFunction ×59 10 ms ok · Batch processed records=118 written=118 rejected=0',
    ]);
    // A failure is not held back by the longer window.
    invocations.record('kinesis', {
      ...batch(1, 7),
      error: { errorType: 'Sandbox.Timedout', errorMessage: 'Task timed out after 3.00 seconds' },
    });
    expect(log.lines.at(-1)).toBe(
      '[kinesis] PostsConsumerFunction 7 ms Sandbox.Timedout: Task timed out after 3.00 seconds',
    );
  });
});
