import path from 'node:path';
import {
  DescribeStreamSummaryCommand,
  type KinesisClient,
  ListShardsCommand,
  MergeShardsCommand,
  PutRecordCommand,
  PutRecordsCommand,
  type Shard,
  SplitShardCommand,
  UpdateShardCountCommand,
} from '@aws-sdk/client-kinesis';
import type { KinesisStreamEvent } from 'aws-lambda';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type RunningKinesisMappings, startKinesisMappings } from '../../../local/events/kinesis.js';
import {
  createKinesisService,
  type KinesisService,
  localKinesisClient,
} from '../../../local/services/kinesis/index.js';
import { readTemplate, type TemplateModel } from '../../../local/template/index.js';
import { type ManualClock, manualClock } from '../../helpers/manual-clock.js';
import { createRecordingInvoker, tempDataRoot, testContext } from '../../helpers/service-context.js';

const FIXTURE = path.resolve(import.meta.dirname, '../../fixtures/kinesis/template.yaml');
const HASH_SPACE = 2n ** 128n;
const DAY_MS = 24 * 60 * 60 * 1000;
const encode = (text: string) => new TextEncoder().encode(text);

/** Starting hash keys of `n` uniform shards, as CreateStream lays them out. */
function uniformStarts(n: number): string[] {
  return Array.from({ length: n }, (_, i) => ((HASH_SPACE / BigInt(n)) * BigInt(i)).toString());
}

const isOpen = (s: Shard) => s.SequenceNumberRange?.EndingSequenceNumber === undefined;

async function until<T>(
  what: string,
  probe: () => Promise<T>,
  done: (v: T) => boolean,
  ms = 10_000,
): Promise<T> {
  const deadline = Date.now() + ms;
  for (;;) {
    const value = await probe();
    if (done(value)) return value;
    if (Date.now() > deadline)
      throw new Error(`timed out waiting for ${what}: ${JSON.stringify(value).slice(0, 300)}`);
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}

describe('Service: kinesis resharding and write limits', () => {
  let model: TemplateModel;
  let dataRoot: string;
  let clock: ManualClock;
  /** The wall clock the write limits see: still unless a test moves it (refills are then exact). */
  let limitsNow = 0;
  let service: KinesisService;
  let client: KinesisClient;
  let log: ReturnType<typeof testContext>['log'];

  const shards = async (stream: string) =>
    (await client.send(new ListShardsCommand({ StreamName: stream }))).Shards ?? [];
  const status = async (stream: string) =>
    (await client.send(new DescribeStreamSummaryCommand({ StreamName: stream }))).StreamDescriptionSummary;
  const active = (stream: string) =>
    until(
      `${stream} ACTIVE`,
      () => status(stream),
      (s) => s?.StreamStatus === 'ACTIVE',
    );
  const update = (stream: string, target: number, scaling = 'UNIFORM_SCALING') =>
    client.send(
      new UpdateShardCountCommand({
        StreamName: stream,
        TargetShardCount: target,
        ScalingType: scaling as 'UNIFORM_SCALING',
      }),
    );

  beforeAll(async () => {
    model = await readTemplate(FIXTURE);
    dataRoot = await tempDataRoot();
    clock = manualClock(Date.now());
    const context = testContext(model, dataRoot, { fresh: true });
    context.ctx.clock = clock;
    log = context.log;
    // 6 open shards in the fixture's five streams; a quota of 12 leaves room for the tests below.
    service = (await createKinesisService({
      resharding: true,
      writeLimits: { now: () => limitsNow },
      updateStreamMs: 20,
      shardLimit: 12,
    }).start(context.ctx)) as KinesisService;
    client = localKinesisClient(service.url, 'us-east-1');
  });

  afterAll(async () => {
    client?.destroy();
    await service?.stop();
  });

  it('UpdateShardCount 1 → 2 → 4 → 3 → 2 leaves uniform hash-key ranges with parent lineage', async () => {
    const stream = 'fixture-split';
    let previousOpen = (await shards(stream)).filter(isOpen).map((s) => s.ShardId);
    for (const [current, target] of [
      [1, 2],
      [2, 4],
      [4, 3],
      [3, 2],
    ] as const) {
      const answer = await update(stream, target);
      expect(answer).toMatchObject({
        StreamName: stream,
        StreamARN: `arn:aws:kinesis:us-east-1:000000000000:stream/${stream}`,
        CurrentShardCount: current,
        TargetShardCount: target,
      });
      // UPDATING from the answer until every split and merge is done; no other reshard meanwhile.
      expect((await status(stream))?.StreamStatus).toBe('UPDATING');
      await expect(
        client.send(
          new SplitShardCommand({
            StreamName: stream,
            ShardToSplit: previousOpen[0],
            NewStartingHashKey: '12345',
          }),
        ),
      ).rejects.toMatchObject({
        name: 'ResourceInUseException',
        message: `Stream ${stream} under account 000000000000 not ACTIVE, instead in state UPDATING`,
      });
      expect((await active(stream))?.OpenShardCount).toBe(target);

      const all = await shards(stream);
      const open = all.filter(isOpen);
      expect(open.map((s) => s.HashKeyRange?.StartingHashKey)).toEqual(uniformStarts(target));
      expect(open.at(-1)?.HashKeyRange?.EndingHashKey).toBe((HASH_SPACE - 1n).toString());
      // Every new shard names its parent(s); the lineage leads back to the shards open before.
      const byId = new Map(all.map((s) => [s.ShardId, s]));
      const ancestors = (id: string | undefined): string[] => {
        const shard = byId.get(id);
        if (!shard || previousOpen.includes(id)) return id ? [id] : [];
        const parents = [shard.ParentShardId, shard.AdjacentParentShardId].filter(Boolean);
        expect(parents.length).toBeGreaterThan(0);
        return parents.flatMap(ancestors);
      };
      expect(new Set(open.flatMap((s) => ancestors(s.ShardId)))).toEqual(new Set(previousOpen));
      if (target < current) expect(open.some((s) => s.AdjacentParentShardId)).toBe(true);
      previousOpen = open.map((s) => s.ShardId);
    }
    expect(log.lines).toContain('[kinesis] fixture-split UpdateShardCount 4 → 3: 2 split(s), 3 merge(s)');
  });

  it('refuses what Kinesis refuses: over double, under half, scaling types, unknown streams, during UPDATING', async () => {
    await expect(update('fixture-partial', 3)).rejects.toMatchObject({
      name: 'LimitExceededException',
      message:
        'UpdateShardCount cannot scale up over double your current open shard count. Current open shard count: 1 Target shard count: 3',
    });
    await update('fixture-ok', 4);
    await expect(update('fixture-ok', 3)).rejects.toMatchObject({
      name: 'ResourceInUseException',
      message: 'Stream fixture-ok under account 000000000000 not ACTIVE, instead in state UPDATING',
    });
    await active('fixture-ok');
    await expect(update('fixture-ok', 1)).rejects.toMatchObject({
      name: 'LimitExceededException',
      message:
        'UpdateShardCount cannot scale down below half your current open shard count. Current open shard count: 4 Target shard count: 1',
    });
    await expect(update('fixture-ok', 2, 'NOT_UNIFORM')).rejects.toMatchObject({
      name: 'ValidationException',
      message: expect.stringContaining('Member must satisfy enum value set: [UNIFORM_SCALING]'),
    });
    await expect(update('fixture-ok', 0)).rejects.toMatchObject({ name: 'ValidationException' });
    await expect(update('no-such-stream', 2)).rejects.toMatchObject({ name: 'ResourceNotFoundException' });
    // 6 + 1 (fixture-split) + 2 (fixture-ok) open shards of 12: doubling fixture-ok (4 → 8) needs 4 more.
    await expect(update('fixture-ok', 8)).rejects.toMatchObject({
      name: 'LimitExceededException',
      message: expect.stringContaining(
        'This request would exceed the shard limit for the account 000000000000 in us-east-1. Current shard count for the account: 9. Limit: 12. Number of additional shards that would have resulted from this request: 4.',
      ),
    });
    await update('fixture-ok', 2);
    await active('fixture-ok');
  });

  it('allows 10 UpdateShardCount calls per stream in a rolling 24 hours of the metric clock', async () => {
    const stream = 'fixture-crash';
    for (let call = 1; call <= 10; call += 1) {
      await update(stream, call % 2 === 1 ? 2 : 1);
      await active(stream);
    }
    await expect(update(stream, 2)).rejects.toMatchObject({
      name: 'LimitExceededException',
      message: expect.stringContaining('already been scaled 10 times in the last 24 hours'),
    });
    // Other streams have their own count; a day later (on the metric clock) the stream may scale again.
    await update('fixture-poison', 2);
    await active('fixture-poison');
    clock.advance(DAY_MS);
    await update(stream, 2);
    await active(stream);
    expect((await status(stream))?.OpenShardCount).toBe(2);
    await update('fixture-poison', 1);
    await active('fixture-poison');
  });

  it('throttles writes over 1,000 records or 1 MiB per second per shard, and counts them', async () => {
    const stream = 'fixture-poison';
    const batch = (round: number) =>
      Array.from({ length: 500 }, (_, i) => ({ PartitionKey: `key-${i}`, Data: encode(`r${round}-${i}`) }));
    limitsNow += 10_000;
    const results = [];
    for (let round = 0; round < 4; round += 1) {
      results.push(await client.send(new PutRecordsCommand({ StreamName: stream, Records: batch(round) })));
    }
    const failed = results.reduce((n, r) => n + (r.FailedRecordCount ?? 0), 0);
    // One shard, one second (the limits' clock stands still): 1,000 of the 2,000 records go in.
    expect(results.map((r) => r.FailedRecordCount)).toEqual([0, 0, 500, 500]);
    // Half a second later, half a second's worth more.
    limitsNow += 500;
    const later = await client.send(new PutRecordsCommand({ StreamName: stream, Records: batch(4) }));
    expect(later.FailedRecordCount).toBe(0);
    const refused = results.flatMap((r) => r.Records ?? []).filter((r) => r.ErrorCode);
    expect(refused).toHaveLength(failed);
    expect(refused[0]).toEqual({
      ErrorCode: 'ProvisionedThroughputExceededException',
      ErrorMessage: expect.stringMatching(
        /^Rate exceeded for shard shardId-\d{12} in stream fixture-poison under account 000000000000\.$/,
      ),
    });
    const sum = (name: string) =>
      service.metrics
        .query({
          namespace: 'AWS/Kinesis',
          name,
          dimensions: { StreamName: stream },
          start: 0,
          end: clock.now() + 1000,
          periodSeconds: 60,
        })
        .reduce((n, d) => n + d.Sum, 0);
    expect(sum('PutRecords.ThrottledRecords')).toBe(failed);
    expect(sum('WriteProvisionedThroughputExceeded')).toBe(failed);
    expect(sum('IncomingRecords')).toBe(2500 - failed);

    // Bytes: two records of 600 KB are over a shard's 1 MiB per second.
    const big = new Uint8Array(600 * 1024);
    const bytes = await client.send(
      new PutRecordsCommand({
        StreamName: 'fixture-partial',
        Records: [
          { PartitionKey: 'same', Data: big },
          { PartitionKey: 'same', Data: big },
        ],
      }),
    );
    expect(bytes.FailedRecordCount).toBe(1);
    expect(bytes.Records?.[1]?.ErrorCode).toBe('ProvisionedThroughputExceededException');
    await expect(
      client.send(new PutRecordCommand({ StreamName: 'fixture-partial', PartitionKey: 'same', Data: big })),
    ).rejects.toMatchObject({
      name: 'ProvisionedThroughputExceededException',
      message: expect.stringMatching(/^Rate exceeded for shard shardId-\d{12} in stream fixture-partial/),
    });
  });

  it('a stream scaled out takes the burst its single shard refused', async () => {
    // fixture-split has 2 uniform shards (first test): 1,500 records over 2 shards fit in one second.
    const records = Array.from({ length: 500 }, (_, i) => ({
      PartitionKey: `burst-${i}`,
      Data: encode('b'),
    }));
    limitsNow += 10_000;
    let failed = 0;
    for (let round = 0; round < 3; round += 1) {
      failed +=
        (await client.send(new PutRecordsCommand({ StreamName: 'fixture-split', Records: records })))
          .FailedRecordCount ?? 0;
    }
    expect(failed).toBe(0);
  });

  it('a Kinesis event source follows the lineage through reshards: nothing lost, order kept per key', async () => {
    const invoker = createRecordingInvoker();
    const mappings: RunningKinesisMappings = await startKinesisMappings({
      model,
      invoker,
      log,
      endpoints: { kinesis: service.url },
      dataDir: path.join(dataRoot, 'mappings'),
      fresh: true,
      timing: { pollIntervalMs: 20, discoverIntervalMs: 20, retryBaseMs: 20, retryMaxMs: 50 },
    });
    try {
      const stream = 'fixture-ok';
      const keys = Array.from({ length: 12 }, (_, i) => `user-${i}`);
      let sequence = 0;
      const putRound = async () => {
        const records = keys.flatMap((key) =>
          Array.from({ length: 4 }, () => ({ PartitionKey: key, Data: encode(`${key}#${sequence++}`) })),
        );
        // A second passes between rounds for the write limits.
        limitsNow += 1000;
        const result = await client.send(new PutRecordsCommand({ StreamName: stream, Records: records }));
        expect(result.FailedRecordCount).toBe(0);
      };
      for (const target of [4, 3, 2]) {
        await putRound();
        await update(stream, target);
        // Writes go on while the stream splits and merges.
        while ((await status(stream))?.StreamStatus === 'UPDATING') {
          await putRound();
          await new Promise((resolve) => setTimeout(resolve, 40));
        }
      }
      await putRound();
      const sent = sequence;

      const delivered = () =>
        invoker.calls
          .filter((c) => c.logicalId === 'OkConsumerFunction')
          .flatMap((c) => (c.event as KinesisStreamEvent).Records)
          .map((r) => Buffer.from(r.kinesis.data, 'base64').toString('utf8'));
      const seen = await until(
        `${sent} records`,
        async () => delivered(),
        (d) => d.length >= sent,
      );
      // Earlier tests wrote nothing else to fixture-ok's records: exactly what was sent, once each.
      expect(seen).toHaveLength(sent);
      expect(new Set(seen).size).toBe(sent);
      for (const key of keys) {
        const order = seen.filter((d) => d.startsWith(`${key}#`)).map((d) => Number(d.split('#')[1]));
        expect(order).toEqual([...order].sort((a, b) => a - b));
      }
      const okMapping = mappings.mappings.find((m) => m.id.startsWith('OkConsumerFunction'));
      const closed = (await shards(stream)).filter((s) => !isOpen(s)).map((s) => s.ShardId as string);
      expect(closed.length).toBeGreaterThan(2);
      await until(
        'closed shards drained',
        async () => okMapping?.shards() ?? {},
        (s) => closed.every((id) => s[id] === 'ended'),
      );
    } finally {
      await mappings.stop();
    }
  });

  it('MergeShards from a client is refused while UpdateShardCount works', async () => {
    const stream = 'fixture-split';
    const open = (await shards(stream)).filter(isOpen);
    await update(stream, 4);
    await expect(
      client.send(
        new MergeShardsCommand({
          StreamName: stream,
          ShardToMerge: open[0]?.ShardId,
          AdjacentShardToMerge: open[1]?.ShardId,
        }),
      ),
    ).rejects.toMatchObject({ name: 'ResourceInUseException' });
    await active(stream);
  });
});
