import { mkdtemp, readFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import {
  DescribeStreamSummaryCommand,
  type KinesisClient,
  ListShardsCommand,
  PutRecordsCommand,
  SplitShardCommand,
} from '@aws-sdk/client-kinesis';
import { ReceiveMessageCommand, SQSClient } from '@aws-sdk/client-sqs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type LocalCloud, startLocalCloud } from '../../local/index.js';
import { createMemoryLogger } from '../../local/log.js';
import { localKinesisClient } from '../../local/services/kinesis/index.js';
import type { ProcessedRecord } from '../fixtures/kinesis/handlers/record.js';

const root = path.resolve(import.meta.dirname, '../fixtures/kinesis');
const log = createMemoryLogger();
let cloud: LocalCloud;
let kinesis: KinesisClient;
let out: string;
let dataDir: string;

async function put(stream: string, records: { key: string; data: string }[]): Promise<void> {
  const result = await kinesis.send(
    new PutRecordsCommand({
      StreamName: stream,
      Records: records.map((r) => ({ PartitionKey: r.key, Data: new TextEncoder().encode(r.data) })),
    }),
  );
  expect(result.FailedRecordCount).toBe(0);
}

async function processed(fn: string): Promise<ProcessedRecord[]> {
  const text = await readFile(path.join(out, `kumo-local-${fn}.jsonl`), 'utf8').catch(() => '');
  return text
    .split('\n')
    .filter(Boolean)
    .map((line) => JSON.parse(line) as ProcessedRecord);
}

async function until<T>(
  what: string,
  probe: () => Promise<T>,
  done: (value: T) => boolean,
  ms = 10_000,
): Promise<T> {
  const deadline = Date.now() + ms;
  for (;;) {
    const value = await probe();
    if (done(value)) return value;
    if (Date.now() > deadline)
      throw new Error(`timed out waiting for ${what}: ${JSON.stringify(value).slice(0, 500)}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

const numbered = (
  n: number,
  data: (i: number) => string = (i) => `r${i}`,
  key = (i: number) => `k${i % 7}`,
) => Array.from({ length: n }, (_, i) => ({ key: key(i), data: data(i) }));

function start(fresh: boolean): Promise<LocalCloud> {
  return startLocalCloud({
    rootDir: root,
    dataDir,
    portBase: 0,
    fresh,
    schedules: false,
    web: false,
    tracing: false,
    log,
    functionLogSink: () => {},
    extraEnv: { KUMO_TEST_OUT: out },
    kinesisTiming: { pollIntervalMs: 100, discoverIntervalMs: 100, retryBaseMs: 50, retryMaxMs: 200 },
  });
}

beforeAll(async () => {
  out = await mkdtemp(path.join(tmpdir(), 'kumo-esm-out-'));
  dataDir = await mkdtemp(path.join(tmpdir(), 'kumo-esm-'));
  cloud = await start(true);
  kinesis = localKinesisClient(cloud.endpoints.services.kinesis as string, 'us-east-1');
}, 60_000);

afterAll(async () => {
  kinesis?.destroy();
  await cloud?.stop();
});

describe('Kinesis event source mapping', () => {
  it('delivers every record once in the Lambda event shape, in order per partition key, batches ≤ BatchSize', async () => {
    const sent = numbered(60);
    await put('fixture-ok', sent);
    const seen = await until(
      '60 records',
      () => processed('OkConsumerFunction'),
      (r) => r.length >= 60,
    );
    expect(seen.map((r) => r.data).sort()).toEqual(sent.map((r) => r.data).sort());
    for (const key of new Set(sent.map((r) => r.key))) {
      const order = seen.filter((r) => r.partitionKey === key).map((r) => Number(r.data.slice(1)));
      expect(order).toEqual([...order].sort((a, b) => a - b));
    }
    expect(Math.max(...seen.map((r) => r.batchSize))).toBeLessThanOrEqual(10);

    const [event] = (await readFile(path.join(out, 'kumo-local-OkConsumerFunction.events.jsonl'), 'utf8'))
      .split('\n')
      .filter(Boolean)
      .map((line) => JSON.parse(line));
    const [record] = event.Records;
    expect(record).toEqual({
      kinesis: {
        kinesisSchemaVersion: '1.0',
        partitionKey: expect.any(String),
        sequenceNumber: expect.stringMatching(/^\d+$/),
        data: expect.any(String),
        approximateArrivalTimestamp: expect.any(Number),
      },
      eventSource: 'aws:kinesis',
      eventVersion: '1.0',
      eventID: `${record.eventID.split(':')[0]}:${record.kinesis.sequenceNumber}`,
      eventName: 'aws:kinesis:record',
      invokeIdentityArn: 'arn:aws:iam::000000000000:role/kumo-local-OkConsumerFunctionRole',
      awsRegion: 'us-east-1',
      eventSourceARN: 'arn:aws:kinesis:us-east-1:000000000000:stream/fixture-ok',
    });
    expect(record.eventID).toMatch(/^shardId-00000000000[01]:/);
    // The disabled mapping on the same stream delivered nothing.
    expect(await processed('DisabledConsumerFunction')).toEqual([]);
    expect(log.lines.some((l) => l.includes('DisabledConsumerFunction/Stream: Enabled is false'))).toBe(true);
  });

  it('checkpoints before the lowest reported batch item failure and retries from it', async () => {
    const sent = numbered(30, (i) => (i === 12 ? 'fail-once' : `r${i}`));
    await put('fixture-partial', sent);
    const seen = await until(
      '30 records',
      () => processed('PartialConsumerFunction'),
      (r) => r.length >= 30,
    );
    expect(seen.map((r) => r.data)).toEqual(sent.map((r) => r.data));
    const batches = [...new Set(seen.map((r) => r.requestId))].map((id) =>
      seen.filter((r) => r.requestId === id),
    );
    expect(batches.map((b) => [b[0]?.data, b[0]?.batchSize])).toEqual([
      ['r0', 30],
      ['fail-once', 18],
    ]);
  });

  it('bisects a batch that fails, isolates the poison record, and sends it to the OnFailure queue after MaximumRetryAttempts', async () => {
    const sent = numbered(8, (i) => (i === 5 ? 'poison' : `r${i}`));
    await put('fixture-poison', sent);
    const seen = await until(
      '7 records',
      () => processed('PoisonConsumerFunction'),
      (r) => r.length >= 7,
    );
    expect(seen.map((r) => r.data).sort()).toEqual(
      sent
        .filter((r) => r.data !== 'poison')
        .map((r) => r.data)
        .sort(),
    );

    const sqs = new SQSClient({
      endpoint: cloud.endpoints.services.sqs,
      region: 'us-east-1',
      credentials: { accessKeyId: 'x', secretAccessKey: 'x' },
    });
    const { Messages } = await sqs.send(
      new ReceiveMessageCommand({
        QueueUrl: `${cloud.endpoints.services.sqs}/000000000000/fixture-failures`,
        WaitTimeSeconds: 5,
      }),
    );
    sqs.destroy();
    const failure = JSON.parse(Messages?.[0]?.Body ?? '{}');
    expect(failure).toEqual({
      requestContext: {
        requestId: expect.any(String),
        functionArn: 'arn:aws:lambda:us-east-1:000000000000:function:kumo-local-PoisonConsumerFunction',
        condition: 'RetryAttemptsExhausted',
        approximateInvokeCount: expect.any(Number),
      },
      responseContext: { statusCode: 200, executedVersion: '$LATEST', functionError: 'Unhandled' },
      version: '1.0',
      timestamp: expect.any(String),
      KinesisBatchInfo: {
        shardId: 'shardId-000000000000',
        startSequenceNumber: expect.any(String),
        endSequenceNumber: expect.any(String),
        approximateArrivalOfFirstRecord: expect.any(String),
        approximateArrivalOfLastRecord: expect.any(String),
        batchSize: 1,
        streamArn: 'arn:aws:kinesis:us-east-1:000000000000:stream/fixture-poison',
      },
    });
    expect(failure.KinesisBatchInfo.startSequenceNumber).toBe(failure.KinesisBatchInfo.endSequenceNumber);
    // MaximumRetryAttempts 1: the lone poison record was invoked twice after the bisections.
    expect(failure.requestContext.approximateInvokeCount).toBeGreaterThanOrEqual(2);
  });

  it('retries a batch whose function crashed: nothing is lost, order is kept', async () => {
    const sent = numbered(40);
    await put('fixture-crash', sent);
    const seen = await until(
      '40 records',
      () => processed('CrashOnceConsumerFunction'),
      (r) => r.length >= 40,
    );
    expect(seen.map((r) => r.data)).toEqual(sent.map((r) => r.data));
  });

  it('follows a SplitShard: the parent is drained before its children, nothing is lost', async () => {
    // StartingPosition LATEST: wait for the mapping's first poll of the shard before writing.
    await until(
      'the first poll of fixture-split',
      async () =>
        cloud.metrics.query({
          namespace: 'AWS/Kinesis',
          name: 'GetRecords.Success',
          dimensions: { StreamName: 'fixture-split' },
          start: 0,
          end: Date.now() + 1000,
          periodSeconds: 60,
        }).length,
      (n) => n > 0,
    );
    const before = numbered(
      30,
      (i) => `p${i}`,
      (i) => `key-${i}`,
    );
    await put('fixture-split', before);
    await kinesis.send(
      new SplitShardCommand({
        StreamName: 'fixture-split',
        ShardToSplit: 'shardId-000000000000',
        NewStartingHashKey: (2n ** 127n).toString(),
      }),
    );
    await until(
      'the split',
      () => kinesis.send(new DescribeStreamSummaryCommand({ StreamName: 'fixture-split' })),
      (d) =>
        d.StreamDescriptionSummary?.StreamStatus === 'ACTIVE' &&
        d.StreamDescriptionSummary.OpenShardCount === 2,
    );
    const after = numbered(
      40,
      (i) => `c${i}`,
      (i) => `key-${i}`,
    );
    await put('fixture-split', after);

    const seen = await until(
      '70 records',
      () => processed('SplitConsumerFunction'),
      (r) => r.length >= 70,
    );
    expect(seen.map((r) => r.data).sort()).toEqual([...before, ...after].map((r) => r.data).sort());
    const parent = seen.filter((r) => r.shardId === 'shardId-000000000000');
    const children = seen.filter((r) => r.shardId !== 'shardId-000000000000');
    expect(parent).toHaveLength(30);
    expect(new Set(children.map((r) => r.shardId))).toEqual(
      new Set(['shardId-000000000001', 'shardId-000000000002']),
    );
    expect(Math.min(...children.map((r) => r.at))).toBeGreaterThanOrEqual(
      Math.max(...parent.map((r) => r.at)),
    );

    const { Shards } = await kinesis.send(new ListShardsCommand({ StreamName: 'fixture-split' }));
    expect(Shards?.filter((s) => s.ParentShardId === 'shardId-000000000000')).toHaveLength(2);
    const mapping = cloud.kinesisMappings?.mappings.find((m) => m.id === 'SplitConsumerFunction/Stream');
    expect(mapping?.shards()).toEqual({
      'shardId-000000000000': 'ended',
      'shardId-000000000001': 'reading',
      'shardId-000000000002': 'reading',
    });
  });

  it('records the iterator age of the functions and logs one line per invocation, no batch line when all went well', () => {
    const ages = cloud.metrics.list({ namespace: 'AWS/Lambda', name: 'IteratorAge' });
    expect(ages.map((m) => m.dimensions.FunctionName)).toContain('kumo-local-OkConsumerFunction');
    expect(log.lines.some((l) => /^\[kinesis\] OkConsumerFunction \d+ ms.* ok/.test(l))).toBe(true);
    expect(log.lines.some((l) => /^\[kinesis\] OkConsumerFunction .*records ok$/.test(l))).toBe(false);
  });

  it('resumes from its checkpoints after a restart: nothing delivered twice, nothing skipped', async () => {
    const before = (await processed('OkConsumerFunction')).length;
    kinesis.destroy();
    await cloud.stop();
    cloud = await start(false);
    kinesis = localKinesisClient(cloud.endpoints.services.kinesis as string, 'us-east-1');
    await put(
      'fixture-ok',
      numbered(10, (i) => `after-restart-${i}`),
    );
    const seen = await until(
      '10 more records',
      () => processed('OkConsumerFunction'),
      (r) => r.length >= before + 10,
    );
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect((await processed('OkConsumerFunction')).length).toBe(before + 10);
    expect(seen.slice(before).every((r) => r.data.startsWith('after-restart-'))).toBe(true);
  });
});
