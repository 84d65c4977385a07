import path from 'node:path';
import { describe, expect, it, vi } from 'vitest';
import { createMemoryLogger } from '../../../local/log.js';
import {
  AsyncInvoker,
  type AsyncInvokerOptions,
  asyncFailureRecord,
  asyncInvokeSettings,
  type QueueOrTopic,
} from '../../../local/runner/async-invoke.js';
import { readTemplate, type TemplateModel } from '../../../local/template/index.js';
import { manualClock } from '../../helpers/manual-clock.js';
import { createRecordingInvoker, fixtureModel } from '../../helpers/service-context.js';

const root = path.resolve(import.meta.dirname, '../../..');
const BOOM = { errorType: 'Error', errorMessage: 'boom' };

describe('Function: asyncInvokeSettings()', () => {
  it('applies Lambda’s defaults without an EventInvokeConfig', async () => {
    const model = await fixtureModel('async-invoke.yaml');
    const warnings: string[] = [];
    expect(asyncInvokeSettings(model, 'PlainFunction', (m) => warnings.push(m))).toEqual({
      functionArn: model.functions.find((f) => f.logicalId === 'PlainFunction')?.arn,
      maximumRetryAttempts: 2,
      maximumEventAgeSeconds: 21_600,
    });
    expect(warnings).toEqual([]);
  });

  it('reads retries, event age, the OnFailure destination and the dead-letter queue', async () => {
    const model = await fixtureModel('async-invoke.yaml');
    const warnings: string[] = [];
    expect(asyncInvokeSettings(model, 'QueuedFunction', (m) => warnings.push(m))).toMatchObject({
      maximumRetryAttempts: 1,
      onFailure: { kind: 'sqs', arn: expect.stringMatching(/^arn:aws:sqs:.*FailuresQueue$/) },
      deadLetter: { kind: 'sns', arn: expect.stringMatching(/^arn:aws:sns:.*FailuresTopic$/) },
    });
    expect(asyncInvokeSettings(model, 'ShortLivedFunction', (m) => warnings.push(m))).toMatchObject({
      maximumEventAgeSeconds: 60,
      onFailure: { kind: 'lambda', arn: expect.stringMatching(/:function:.*FailureHandlerFunction$/) },
    });
    expect(warnings).toEqual([]);
  });

  it('names what is out of Lambda’s limits or not emulated, and keeps the defaults for it', async () => {
    const model = await fixtureModel('async-invoke.yaml');
    const warnings: string[] = [];
    const settings = asyncInvokeSettings(model, 'MisconfiguredFunction', (m) => warnings.push(m));
    expect(settings).toMatchObject({ maximumRetryAttempts: 2, maximumEventAgeSeconds: 21_600 });
    expect(settings.onFailure).toBeUndefined();
    expect(warnings).toEqual([
      'MisconfiguredFunction EventInvokeConfig: MaximumRetryAttempts must be 0, 1 or 2 (got 5)',
      'MisconfiguredFunction EventInvokeConfig: MaximumEventAgeInSeconds must be 60 to 21600 (got 30)',
      'MisconfiguredFunction EventInvokeConfig: OnSuccess is not delivered locally',
      'MisconfiguredFunction EventInvokeConfig: OnFailure destination arn:aws:events:us-east-1:000000000000:event-bus/default is not delivered locally (SQS, SNS and Lambda are)',
    ]);
  });

  it('gives LabelPhotoFunction of template.yaml its failed-events queue, without warnings', async () => {
    const model = await readTemplate(path.join(root, 'template.yaml'));
    const warnings: string[] = [];
    expect(asyncInvokeSettings(model, 'LabelPhotoFunction', (m) => warnings.push(m))).toMatchObject({
      maximumRetryAttempts: 2,
      maximumEventAgeSeconds: 21_600,
      onFailure: { kind: 'sqs', arn: expect.stringContaining('LabelPhotoFailedEventsQueue') },
    });
    expect(warnings).toEqual([]);
  });
});

describe('Function: asyncFailureRecord()', () => {
  it('shapes the record as Lambda sends it to an OnFailure destination', () => {
    const record = asyncFailureRecord({
      requestId: 'r-1',
      functionArn: 'arn:aws:lambda:us-east-1:000000000000:function:f',
      attempts: 3,
      event: { Records: [] },
      error: BOOM,
      now: new Date('2025-01-15T12:00:00.000Z'),
    });
    expect(record).toEqual({
      version: '1.0',
      timestamp: '2025-01-15T12:00:00.000Z',
      requestContext: {
        requestId: 'r-1',
        functionArn: 'arn:aws:lambda:us-east-1:000000000000:function:f:$LATEST',
        condition: 'RetriesExhausted',
        approximateInvokeCount: 3,
      },
      requestPayload: { Records: [] },
      responseContext: { statusCode: 200, executedVersion: '$LATEST', functionError: 'Unhandled' },
      responsePayload: { errorType: 'Error', errorMessage: 'boom' },
    });
  });
});

/** A sender that records what reaches each queue or topic, or refuses everything. */
function recordingSender(refuse = false) {
  const sent: { destination: QueueOrTopic; document: unknown; attributes?: Record<string, string> }[] = [];
  return {
    sent,
    async deliver(destination: QueueOrTopic, document: unknown, attributes?: Record<string, string>) {
      if (refuse) throw new Error('queue does not exist');
      sent.push({ destination, document, ...(attributes ? { attributes } : {}) });
    },
  };
}

/**
 * An AsyncInvoker on a manual clock whose functions fail `failures` times, then succeed; each attempt
 * takes `attemptMs` of the clock.
 */
function setUp(
  model: TemplateModel,
  failures: number,
  options: Partial<AsyncInvokerOptions> = {},
  attemptMs = 0,
) {
  const clock = manualClock(Date.parse('2026-12-06T00:00:00Z'));
  const invoker = createRecordingInvoker((call) => {
    clock.advance(attemptMs);
    return invoker.calls.filter((c) => c.logicalId === call.logicalId).length <= failures
      ? { ok: false, error: BOOM }
      : { ok: true };
  });
  const log = createMemoryLogger();
  const destinations = recordingSender();
  const async = new AsyncInvoker({ model, invoker, log, clock, destinations, ...options });
  /** Waits until the invoker waits for its next retry. */
  const waiting = () => vi.waitFor(() => expect(clock.sleepers).toBe(1));
  return { clock, invoker, log, destinations, async, waiting };
}

describe('Class: AsyncInvoker', () => {
  it('invokes once when the function succeeds', async () => {
    const { async, invoker, log } = setUp(await fixtureModel('async-invoke.yaml'), 0);
    await expect(async.invoke('PlainFunction', { n: 1 }, { source: 's3', what: 'x' })).resolves.toEqual({
      status: 'succeeded',
      attempts: 1,
    });
    expect(invoker.calls).toEqual([
      { logicalId: 'PlainFunction', event: { n: 1 }, options: { source: 's3' } },
    ]);
    expect(log.lines).toEqual([]);
  });

  it('retries twice after 1 s then 2 s of the local clock, then drops the event with one error line', async () => {
    const { async, invoker, log, clock, waiting } = setUp(await fixtureModel('async-invoke.yaml'), 5);
    const outcome = async.invoke('PlainFunction', { n: 1 }, { source: 'sns', what: 'message m-1' });
    await waiting();
    expect(invoker.calls).toHaveLength(1);
    clock.advance(999);
    expect(invoker.calls).toHaveLength(1);
    clock.advance(1);
    await vi.waitFor(() => expect(invoker.calls).toHaveLength(2));
    await waiting();
    clock.advance(1_999);
    expect(invoker.calls).toHaveLength(2);
    clock.advance(1);
    await expect(outcome).resolves.toEqual({
      status: 'failed',
      attempts: 3,
      condition: 'RetriesExhausted',
      sentTo: [],
    });
    expect(invoker.calls).toHaveLength(3);
    expect(log.lines).toEqual([
      'error sns → PlainFunction: message m-1 failed 3 times (Error: boom); dropped',
    ]);
  });

  it('stops retrying once an attempt succeeds', async () => {
    const { async, invoker, clock, waiting, log } = setUp(await fixtureModel('async-invoke.yaml'), 1);
    const outcome = async.invoke('PlainFunction', {}, { source: 'schedule', what: 'event Every' });
    await waiting();
    clock.advance(1_000);
    await expect(outcome).resolves.toEqual({ status: 'succeeded', attempts: 2 });
    expect(invoker.calls).toHaveLength(2);
    expect(clock.sleepers).toBe(0);
    expect(log.lines).toEqual([]);
  });

  it('sends Lambda’s record to the OnFailure queue and the event to the dead-letter topic', async () => {
    const model = await fixtureModel('async-invoke.yaml');
    const { async, clock, waiting, destinations, log } = setUp(model, 5);
    const outcome = async.invoke('QueuedFunction', { key: 'a.jpg' }, { source: 's3', what: 'a.jpg' });
    await waiting();
    clock.advance(1_000);
    // MaximumRetryAttempts 1: two attempts in all.
    const { onFailure, deadLetter } = async.settings('QueuedFunction');
    await expect(outcome).resolves.toEqual({
      status: 'failed',
      attempts: 2,
      condition: 'RetriesExhausted',
      sentTo: [onFailure?.arn, deadLetter?.arn],
    });
    expect(destinations.sent).toEqual([
      {
        destination: onFailure,
        document: asyncFailureRecord({
          requestId: 'req-2',
          functionArn: async.settings('QueuedFunction').functionArn,
          attempts: 2,
          event: { key: 'a.jpg' },
          error: BOOM,
          now: new Date(clock.now()),
        }),
      },
      {
        destination: deadLetter,
        document: { key: 'a.jpg' },
        attributes: { RequestID: 'req-2', ErrorCode: '200', ErrorMessage: 'boom' },
      },
    ]);
    expect(log.lines).toEqual([
      `warn s3 → QueuedFunction: a.jpg failed 2 times (Error: boom); sent to OnFailure ${onFailure?.arn}`,
      `warn s3 → QueuedFunction: a.jpg failed 2 times (Error: boom); sent to DeadLetterQueue ${deadLetter?.arn}`,
    ]);
  });

  it('counts each back-off at Lambda’s length: with MaximumEventAgeInSeconds 60 an event is not retried, and goes to a function destination', async () => {
    const model = await fixtureModel('async-invoke.yaml');
    // Each attempt takes 200 ms.
    const { async, clock, waiting, invoker, log } = setUp(model, 5, {}, 200);
    const outcome = async.invoke('ShortLivedFunction', { n: 1 }, { source: 'sns', what: 'message m-2' });
    await waiting();
    clock.advance(1_000); // the local back-off of 1 s ends: a minute of Lambda's, 60.2 s of age in all
    await expect(outcome).resolves.toMatchObject({
      status: 'failed',
      attempts: 1,
      condition: 'EventAgeExceeded',
    });
    // The destination function is invoked asynchronously with the record (it fails too: no retries).
    await vi.waitFor(() => expect(invoker.calls).toHaveLength(2));
    expect(invoker.calls[1]).toMatchObject({
      logicalId: 'FailureHandlerFunction',
      event: {
        requestContext: { condition: 'EventAgeExceeded', approximateInvokeCount: 1 },
        requestPayload: { n: 1 },
      },
      options: { source: 'destination' },
    });
    await vi.waitFor(() => expect(log.lines).toHaveLength(2));
    expect(log.lines[0]).toMatch(
      /^warn sns → ShortLivedFunction: message m-2 failed once \(Error: boom\) and is older than its MaximumEventAgeInSeconds \(60\); sent to OnFailure arn:aws:lambda:.*FailureHandlerFunction$/,
    );
    expect(log.lines[1]).toBe(
      'error destination → FailureHandlerFunction: an OnFailure record failed once (Error: boom); dropped',
    );
  });

  it('keeps retrying within the default event age, however long the attempts take', async () => {
    const model = await fixtureModel('async-invoke.yaml');
    // Each attempt takes 15 minutes (the most Lambda allows): 48 minutes of age in all, below 6 hours.
    const { async, clock, waiting } = setUp(model, 5, {}, 15 * 60_000);
    const outcome = async.invoke('PlainFunction', {}, { source: 's3', what: 'x' });
    await waiting();
    clock.advance(1_000);
    await waiting();
    clock.advance(2_000);
    await expect(outcome).resolves.toMatchObject({ attempts: 3, condition: 'RetriesExhausted' });
  });

  it('says so when a destination refuses the event, or when there is no local queue to send to', async () => {
    const model = await fixtureModel('async-invoke.yaml');
    const refused = setUp(model, 5, { destinations: recordingSender(true), retryDelaysMs: [] });
    await refused.async.invoke('QueuedFunction', {}, { source: 's3', what: 'a' });
    expect(refused.log.lines).toEqual([
      expect.stringMatching(
        /^error s3 → QueuedFunction: a failed once \(Error: boom\); OnFailure .* refused it \(Error: queue does not exist\); dropped$/,
      ),
      expect.stringMatching(/^error .*; DeadLetterQueue .* refused it .*; dropped$/),
    ]);
    const none = setUp(model, 5, { destinations: undefined, retryDelaysMs: [] });
    await expect(none.async.invoke('QueuedFunction', {}, { source: 's3', what: 'a' })).resolves.toMatchObject(
      {
        sentTo: [],
      },
    );
    expect(none.log.lines[0]).toContain('refused it (Error: no local SQS to send to); dropped');
  });

  it('cancels pending retries on stop', async () => {
    const { async, invoker, clock, waiting } = setUp(await fixtureModel('async-invoke.yaml'), 5);
    const outcome = async.invoke('PlainFunction', {}, { source: 's3', what: 'x' });
    await waiting();
    await async.stop();
    await expect(outcome).resolves.toEqual({ status: 'stopped', attempts: 1 });
    clock.advance(10_000);
    expect(invoker.calls).toHaveLength(1);
  });
});
