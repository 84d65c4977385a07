import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import {
  DeleteMessageBatchCommand,
  ReceiveMessageCommand,
  SendMessageCommand,
  SQSClient,
} from '@aws-sdk/client-sqs';
import { mockClient } from 'aws-sdk-client-mock';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import {
  readSqsBatchResponse,
  SqsBatchLog,
  SqsMapping,
  type SqsMappingSettings,
  SqsMappingSettingsError,
  sqsMappingSettings,
} from '../../../local/events/sqs.js';
import { createMemoryLogger } from '../../../local/log.js';
import { sqsOperations } from '../../../local/services/sqs/operations.js';
import { QueueRegistry } from '../../../local/services/sqs/registry.js';
import { readTemplate } from '../../../local/template/read-template.js';
import type { SqsEvent } from '../../../local/template/types.js';
import type { InvokeResult } from '../../../local/types.js';

const BASE_URL = 'http://127.0.0.1:1';
const ACCOUNT = '000000000000';
const root = path.resolve(import.meta.dirname, '../../..');

/**
 * The mapping polls through a real SQSClient whose requests aws-sdk-client-mock hands to the local
 * SQS's own operations over a real QueueRegistry: the queue semantics (visibility, receive counts,
 * redrive) are the emulator's, only the HTTP hop is skipped.
 */
const sqs = mockClient(SQSClient);
let dir: string;
let registry: QueueRegistry;
const stopping = new AbortController();

beforeAll(async () => {
  dir = await mkdtemp(path.join(tmpdir(), 'kumo-sqs-mapping-'));
});

afterAll(async () => {
  stopping.abort();
  await rm(dir, { recursive: true, force: true });
});

let queueCounter = 0;
let queueName = '';
let dlqName = '';

beforeEach(async () => {
  sqs.reset();
  registry = await QueueRegistry.open(dir, true, 'us-east-1', ACCOUNT);
  queueCounter += 1;
  queueName = `slices-${queueCounter}`;
  dlqName = `slices-dlq-${queueCounter}`;
  const base = {
    visibilityTimeoutSeconds: 30,
    messageRetentionSeconds: 3600,
    delaySeconds: 0,
    receiveWaitSeconds: 0,
    maximumMessageSize: 262_144,
    fifo: false,
    sqsManagedSse: true,
  };
  registry.ensure({ ...base, name: dlqName });
  registry.ensure({
    ...base,
    name: queueName,
    redrivePolicy: JSON.stringify({
      deadLetterTargetArn: `arn:aws:sqs:us-east-1:${ACCOUNT}:${dlqName}`,
      maxReceiveCount: 2,
    }),
  });
  const ops = sqsOperations(registry, BASE_URL);
  const context = () => ({ requestId: 'test', signal: stopping.signal });
  sqs.on(ReceiveMessageCommand).callsFake((input) => ops.ReceiveMessage?.({ ...input }, context()));
  sqs.on(DeleteMessageBatchCommand).callsFake((input) => ops.DeleteMessageBatch?.({ ...input }, context()));
  sqs.on(SendMessageCommand).callsFake((input) => ops.SendMessage?.({ ...input }, context()));
});

const running: SqsMapping[] = [];
afterEach(async () => {
  await Promise.all(running.splice(0).map((mapping) => mapping.stop()));
  await registry.flush();
});

const queueUrl = () => `${BASE_URL}/${ACCOUNT}/${queueName}`;

async function send(bodies: string[]): Promise<void> {
  const client = new SQSClient({ region: 'us-east-1' });
  for (const body of bodies)
    await client.send(new SendMessageCommand({ QueueUrl: queueUrl(), MessageBody: body }));
}

interface Delivered {
  bodies: string[];
  receiveCounts: string[];
  at: number;
}

type Answer = (
  bodies: string[],
  messageIds: string[],
) => Promise<Partial<InvokeResult>> | Partial<InvokeResult>;

/** A function that records each batch it is given and answers with `answer` (success by default). */
function fakeInvoker(answer: Answer = () => ({ ok: true, payload: null })) {
  const delivered: Delivered[] = [];
  let inFlight = 0;
  let maxInFlight = 0;
  return {
    delivered,
    get maxInFlight() {
      return maxInFlight;
    },
    async invoke(_logicalId: string, event: unknown): Promise<InvokeResult> {
      inFlight += 1;
      maxInFlight = Math.max(maxInFlight, inFlight);
      try {
        const records = (
          event as { Records: { body: string; messageId: string; attributes: Record<string, string> }[] }
        ).Records;
        delivered.push({
          bodies: records.map((r) => r.body),
          receiveCounts: records.map((r) => r.attributes.ApproximateReceiveCount ?? ''),
          at: Date.now(),
        });
        const result = await answer(
          records.map((r) => r.body),
          records.map((r) => r.messageId),
        );
        return { requestId: 'r', durationMs: 1, ok: true, ...result };
      } finally {
        inFlight -= 1;
      }
    },
  };
}

function settings(overrides: Partial<SqsMappingSettings> = {}): SqsMappingSettings {
  return {
    id: 'CheckSliceFunction/Slices',
    functionLogicalId: 'CheckSliceFunction',
    region: 'us-east-1',
    queueArn: `arn:aws:sqs:us-east-1:${ACCOUNT}:${queueName}`,
    queueName,
    enabled: true,
    batchSize: 10,
    batchingWindowMs: 0,
    reportBatchItemFailures: true,
    maximumConcurrency: 2,
    ...overrides,
  };
}

function startMapping(
  invoker: ReturnType<typeof fakeInvoker>,
  overrides: Partial<SqsMappingSettings> = {},
  visibilityTimeoutSeconds?: number,
) {
  const log = createMemoryLogger();
  const mapping = new SqsMapping({
    settings: settings(overrides),
    client: new SQSClient({ region: 'us-east-1' }),
    queueUrl: queueUrl(),
    invoker,
    log,
    batchLog: new SqsBatchLog(log),
    timing: {
      idleWaitSeconds: 1,
      windowPollMs: 20,
      errorBackoffMs: 50,
      ...(visibilityTimeoutSeconds === undefined ? {} : { visibilityTimeoutSeconds }),
    },
  });
  mapping.start();
  running.push(mapping);
  return { mapping, log };
}

async function until(condition: () => boolean, timeoutMs = 8_000): Promise<void> {
  const end = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > end) throw new Error('timed out waiting');
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

const bodies = (n: number, prefix = 'm') => Array.from({ length: n }, (_, i) => `${prefix}${i}`);
const messagesIn = (name: string) => registry.get(name)?.messages.length ?? -1;

describe('Class: SqsMapping', () => {
  it('delivers batches of at most BatchSize and deletes them after a success', async () => {
    await send(bodies(7));
    const invoker = fakeInvoker();
    const { mapping } = startMapping(invoker, { batchSize: 3, maximumConcurrency: 2 });
    await until(() => mapping.stats.deleted === 7);
    expect(invoker.delivered.every((batch) => batch.bodies.length <= 3)).toBe(true);
    expect(invoker.delivered.flatMap((batch) => batch.bodies).sort()).toEqual(bodies(7).sort());
    expect(messagesIn(queueName)).toBe(0);
  });

  it('waits for the batching window to gather a batch (more than one receive) before invoking', async () => {
    const invoker = fakeInvoker();
    // One poller (below Lambda's minimum of 2): a second one would take the later messages in a batch of
    // its own, as on AWS; here the window's gathering is what is observed.
    const { mapping } = startMapping(invoker, {
      batchSize: 50,
      batchingWindowMs: 1_000,
      maximumConcurrency: 1,
    });
    // The mapping is long-polling; the first message opens the window, the others arrive inside it.
    const first = Date.now();
    await send(bodies(4, 'a'));
    await new Promise((resolve) => setTimeout(resolve, 300));
    await send(bodies(4, 'b'));
    await until(() => mapping.stats.deleted === 8);
    expect(invoker.delivered).toHaveLength(1);
    expect(invoker.delivered[0]?.bodies).toHaveLength(8);
    expect((invoker.delivered[0]?.at ?? 0) - first).toBeGreaterThanOrEqual(900);
  });

  it('invokes at once when BatchSize fills before the window ends', async () => {
    await send(bodies(10));
    const invoker = fakeInvoker();
    const started = Date.now();
    const { mapping } = startMapping(invoker, {
      batchSize: 10,
      batchingWindowMs: 5_000,
      maximumConcurrency: 2,
    });
    await until(() => mapping.stats.deleted === 10);
    expect(invoker.delivered[0]?.bodies).toHaveLength(10);
    expect((invoker.delivered[0]?.at ?? 0) - started).toBeLessThan(4_000);
  });

  it('deletes the successes of a partial batch response; the failed message comes back after the visibility timeout', async () => {
    await send(['ok-1', 'fail', 'ok-2']);
    let failedOnce = false;
    const invoker = fakeInvoker((sent, ids) => {
      const at = sent.indexOf('fail');
      if (at === -1 || failedOnce) return { ok: true, payload: { batchItemFailures: [] } };
      failedOnce = true;
      return { ok: true, payload: { batchItemFailures: [{ itemIdentifier: ids[at] }] } };
    });
    const { mapping, log } = startMapping(invoker, { batchSize: 10, maximumConcurrency: 2 }, 1);
    await until(() => mapping.stats.deleted === 3);
    expect(invoker.delivered).toHaveLength(2);
    expect(invoker.delivered[0]?.bodies.sort()).toEqual(['fail', 'ok-1', 'ok-2']);
    // Only the failed message again, received a second time, not before the visibility timeout.
    expect(invoker.delivered[1]?.bodies).toEqual(['fail']);
    expect(invoker.delivered[1]?.receiveCounts).toEqual(['2']);
    expect((invoker.delivered[1]?.at ?? 0) - (invoker.delivered[0]?.at ?? 0)).toBeGreaterThanOrEqual(900);
    expect(mapping.stats.retried).toBe(1);
    expect(log.lines.some((line) => line.includes('1 failed → visible again'))).toBe(true);
  });

  it('deletes nothing after a function error or an invalid partial response', async () => {
    await send(['x', 'y']);
    let calls = 0;
    const invoker = fakeInvoker(() => {
      calls += 1;
      if (calls === 1)
        return { ok: true, payload: { batchItemFailures: [{ itemIdentifier: 'not-in-batch' }] } };
      return { ok: false, error: { errorType: 'Error', errorMessage: 'boom' } };
    });
    const { mapping, log } = startMapping(invoker, { batchSize: 10, maximumConcurrency: 2 }, 1);
    // maxReceiveCount 2: the third receive moves both to the dead-letter queue.
    await until(() => messagesIn(dlqName) === 2);
    expect(invoker.delivered.map((batch) => batch.receiveCounts)).toEqual([
      ['1', '1'],
      ['2', '2'],
    ]);
    expect(mapping.stats.deleted).toBe(0);
    expect(mapping.stats.retried).toBe(4);
    expect(log.lines.some((line) => line.includes('is not a message id of the batch'))).toBe(true);
  });

  it('leaves a message that keeps failing to the queue’s redrive: in the dead-letter queue after maxReceiveCount receives', async () => {
    await send(['poison', 'fine']);
    const invoker = fakeInvoker((sent, ids) => {
      const at = sent.indexOf('poison');
      return { ok: true, payload: { batchItemFailures: at === -1 ? [] : [{ itemIdentifier: ids[at] }] } };
    });
    startMapping(invoker, { batchSize: 10, maximumConcurrency: 2 }, 1);
    await until(() => messagesIn(dlqName) === 1);
    const poisonDeliveries = invoker.delivered.filter((batch) => batch.bodies.includes('poison'));
    expect(poisonDeliveries.map((batch) => batch.receiveCounts[batch.bodies.indexOf('poison')])).toEqual([
      '1',
      '2',
    ]);
    expect(registry.get(dlqName)?.messages[0]?.body).toBe('poison');
    expect(messagesIn(queueName)).toBe(0);
  });

  it('keeps at most MaximumConcurrency invocations in flight', async () => {
    await send(bodies(8));
    const invoker = fakeInvoker(async () => {
      await new Promise((resolve) => setTimeout(resolve, 150));
      return { ok: true, payload: null };
    });
    const { mapping } = startMapping(invoker, { batchSize: 1, maximumConcurrency: 3 });
    await until(() => mapping.stats.deleted === 8);
    expect(invoker.maxInFlight).toBe(3);
    expect(mapping.stats.maxInFlight).toBe(3);
    expect(mapping.stats.batchSizes).toEqual(Array(8).fill(1));
  });
});

describe('Function: readSqsBatchResponse()', () => {
  const ids = ['a', 'b'];
  it('reads null, empty and missing lists as a success', () => {
    for (const payload of [null, undefined, '', {}, { batchItemFailures: [] }, { batchItemFailures: null }]) {
      expect(readSqsBatchResponse(payload, ids, true)).toEqual({ kind: 'success' });
    }
  });
  it('lists the failed message ids', () => {
    const verdict = readSqsBatchResponse({ batchItemFailures: [{ itemIdentifier: 'b' }] }, ids, true);
    expect(verdict.kind === 'partial' && [...verdict.failed]).toEqual(['b']);
  });
  it('fails the whole batch on an entry without an id, an id not in the batch, or not a list', () => {
    for (const payload of [
      { batchItemFailures: [{ itemIdentifier: '' }] },
      { batchItemFailures: [{ id: 'a' }] },
      { batchItemFailures: [{ itemIdentifier: 'c' }] },
      { batchItemFailures: 'a' },
      [1],
    ]) {
      expect(readSqsBatchResponse(payload, ids, true).kind).toBe('failure');
    }
  });
  it('ignores the response without ReportBatchItemFailures (a success deletes the batch)', () => {
    expect(readSqsBatchResponse({ batchItemFailures: [{ itemIdentifier: 'a' }] }, ids, false)).toEqual({
      kind: 'success',
    });
  });
});

describe('Function: sqsMappingSettings()', () => {
  it('reads CheckSliceFunction’s slice queue event from the template', async () => {
    const model = await readTemplate(path.join(root, 'template.yaml'));
    const fn = model.functions.find((f) => f.logicalId === 'CheckSliceFunction');
    const event = fn?.events.find((e): e is SqsEvent => e.type === 'SQS');
    if (!fn || !event) throw new Error('CheckSliceFunction has no SQS event');
    const read = sqsMappingSettings(model, fn, event, () => undefined);
    expect(read).toMatchObject({
      batchSize: 1,
      batchingWindowMs: 0,
      reportBatchItemFailures: true,
      maximumConcurrency: 50,
      queueName: `${model.stackName}-HealthSliceQueue`,
    });
    // The Kinesis mapping's OnFailure destination of Type SQS is not an event source.
    const consumer = model.functions.find((f) => f.logicalId === 'PostsConsumerFunction');
    expect(consumer?.events.map((e) => e.type)).toEqual(['Kinesis']);
  });

  it('refuses what Lambda refuses', async () => {
    const model = await readTemplate(path.join(root, 'template.yaml'));
    const fn = model.functions.find((f) => f.logicalId === 'CheckSliceFunction');
    if (!fn) throw new Error('no CheckSliceFunction');
    const event = (properties: SqsEvent['properties']): SqsEvent => ({
      type: 'SQS',
      name: 'Slices',
      queueArn: `arn:aws:sqs:us-east-1:${ACCOUNT}:q`,
      properties,
    });
    const read = (properties: SqsEvent['properties']) => () =>
      sqsMappingSettings(model, fn, event(properties), () => undefined);
    expect(read({ BatchSize: 11 })).toThrow(/MaximumBatchingWindowInSeconds must be at least 1/);
    expect(read({ BatchSize: 0 })).toThrow(SqsMappingSettingsError);
    expect(read({ MaximumBatchingWindowInSeconds: 301 })).toThrow(SqsMappingSettingsError);
    expect(read({ ScalingConfig: { MaximumConcurrency: 1 } })).toThrow(/MaximumConcurrency/);
    expect(read({ FunctionResponseTypes: ['Other'] })).toThrow(/FunctionResponseTypes/);
    expect(() =>
      sqsMappingSettings(
        model,
        fn,
        { ...event({}), queueArn: 'arn:aws:kinesis:us-east-1:1:stream/s' },
        () => {},
      ),
    ).toThrow(/SQS queue ARN/);
    expect(read({ BatchSize: 100, MaximumBatchingWindowInSeconds: 2 })()).toMatchObject({
      batchSize: 100,
      batchingWindowMs: 2_000,
      maximumConcurrency: 5,
      reportBatchItemFailures: false,
    });
  });
});
