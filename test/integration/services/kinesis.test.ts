import {
  DescribeStreamSummaryCommand,
  GetRecordsCommand,
  GetShardIteratorCommand,
  type KinesisClient,
  ListShardsCommand,
  PutRecordCommand,
  PutRecordsCommand,
  UpdateShardCountCommand,
} from '@aws-sdk/client-kinesis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  createKinesisService,
  type KinesisService,
  localKinesisClient,
} from '../../../local/services/kinesis/index.js';
import type { TemplateModel } from '../../../local/template/index.js';
import { fixtureModel, tempDataRoot, testContext } from '../../helpers/service-context.js';

const POSTS = 'kumo-test-posts';
const EVENTS = 'kumo-local-EventsStream';

async function start(model: TemplateModel, dataRoot: string, options: { fresh?: boolean } = {}) {
  const { ctx, log } = testContext(model, dataRoot, options);
  const service = (await createKinesisService().start(ctx)) as KinesisService;
  return { service, log, client: localKinesisClient(service.url, 'us-east-1') };
}

const encode = (text: string) => new TextEncoder().encode(text);

function sum(service: KinesisService, name: string, dimensions: Record<string, string>): number {
  return service.metrics
    .query({
      namespace: 'AWS/Kinesis',
      name,
      dimensions,
      start: 0,
      end: Date.now() + 1000,
      periodSeconds: 60,
    })
    .reduce((total, d) => total + d.Sum, 0);
}

describe('Service: kinesis', () => {
  let model: TemplateModel;
  let dataRoot: string;
  let running: Awaited<ReturnType<typeof start>>;
  let client: KinesisClient;

  beforeAll(async () => {
    model = await fixtureModel('kinesis.yaml');
    dataRoot = await tempDataRoot();
    running = await start(model, dataRoot, { fresh: true });
    client = running.client;
  });

  afterAll(async () => {
    client.destroy();
    await running.service.stop();
  });

  it('is needed only when the template declares a stream', () => {
    const service = createKinesisService();
    expect(service.needed(model)).toBe(true);
    expect(service.needed({ ...model, resources: new Map() })).toBe(false);
  });

  it('creates the template streams with their shard count, retention, mode and reported encryption', async () => {
    expect(running.service.streams).toEqual({ PostsStream: 'created', EventsStream: 'created' });
    const { StreamDescriptionSummary: posts } = await client.send(
      new DescribeStreamSummaryCommand({ StreamName: POSTS }),
    );
    expect(posts).toMatchObject({
      StreamName: POSTS,
      StreamARN: `arn:aws:kinesis:us-east-1:000000000000:stream/${POSTS}`,
      StreamStatus: 'ACTIVE',
      OpenShardCount: 2,
      RetentionPeriodHours: 48,
      EncryptionType: 'KMS',
      KeyId: 'alias/aws/kinesis',
      StreamModeDetails: { StreamMode: 'PROVISIONED' },
    });
    const events = await client.send(new DescribeStreamSummaryCommand({ StreamName: EVENTS }));
    expect(events.StreamDescriptionSummary).toMatchObject({ OpenShardCount: 1, EncryptionType: 'NONE' });
    expect(running.service.startup.readyMs).toBeGreaterThan(0);
  });

  it('records IncomingRecords, IncomingBytes and PutRecords metrics per stream and per shard', async () => {
    const records = Array.from({ length: 50 }, (_, i) => ({
      PartitionKey: `key-${i}`,
      Data: encode(`post ${i}`),
    }));
    const put = await client.send(new PutRecordsCommand({ StreamName: POSTS, Records: records }));
    expect(put.FailedRecordCount).toBe(0);
    await client.send(
      new PutRecordCommand({
        StreamARN: `arn:aws:kinesis:us-east-1:000000000000:stream/${POSTS}`,
        PartitionKey: 'one',
        Data: encode('single'),
      }),
    );

    const stream = { StreamName: POSTS };
    const bytes =
      records.reduce((n, r) => n + r.Data.length + r.PartitionKey.length, 0) + 'single'.length + 3;
    expect(sum(running.service, 'IncomingRecords', stream)).toBe(51);
    expect(sum(running.service, 'IncomingBytes', stream)).toBe(bytes);
    expect(sum(running.service, 'PutRecords.TotalRecords', stream)).toBe(50);
    expect(sum(running.service, 'PutRecords.SuccessfulRecords', stream)).toBe(50);
    expect(sum(running.service, 'PutRecords.ThrottledRecords', stream)).toBe(0);
    expect(sum(running.service, 'PutRecord.Success', stream)).toBe(1);
    const perShard = ['shardId-000000000000', 'shardId-000000000001'].map((ShardId) =>
      sum(running.service, 'IncomingRecords', { StreamName: POSTS, ShardId }),
    );
    expect(perShard.reduce((a, b) => a + b, 0)).toBe(51);
    expect(perShard.every((n) => n > 0)).toBe(true);
  });

  it('records GetRecords.IteratorAgeMilliseconds from the records read', async () => {
    const { ShardIterator } = await client.send(
      new GetShardIteratorCommand({
        StreamName: EVENTS,
        ShardId: 'shardId-000000000000',
        ShardIteratorType: 'TRIM_HORIZON',
      }),
    );
    await client.send(new PutRecordCommand({ StreamName: EVENTS, PartitionKey: 'a', Data: encode('x') }));
    await new Promise((resolve) => setTimeout(resolve, 50));
    const read = await client.send(new GetRecordsCommand({ ShardIterator }));
    expect(read.Records).toHaveLength(1);
    const [age] = running.service.metrics.query({
      namespace: 'AWS/Kinesis',
      name: 'GetRecords.IteratorAgeMilliseconds',
      dimensions: { StreamName: EVENTS },
      start: 0,
      end: Date.now() + 1000,
      periodSeconds: 60,
    });
    expect(age?.Maximum).toBeGreaterThanOrEqual(40);
    expect(sum(running.service, 'GetRecords.Records', { StreamName: EVENTS })).toBe(1);
    expect(
      sum(running.service, 'OutgoingRecords', { StreamName: EVENTS, ShardId: 'shardId-000000000000' }),
    ).toBe(1);
  });

  it('returns every record to a reader that keeps up with a busy writer (none skipped while being written)', async () => {
    const { Shards = [] } = await client.send(new ListShardsCommand({ StreamName: EVENTS }));
    const batches = 40;
    const perBatch = 250;
    const seen = new Set<string>();
    let writing = true;
    const readShard = async (shardId: string) => {
      let iterator = (
        await client.send(
          new GetShardIteratorCommand({ StreamName: EVENTS, ShardId: shardId, ShardIteratorType: 'LATEST' }),
        )
      ).ShardIterator;
      // Reads as fast as answers come (empty ones included) until the writers are done and drained.
      for (let idle = 0; iterator && idle < 5; ) {
        const output = await client.send(new GetRecordsCommand({ ShardIterator: iterator }));
        const records = output.Records ?? [];
        for (const record of records) seen.add(new TextDecoder().decode(record.Data));
        idle = records.length === 0 && !writing ? idle + 1 : 0;
        iterator = output.NextShardIterator;
      }
    };
    const readers = Shards.map((shard) => readShard(shard.ShardId ?? ''));
    await new Promise((resolve) => setTimeout(resolve, 50));
    let next = 0;
    await Promise.all(
      Array.from({ length: 4 }, async () => {
        while (next < batches) {
          const batch = next++;
          const { FailedRecordCount } = await client.send(
            new PutRecordsCommand({
              StreamName: EVENTS,
              Records: Array.from({ length: perBatch }, (_, i) => ({
                PartitionKey: `key-${batch}-${i}`,
                Data: encode(`${batch}/${i}`),
              })),
            }),
          );
          expect(FailedRecordCount).toBe(0);
        }
      }),
    );
    writing = false;
    await Promise.all(readers);
    expect(seen.size).toBe(batches * perBatch);
  }, 60_000);

  it('answers GetShardIterator at a sequence number that cannot be in the shard with 400, never 500', async () => {
    const { Shards = [] } = await client.send(new ListShardsCommand({ StreamName: EVENTS }));
    const ShardId = Shards[0]?.ShardId ?? '';
    for (const StartingSequenceNumber of ['0', '1', '12345678901234567890', '9'.repeat(56), '7'.repeat(56)]) {
      for (const ShardIteratorType of ['AT_SEQUENCE_NUMBER', 'AFTER_SEQUENCE_NUMBER'] as const) {
        await expect(
          client.send(
            new GetShardIteratorCommand({
              StreamName: EVENTS,
              ShardId,
              ShardIteratorType,
              StartingSequenceNumber,
            }),
          ),
          `${ShardIteratorType} ${StartingSequenceNumber}`,
        ).rejects.toMatchObject({ name: 'InvalidArgumentException', $metadata: { httpStatusCode: 400 } });
      }
    }
  });

  it('refuses ListShards with a NextToken it never issued, and keeps serving', async () => {
    for (const NextToken of ['x', '9'.repeat(60), 'AAAA']) {
      await expect(client.send(new ListShardsCommand({ NextToken }))).rejects.toMatchObject({
        name: 'InvalidArgumentException',
        message: expect.stringContaining('Call ListShards with StreamName'),
      });
    }
    const { Shards = [] } = await client.send(new ListShardsCommand({ StreamName: EVENTS }));
    expect(Shards.length).toBeGreaterThan(0);
  });

  it('answers an operation kinesalite lacks with UnknownOperationException', async () => {
    await expect(
      client.send(
        new UpdateShardCountCommand({
          StreamName: POSTS,
          TargetShardCount: 4,
          ScalingType: 'UNIFORM_SCALING',
        }),
      ),
    ).rejects.toMatchObject({ name: 'UnknownOperationException' });
    expect(running.log.lines.some((l) => l.includes('UpdateShardCount is not supported'))).toBe(true);
  });

  it('keeps streams and records across a restart, and starts empty when fresh', async () => {
    const other = await tempDataRoot();
    const first = await start(model, other, { fresh: true });
    await first.client.send(
      new PutRecordCommand({ StreamName: EVENTS, PartitionKey: 'k', Data: encode('kept') }),
    );
    first.client.destroy();
    await first.service.stop();

    const second = await start(model, other);
    expect(second.service.streams).toEqual({ PostsStream: 'kept', EventsStream: 'kept' });
    const { Shards } = await second.client.send(new ListShardsCommand({ StreamName: EVENTS }));
    const { ShardIterator } = await second.client.send(
      new GetShardIteratorCommand({
        StreamName: EVENTS,
        ShardId: Shards?.[0]?.ShardId,
        ShardIteratorType: 'TRIM_HORIZON',
      }),
    );
    const read = await second.client.send(new GetRecordsCommand({ ShardIterator }));
    expect(read.Records?.map((r) => new TextDecoder().decode(r.Data))).toEqual(['kept']);
    second.client.destroy();
    await second.service.stop();

    const third = await start(model, other, { fresh: true });
    expect(third.service.streams).toEqual({ PostsStream: 'created', EventsStream: 'created' });
    third.client.destroy();
    await third.service.stop();
  });

  it('refuses a second local cloud on the same data folder', async () => {
    await expect(start(model, dataRoot)).rejects.toThrow(/in use by another local cloud/);
  });
});
