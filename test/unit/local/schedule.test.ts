import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { scheduledEvent, startSchedules } from '../../../local/events/schedule.js';
import { createMemoryLogger } from '../../../local/log.js';
import { buildModel, parseTemplateText } from '../../../local/template/index.js';
import type { InvokeResult, Invoker } from '../../../local/types.js';
import { manualClock } from '../../helpers/manual-clock.js';
import { createRecordingInvoker } from '../../helpers/service-context.js';

const template = `
Resources:
  Fn:
    Type: AWS::Serverless::Function
    Properties:
      Handler: fn.handler
      Events:
        Every:
          Type: Schedule
          Properties: { Schedule: rate(5 minutes) }
        Scheduler:
          Type: ScheduleV2
          Properties: { ScheduleExpression: rate(1 hour), Input: '{"job":"nightly"}' }
        Off:
          Type: Schedule
          Properties: { Schedule: rate(1 minute), Enabled: false }
        Broken:
          Type: Schedule
          Properties: { Schedule: rate(1 minutes) }
`;

function recordingInvoker() {
  const calls: { logicalId: string; event: unknown }[] = [];
  const invoker: Invoker = {
    async invoke(logicalId, event): Promise<InvokeResult> {
      calls.push({ logicalId, event });
      return { requestId: 'r', ok: true, durationMs: 1 };
    },
  };
  return { calls, invoker };
}

const model = buildModel(parseTemplateText(template), path.resolve('template.yaml'), { stackName: 'st' });

describe('Function: startSchedules()', () => {
  beforeEach(() => {
    vi.useFakeTimers();
    vi.setSystemTime(new Date('2026-11-27T16:00:00Z'));
  });
  afterEach(() => vi.useRealTimers());

  it('fires each enabled rule on its period, reports bad expressions, skips disabled rules', async () => {
    const { calls, invoker } = recordingInvoker();
    const log = createMemoryLogger();
    const schedules = startSchedules({ model, invoker, log });
    expect(schedules.rules.map((r) => r.event)).toEqual(['Every', 'Scheduler']);
    expect(log.lines.some((l) => l.includes('schedule Off is disabled'))).toBe(true);
    expect(log.lines.some((l) => l.includes('schedule Broken not wired') && l.includes('"1 minute"'))).toBe(
      true,
    );

    await vi.advanceTimersByTimeAsync(5 * 60_000);
    expect(calls).toHaveLength(1);
    await vi.advanceTimersByTimeAsync(55 * 60_000);
    // 12 five-minute firings and one hourly in the first hour.
    expect(calls.filter((c) => (c.event as { source?: string }).source === 'aws.events')).toHaveLength(12);
    expect(calls.filter((c) => (c.event as { job?: string }).job === 'nightly')).toHaveLength(1);
    schedules.stop();
    await vi.advanceTimersByTimeAsync(60 * 60_000);
    expect(calls).toHaveLength(13);
  });

  it('runs the schedule clock faster with a time scale', async () => {
    const { calls, invoker } = recordingInvoker();
    const schedules = startSchedules({ model, invoker, log: createMemoryLogger(), timeScale: 60 });
    await vi.advanceTimersByTimeAsync(5_000);
    expect(calls).toHaveLength(1);
    expect(calls[0]?.event).toMatchObject({ time: '2026-11-27T16:05:00Z' });
    schedules.stop();
  });
});

describe('Function: startSchedules() with a failing function', () => {
  it('retries a failed scheduled invocation as Lambda retries asynchronous ones, on the local clock', async () => {
    const clock = manualClock(Date.parse('2026-11-27T16:00:00Z'));
    const invoker = createRecordingInvoker(() => ({
      ok: false,
      error: { errorType: 'Error', errorMessage: 'down' },
    }));
    const log = createMemoryLogger();
    const schedules = startSchedules({ model, invoker, log, clock });
    schedules.fireAll();
    await vi.waitFor(() => expect(clock.sleepers).toBe(2));
    // Both rules failed once; each retries after 1 s then 2 s of the local clock.
    expect(invoker.calls).toHaveLength(2);
    clock.advance(1_000);
    await vi.waitFor(() => expect(invoker.calls).toHaveLength(4));
    await vi.waitFor(() => expect(clock.sleepers).toBe(2));
    clock.advance(2_000);
    await vi.waitFor(() => expect(log.lines.filter((l) => l.startsWith('error'))).toHaveLength(2));
    expect(invoker.calls).toHaveLength(6);
    expect(log.lines).toContain('error schedule → Fn: event Every failed 3 times (Error: down); dropped');
    await schedules.stop();
  });
});

describe('Function: scheduledEvent()', () => {
  const fn = model.functions[0];
  it('builds the EventBridge rule payload for Schedule', () => {
    const event = fn?.events[0];
    if (!fn || event?.type !== 'Schedule') throw new Error('fixture');
    expect(scheduledEvent(model, fn, event, new Date('2026-11-27T16:05:00.123Z'))).toEqual({
      version: '0',
      id: expect.stringMatching(/^[0-9a-f-]{36}$/),
      'detail-type': 'Scheduled Event',
      source: 'aws.events',
      account: '000000000000',
      time: '2026-11-27T16:05:00Z',
      region: 'us-east-1',
      resources: ['arn:aws:events:us-east-1:000000000000:rule/st-FnEvery'],
      detail: {},
    });
  });

  it('builds EventBridge Scheduler’s default notification for ScheduleV2', () => {
    const event = fn?.events[1];
    if (!fn || event?.type !== 'Schedule') throw new Error('fixture');
    expect(scheduledEvent(model, fn, event, new Date('2026-11-27T16:05:00Z'))).toMatchObject({
      source: 'aws.scheduler',
      resources: ['arn:aws:scheduler:us-east-1:000000000000:schedule/default/st-FnScheduler'],
      detail: '{}',
    });
  });
});
