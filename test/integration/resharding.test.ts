/**
 * Kinesis auto-resharding on the local cloud, the whole template at --time-scale 60 (a one-minute alarm
 * period passes in a second): a load step makes ScaleOutAlarm fire and ReshardFunction scale PostsStream
 * out exactly once to the count the load needs; the records written across the reshard reach
 * PostsTable, and the stream keeps each partition key's records in order through the shard lineage; a
 * quiet period scales it back in; a notification that arrives while the stream is UPDATING changes
 * nothing.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import {
  CloudWatchClient,
  DescribeAlarmsCommand,
  type MetricAlarm,
  PutMetricAlarmCommand,
  SetAlarmStateCommand,
} from '@aws-sdk/client-cloudwatch';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import {
  DescribeStreamSummaryCommand,
  GetRecordsCommand,
  GetShardIteratorCommand,
  type KinesisClient,
  ListShardsCommand,
  PutRecordsCommand,
  type Shard,
  UpdateShardCountCommand,
} from '@aws-sdk/client-kinesis';
import {
  BatchGetCommand,
  type BatchGetCommandOutput,
  DynamoDBDocumentClient,
  QueryCommand,
} from '@aws-sdk/lib-dynamodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { envelopeFor } from '../../functions/posts/domain/post.js';
import { samplePosts } from '../../functions/posts/producer/sample-posts.js';
import { putInputFor } from '../../functions/resharder/adapters/cloudwatch-alarms.js';
import { type LocalCloud, startLocalCloud } from '../../local/index.js';
import { createMemoryLogger } from '../../local/log.js';
import { localKinesisClient } from '../../local/services/kinesis/index.js';
import { reshardEvent } from '../helpers/resharder.js';

const root = path.resolve(import.meta.dirname, '../..');
const region = 'us-east-1';
const credentials = { accessKeyId: 'local', secretAccessKey: 'local' };
const STREAM = 'kumo-local-PostsStream';
const SCALE_OUT_ALARM = 'kumo-local-ScaleOutAlarm';
const SCALE_IN_ALARM = 'kumo-local-ScaleInAlarm';
const HISTORY_TABLE = 'kumo-local-ReshardHistoryTable';
const POSTS_TABLE = 'kumo-local-PostsTable';
const TIME_SCALE = 60;
/** Partition keys of the load: each gets dozens of records, on both sides of the reshard. */
const KEYS = 256;

interface Decision {
  outcome: string;
  reason: string;
  direction?: string;
  from?: number;
  to?: number;
  updateCalls?: number;
  utilisation?: number;
}

let cloud: LocalCloud;
let dataDir: string;
let kinesis: KinesisClient;
let cloudWatch: CloudWatchClient;
let documents: DynamoDBDocumentClient;
const decisions: Decision[] = [];
/** Post ids per partition key, in the order Kinesis accepted them. */
const accepted = new Map<string, string[]>();

async function until<T>(
  what: string,
  probe: () => Promise<T>,
  done: (value: T) => boolean,
  ms = 60_000,
): Promise<T> {
  const deadline = Date.now() + ms;
  for (;;) {
    const value = await probe();
    if (done(value)) return value;
    if (Date.now() > deadline)
      throw new Error(`timed out waiting for ${what}: ${JSON.stringify(value).slice(0, 500)}`);
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
}

const summary = async () =>
  (await kinesis.send(new DescribeStreamSummaryCommand({ StreamName: STREAM }))).StreamDescriptionSummary;

const scaled = () => decisions.filter((d) => d.outcome === 'scaled');

/**
 * Writes `recordsPerSecond` posts a second for `seconds`, in batches every 100 ms, one call at a time.
 * A batch holds at most one record per key, taken in order from the queue of records not yet accepted,
 * so a refused record (sent again in the next batch) is never overtaken by a later one of its key.
 */
async function load(recordsPerSecond: number, seconds: number): Promise<{ refused: number }> {
  const generator = samplePosts(2026);
  const perBatch = Math.round(recordsPerSecond / 10);
  const end = Date.now() + seconds * 1000;
  let queue: { key: string; id: string; data: Uint8Array }[] = [];
  let sequence = 0;
  let refused = 0;
  while (Date.now() < end || queue.length > 0) {
    const started = Date.now();
    if (Date.now() < end) {
      for (let i = 0; i < perBatch; i++) {
        const at = new Date();
        const { post, users } = generator.next(at);
        const data = new TextEncoder().encode(JSON.stringify(envelopeFor(post, users, 'feed', at)));
        queue.push({ key: `author-${sequence++ % KEYS}`, id: post.id, data });
      }
    }
    const keys = new Set<string>();
    const batch = queue.filter((record) => !keys.has(record.key) && keys.add(record.key)).slice(0, 500);
    const response = await kinesis.send(
      new PutRecordsCommand({
        StreamName: STREAM,
        Records: batch.map((r) => ({ PartitionKey: r.key, Data: r.data })),
      }),
    );
    const done = new Set<(typeof queue)[number]>();
    for (const [i, result] of (response.Records ?? []).entries()) {
      const record = batch[i];
      if (!record) continue;
      if (result.ErrorCode) {
        refused++;
        continue;
      }
      accepted.set(record.key, [...(accepted.get(record.key) ?? []), record.id]);
      done.add(record);
    }
    queue = queue.filter((record) => !done.has(record));
    await new Promise((resolve) => setTimeout(resolve, Math.max(0, 100 - (Date.now() - started))));
  }
  return { refused };
}

/** How many of `ids` PostsTable holds (BatchGetItem, 100 keys a call). */
async function storedPosts(ids: readonly string[]): Promise<number> {
  let found = 0;
  for (let i = 0; i < ids.length; i += 100) {
    let keys: Record<string, unknown>[] | undefined = ids
      .slice(i, i + 100)
      .map((id) => ({ pk: `POST#${id}`, sk: 'POST' }));
    while (keys && keys.length > 0) {
      const response: BatchGetCommandOutput = await documents.send(
        new BatchGetCommand({ RequestItems: { [POSTS_TABLE]: { Keys: keys, ProjectionExpression: 'pk' } } }),
      );
      found += response.Responses?.[POSTS_TABLE]?.length ?? 0;
      keys = response.UnprocessedKeys?.[POSTS_TABLE]?.Keys;
    }
  }
  return found;
}

/** Every record of the stream, reading each shard only after its parents (the lineage), by key. */
async function readThroughLineage(): Promise<Map<string, string[]>> {
  const shards: Shard[] = [];
  let nextToken: string | undefined;
  do {
    const page = await kinesis.send(
      new ListShardsCommand(nextToken ? { NextToken: nextToken } : { StreamName: STREAM }),
    );
    shards.push(...(page.Shards ?? []));
    nextToken = page.NextToken;
  } while (nextToken);
  const done = new Set<string>();
  const byKey = new Map<string, string[]>();
  while (done.size < shards.length) {
    const ready = shards.filter(
      (s) =>
        !done.has(s.ShardId ?? '') &&
        [s.ParentShardId, s.AdjacentParentShardId].every(
          (parent) => !parent || done.has(parent) || !shards.some((x) => x.ShardId === parent),
        ),
    );
    expect(ready.length, 'a shard whose parents are read').toBeGreaterThan(0);
    for (const shard of ready) {
      let iterator = (
        await kinesis.send(
          new GetShardIteratorCommand({
            StreamName: STREAM,
            ShardId: shard.ShardId,
            ShardIteratorType: 'TRIM_HORIZON',
          }),
        )
      ).ShardIterator;
      while (iterator) {
        const page = await kinesis.send(new GetRecordsCommand({ ShardIterator: iterator, Limit: 10_000 }));
        for (const record of page.Records ?? []) {
          const envelope = JSON.parse(new TextDecoder().decode(record.Data)) as { post: { id: string } };
          const key = record.PartitionKey ?? '';
          byKey.set(key, [...(byKey.get(key) ?? []), envelope.post.id]);
        }
        // An open shard ends when it has nothing more; a closed one when Kinesis says so.
        if ((page.Records ?? []).length === 0 && page.MillisBehindLatest === 0) break;
        iterator = page.NextShardIterator;
      }
      done.add(shard.ShardId ?? '');
    }
  }
  return byKey;
}

async function alarm(name: string): Promise<MetricAlarm> {
  const { MetricAlarms = [] } = await cloudWatch.send(new DescribeAlarmsCommand({ AlarmNames: [name] }));
  const found = MetricAlarms.find((a) => a.AlarmName === name);
  if (!found) throw new Error(`no alarm ${name}`);
  return found;
}

beforeAll(async () => {
  dataDir = await mkdtemp(path.join(tmpdir(), 'kumo-resharding-'));
  cloud = await startLocalCloud({
    rootDir: root,
    dataDir,
    portBase: 0,
    fresh: true,
    schedules: false,
    web: false,
    tracing: false,
    timeScale: TIME_SCALE,
    log: createMemoryLogger(),
    functionLogSink: ({ logicalId, line }) => {
      if (logicalId !== 'ReshardFunction' || !line.includes('"Reshard decision"')) return;
      decisions.push(JSON.parse(line) as Decision);
    },
    kinesisTiming: { pollIntervalMs: 50, discoverIntervalMs: 200 },
  });
  const { services } = cloud.endpoints;
  kinesis = localKinesisClient(services.kinesis as string, region);
  cloudWatch = new CloudWatchClient({ region, credentials, endpoint: services.cloudwatch });
  documents = DynamoDBDocumentClient.from(
    new DynamoDBClient({ region, credentials, endpoint: services.dynamodb }),
  );
}, 120_000);

afterAll(async () => {
  kinesis?.destroy();
  cloudWatch?.destroy();
  documents?.destroy();
  await cloud?.stop();
  if (dataDir) await rm(dataDir, { recursive: true, force: true });
});

describe('Kinesis auto-resharding on the local cloud (time scale 60)', () => {
  it('scales out exactly once to the count a load step needs, losing and reordering nothing', async () => {
    expect((await summary())?.OpenShardCount).toBe(1);
    // 1,200 posts/s of ~0.5 KB against one shard (1,000 records/s): 1.2 shards of demand, which two
    // shards hold under the 85% target — one UpdateShardCount, 1 -> 2.
    await load(1_200, 10);
    // The alarm sees the step's minutes once they are published and evaluated, which on a busy machine
    // can be after the load ends: wait for the decision (exactly one is checked below).
    await until(
      'a scale-out decision',
      async () => scaled().filter((d) => d.direction === 'out'),
      (found) => found.length > 0,
    );
    const outs = scaled().filter((d) => d.direction === 'out');
    expect(outs).toEqual([expect.objectContaining({ from: 1, to: 2, updateCalls: 1 })]);
    // What the alarm saw: one shard more than full (the step), what the resharder sized for: 2 shards.
    expect(outs[0]?.utilisation).toBeGreaterThan(0.88);
    await until(
      'PostsStream ACTIVE with 2 shards',
      summary,
      (s) => s?.StreamStatus === 'ACTIVE' && s.OpenShardCount === 2,
    );

    // The ScaleOutAlarm now divides by 2: both alarms were retargeted.
    expect((await alarm(SCALE_OUT_ALARM)).Metrics?.find((m) => m.Expression)?.Expression).toContain(
      '(1000 * 60 * 2)',
    );
    expect((await alarm(SCALE_IN_ALARM)).Metrics?.find((m) => m.Expression)?.Expression).toContain(
      '(1000 * 300 * 2)',
    );
    const history = await documents.send(
      new QueryCommand({
        TableName: HISTORY_TABLE,
        KeyConditionExpression: 'pk = :pk',
        ExpressionAttributeValues: { ':pk': `STREAM#${STREAM}` },
      }),
    );
    expect(history.Items?.map((i) => [i.from, i.to, i.method])).toEqual([[1, 2, 'UpdateShardCount']]);

    // Through the lineage, each key's records come in the order Kinesis accepted them, none missing.
    const read = await readThroughLineage();
    for (const [key, ids] of accepted) expect(read.get(key), key).toEqual(ids);

    // And the consumer, following the lineage, stored every post.
    const ids = [...accepted.values()].flat();
    await until(
      `${ids.length} posts in PostsTable`,
      () => storedPosts(ids),
      (found) => found === ids.length,
      90_000,
    );
  }, 180_000);

  it('scales back in after a quiet period (cooldown, then at most half)', async () => {
    const quiet = await until(
      'a scale-in decision',
      async () => scaled().filter((d) => d.direction === 'in'),
      (ins) => ins.length > 0,
      120_000,
    );
    expect(quiet[0]).toMatchObject({ from: 2, to: 1 });
    await until(
      'PostsStream ACTIVE with 1 shard',
      summary,
      (s) => s?.StreamStatus === 'ACTIVE' && s.OpenShardCount === 1,
    );
    expect(scaled().filter((d) => d.direction === 'out')).toHaveLength(1);
  }, 150_000);

  it('changes nothing while the stream is UPDATING', async () => {
    // Hold ScaleOutAlarm in ALARM (a threshold every datapoint breaches, and no actions: nothing re-arms
    // it) and ScaleInAlarm out of it, so that only this test reshards the stream meanwhile.
    const originals = { out: await alarm(SCALE_OUT_ALARM), in: await alarm(SCALE_IN_ALARM) };
    await cloudWatch.send(new PutMetricAlarmCommand({ ...putInputFor(originals.in, {}), AlarmActions: [] }));
    await cloudWatch.send(
      new PutMetricAlarmCommand({ ...putInputFor(originals.out, {}), Threshold: -1, AlarmActions: [] }),
    );
    await cloudWatch.send(
      new SetAlarmStateCommand({ AlarmName: SCALE_OUT_ALARM, StateValue: 'ALARM', StateReason: 'test' }),
    );
    const reshard = (target: number) =>
      kinesis.send(
        new UpdateShardCountCommand({
          StreamName: STREAM,
          TargetShardCount: target,
          ScalingType: 'UNIFORM_SCALING',
        }),
      );
    const active = () => until('PostsStream ACTIVE', summary, (s) => s?.StreamStatus === 'ACTIVE');
    try {
      await cloud.invoker.invoke('ReshardFunction', reshardEvent('reshard-malformed'));
      await active();
      if ((await summary())?.OpenShardCount === 1) {
        await reshard(2);
        await active();
      }
      // 2 -> 3 uniform shards takes several splits and merges: the stream is UPDATING for a while.
      await reshard(3);
      const result = await cloud.invoker.invoke(
        'ReshardFunction',
        reshardEvent('reshard-scale-out', {
          messageId: 'while-updating',
          alarmName: SCALE_OUT_ALARM,
          stateChangeTime: new Date(),
        }),
      );
      expect(result.ok).toBe(true);
      expect(result.payload).toMatchObject({
        reports: [{ outcome: 'busy', reason: 'stream-updating', rearmed: true }],
      });
      await active();
      expect((await summary())?.OpenShardCount).toBe(3);
    } finally {
      for (const [name, original] of [
        [SCALE_OUT_ALARM, originals.out],
        [SCALE_IN_ALARM, originals.in],
      ] as const) {
        const current = await alarm(name);
        await cloudWatch.send(
          new PutMetricAlarmCommand({
            ...putInputFor(current, {}),
            Threshold: original.Threshold,
            AlarmActions: original.AlarmActions,
          }),
        );
      }
    }
    // Never, in the whole run, did the resharder call UpdateShardCount on a stream being resharded (the
    // local Kinesis would have refused it: ResourceInUseException, reported as stream-busy).
    expect(decisions.filter((d) => d.reason === 'stream-busy')).toEqual([]);
    expect(decisions.some((d) => d.outcome === 'busy')).toBe(true);
  }, 60_000);
});
