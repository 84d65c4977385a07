import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { CreateTableCommand, type CreateTableCommandInput, DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { KinesisClient } from '@aws-sdk/client-kinesis';
import { DynamoDBDocumentClient, PutCommand, paginateScan, QueryCommand } from '@aws-sdk/lib-dynamodb';
import { NodeHttpHandler } from '@smithy/node-http-handler';
import { KinesisRecordSink, recordFor } from '../../functions/posts/adapters/kinesis.js';
import { DynamoPostWriter } from '../../functions/posts/adapters/posts-table.js';
import { envelopeFor, normaliseEnvelope, type PostEnvelope } from '../../functions/posts/domain/post.js';
import { itemsForPost, type PostItem } from '../../functions/posts/domain/post-items.js';
import { putAllRecords } from '../../functions/posts/domain/put-records.js';
import { type WriteCost, writeCostOf } from '../../functions/posts/domain/write-cost.js';
import { samplePosts } from '../../functions/posts/producer/sample-posts.js';
import { startLocalCloud } from '../../local/index.js';
import { createMemoryLogger } from '../../local/log.js';
import type { TableModel } from '../../local/template/types.js';
import { fullCopyItemsForPost } from '../../test/helpers/full-copy-items.js';
import { type Goal, printGoals, ratioGoal, valueGoal } from '../lib/goals.js';
import { printTable, progress, seconds } from '../lib/report.js';
import type { BenchOptions } from '../run.js';

const root = path.resolve(import.meta.dirname, '../..');
const credentials = { accessKeyId: 'local', secretAccessKey: 'local' };
const region = 'us-east-1';
const STREAM = 'kumo-local-PostsStream';
const TABLE = 'kumo-local-PostsTable';

function generate(count: number, seed: number): PostEnvelope[] {
  const generator = samplePosts(seed);
  const start = Date.now() - 60_000;
  return Array.from({ length: count }, (_, i) => {
    // Spread over a minute of creation times: "latest" lands in one hour bucket, as live traffic would.
    const at = new Date(start + Math.floor((i / count) * 60_000));
    const { post, users } = generator.next(at);
    return envelopeFor(post, users, 'feed', at);
  });
}

function itemsOf(envelopes: readonly PostEnvelope[], layout = itemsForPost): PostItem[] {
  return envelopes.flatMap((envelope) => {
    const result = normaliseEnvelope(envelope);
    if (!result.ok) throw new Error(`generated post refused: ${result.rejection.reason}`);
    return layout(result.post);
  });
}

/** Bytes and write units per post, table and index copies, of the items of `envelopes`. */
function costPerPost(envelopes: readonly PostEnvelope[], layout = itemsForPost): WriteCost {
  const cost = writeCostOf(itemsOf(envelopes, layout));
  const per = (n: number) => n / envelopes.length;
  return {
    items: per(cost.items),
    tableBytes: per(cost.tableBytes),
    indexBytes: per(cost.indexBytes),
    writeUnits: per(cost.writeUnits),
  };
}

/** A table with PostsTable's keys and indexes, for the baselines (same DynamoDB, same write cost). */
function copyOf(model: TableModel, name: string): CreateTableCommandInput {
  const keys = (schema: TableModel['keySchema']) =>
    schema.map((k) => ({ AttributeName: k.attributeName, KeyType: k.keyType }));
  return {
    TableName: name,
    BillingMode: 'PAY_PER_REQUEST',
    AttributeDefinitions: model.attributeDefinitions.map((d) => ({
      AttributeName: d.attributeName,
      AttributeType: d.attributeType as 'S' | 'N' | 'B',
    })),
    KeySchema: keys(model.keySchema),
    GlobalSecondaryIndexes: model.globalSecondaryIndexes.map((index) => ({
      IndexName: index.indexName,
      KeySchema: keys(index.keySchema),
      Projection: { ProjectionType: 'ALL' },
    })),
  };
}

/** Posts the consumer has counted (its per-minute counters). */
async function countedPosts(documents: DynamoDBDocumentClient): Promise<number> {
  const day = new Date().toISOString().slice(0, 10);
  const { Items = [] } = await documents.send(
    new QueryCommand({
      TableName: TABLE,
      KeyConditionExpression: 'pk = :pk',
      ExpressionAttributeValues: { ':pk': `STATS#${day}` },
    }),
  );
  return Items.reduce((sum, item) => sum + Number(item.posts ?? 0), 0);
}

/**
 * bench/ingest: N posts end to end through the local cloud (PutRecords → local Kinesis → event source
 * mapping → PostsConsumerFunction → BatchWriteItem → PostsTable), against, on the same local DynamoDB
 * in the same run, (b) the ceiling — BatchWriteItem of the same items with nothing in front — and (c)
 * the book's consumer, one PutItem per item, one after the other. The producer's PutRecords run on the
 * same process as the local DynamoDB (kinesalite and dynalite share the local cloud's event loop), so
 * the table also gives the consumer's rate once PutRecords has ended: the consumer on its own. Under
 * it, the bytes and write units a post costs (domain/write-cost.ts), this layout's slim hashtag entries
 * against the full copy per hashtag written before issue 12.
 */
export async function run({ quick }: BenchOptions): Promise<void> {
  const total = quick ? 5_000 : 50_000;
  const ceilingPosts = quick ? 2_000 : 10_000;
  const naivePosts = quick ? 500 : 2_000;
  const dataDir = await mkdtemp(path.join(tmpdir(), 'kumo-bench-ingest-'));
  const cloud = await startLocalCloud({
    rootDir: root,
    dataDir,
    portBase: 0,
    fresh: true,
    schedules: false,
    web: false,
    log: createMemoryLogger(),
    functionLogSink: () => {},
    parameterOverrides: {
      PostsShardCount: '4',
      // The stream is idle when the cloud starts, and the resharder would rightly scale it in to 2
      // shards (2,000 records/s) just as the producer starts: the figure would depend on when.
      ReshardMinShards: '4',
      PostsConsumerBatchSize: '1000',
      PostsConsumerParallelization: '2',
    },
    kinesisTiming: { pollIntervalMs: 100 },
  });
  try {
    const { services } = cloud.endpoints;
    const dynamo = new DynamoDBClient({ region, credentials, endpoint: services.dynamodb });
    const documents = DynamoDBDocumentClient.from(dynamo);
    const kinesis = new KinesisClient({
      region,
      credentials,
      endpoint: services.kinesis,
      requestHandler: new NodeHttpHandler(),
    });
    const sink = new KinesisRecordSink(kinesis, STREAM);
    const postsModel = cloud.model.tables.find((t) => t.logicalId === 'PostsTable');
    if (!postsModel) throw new Error('template has no PostsTable');

    // (b) The ceiling: the same writer, the same items, straight into a copy of PostsTable; measured
    // before and after (a) and averaged, since the machine's load drifts during a run.
    await dynamo.send(new CreateTableCommand(copyOf(postsModel, 'bench-ceiling')));
    const ceilingRuns: number[] = [];
    const measureCeiling = async (seed: number) => {
      const items = itemsOf(generate(ceilingPosts, seed));
      const spinner = progress(`(b) BatchWriteItem ceiling, ${items.length} items`);
      const begun = performance.now();
      const report = await new DynamoPostWriter(documents, 'bench-ceiling', { concurrency: 8 }).write(items);
      ceilingRuns.push(performance.now() - begun);
      spinner.done();
      if (report.failed.length > 0) throw new Error(`ceiling: ${report.failed.length} items not written`);
      return items.length / ceilingPosts;
    };
    const ceilingItemsPerPost = await measureCeiling(11);

    // Warm-up, not timed: the consumer's execution environments start cold (8 of them: 4 shards,
    // parallelization 2), as a stream's consumers do once, not on every post. Enough posts that every
    // lane has a batch at the same time, then wait until the consumer has counted them all.
    const warmPosts = quick ? 800 : 4_000;
    let spin = progress(`warm-up: ${warmPosts} posts, not timed (the consumers' cold starts)`);
    const warm = await putAllRecords(sink, generate(warmPosts, 5).map(recordFor), { maxAttempts: 30 });
    const warmDeadline = Date.now() + 5 * 60_000;
    let warmCounted = await countedPosts(documents);
    while (warmCounted < warmPosts - warm.failed.length && Date.now() < warmDeadline) {
      await new Promise((resolve) => setTimeout(resolve, 250));
      warmCounted = await countedPosts(documents);
    }
    spin.done();
    /** What the consumer counted of (a)'s posts. */
    const countedOfRun = async () => (await countedPosts(documents)) - warmCounted;

    // (a) End to end. The producer side sends everything at once, 4 PutRecords in flight.
    const envelopes = generate(total, 7);
    const itemsPerPost = itemsOf(envelopes.slice(0, 1000)).length / 1000;
    // Bytes written per post as DynamoDB counts them, this layout and the one with full hashtag copies.
    const costNow = costPerPost(envelopes.slice(0, 5000));
    const costFullCopies = costPerPost(envelopes.slice(0, 5000), fullCopyItemsForPost);
    spin = progress(`(a) ${total} posts end to end (warm)`);
    const started = performance.now();
    const records = envelopes.map(recordFor);
    const chunks = Array.from({ length: Math.ceil(records.length / 2000) }, (_, i) =>
      records.slice(i * 2000, (i + 1) * 2000),
    );
    let putFailed = 0;
    let putCalls = 0;
    let putResent = 0;
    let nextChunk = 0;
    await Promise.all(
      Array.from({ length: 4 }, async () => {
        while (nextChunk < chunks.length) {
          const chunk = chunks[nextChunk++] ?? [];
          // Not `putFailed += await …`: that reads putFailed before the await, and four producers
          // overwrite each other's counts (a run once reported 0 failures while 19 posts had failed).
          const report = await putAllRecords(sink, chunk, { maxAttempts: 30 });
          putFailed += report.failed.length;
          putCalls += report.calls;
          putResent += report.resent;
        }
      }),
    );
    const putDone = performance.now();
    let counted = await countedOfRun();
    const countedAtPutDone = counted;
    const deadline = Date.now() + 15 * 60_000;
    while (counted < total - putFailed && Date.now() < deadline) {
      await new Promise((resolve) => setTimeout(resolve, 250));
      counted = await countedOfRun();
    }
    const endToEnd = performance.now() - started;
    spin.done();

    spin = progress('counting what landed');
    const perPost = new Map<string, number>();
    for await (const page of paginateScan(
      { client: documents },
      { TableName: TABLE, ProjectionExpression: 'pk, sk' },
    )) {
      for (const item of page.Items ?? []) {
        if (item.sk === 'POST') perPost.set(String(item.pk), (perPost.get(String(item.pk)) ?? 0) + 1);
      }
    }
    await measureCeiling(12);
    const ceilingMs = ceilingRuns.reduce((sum, ms) => sum + ms, 0) / ceilingRuns.length;
    const lost = envelopes.filter((e) => !perPost.has(`POST#${e.post.id}`)).length;
    const duplicated = [...perPost.values()].filter((n) => n > 1).length;
    spin.done();

    // (c) The book's consumer: for each record, one PutItem per item, in order.
    await dynamo.send(new CreateTableCommand(copyOf(postsModel, 'bench-naive')));
    const naiveItems = itemsOf(generate(naivePosts, 13));
    spin = progress(`(c) one PutItem per item, ${naiveItems.length} items`);
    const naiveStarted = performance.now();
    for (const item of naiveItems)
      await documents.send(new PutCommand({ TableName: 'bench-naive', Item: item }));
    const naiveMs = performance.now() - naiveStarted;
    spin.done();

    const postsPerSecond = (total - lost) / (endToEnd / 1000);
    const ceilingPostsPerSecond = ceilingPosts / (ceilingMs / 1000);
    const drainPostsPerSecond = (counted - countedAtPutDone) / ((endToEnd - (putDone - started)) / 1000);
    const naivePostsPerSecond = naivePosts / (naiveMs / 1000);
    const perSecond = (n: number) => `${Math.round(n).toLocaleString('en-US')}/s`;
    const bytes = (n: number) => `${Math.round(n).toLocaleString('en-US')} B`;
    const cost = (label: string, c: WriteCost, goal: string) => [
      label,
      '',
      c.items.toFixed(2),
      '',
      `${bytes(c.tableBytes)} + ${bytes(c.indexBytes)} idx`,
      `${c.writeUnits.toFixed(2)} WCU`,
      goal,
    ];
    printTable([
      ['measure', 'posts', 'items/post', 'time', 'posts/s', 'items/s', 'goal'],
      [
        '(a) end to end (Kinesis → Lambda → BatchWriteItem)',
        total,
        itemsPerPost.toFixed(2),
        seconds(endToEnd),
        perSecond(postsPerSecond),
        perSecond(postsPerSecond * itemsPerPost),
        '',
      ],
      [
        '    of which PutRecords (producer side)',
        total,
        '',
        seconds(putDone - started),
        perSecond(total / ((putDone - started) / 1000)),
        '',
        `${putCalls} calls, ${putResent} records resent (throttled: 4 shards take 4,000/s)`,
      ],
      [
        '    consumer alone, after PutRecords ended',
        counted - countedAtPutDone,
        '',
        seconds(endToEnd - (putDone - started)),
        perSecond(drainPostsPerSecond),
        perSecond(drainPostsPerSecond * itemsPerPost),
        '',
      ],
      [
        `(b) ceiling: BatchWriteItem only (mean of ${ceilingRuns.length})`,
        ceilingPosts,
        ceilingItemsPerPost.toFixed(2),
        seconds(ceilingMs),
        perSecond(ceilingPostsPerSecond),
        perSecond(ceilingPostsPerSecond * ceilingItemsPerPost),
        '',
      ],
      [
        '(c) naive: one PutItem per item',
        naivePosts,
        (naiveItems.length / naivePosts).toFixed(2),
        seconds(naiveMs),
        perSecond(naivePostsPerSecond),
        perSecond(naiveItems.length / (naiveMs / 1000)),
        '',
      ],
      [
        'a / b, end to end',
        '',
        '',
        '',
        `${(postsPerSecond / ceilingPostsPerSecond).toFixed(2)}x`,
        '',
        '>= 0.80x',
      ],
      ['a / c, end to end', '', '', '', `${(postsPerSecond / naivePostsPerSecond).toFixed(1)}x`, '', '>= 4x'],
      [
        'a / b, consumer alone',
        '',
        '',
        '',
        `${(drainPostsPerSecond / ceilingPostsPerSecond).toFixed(2)}x`,
        '',
        '>= 0.80x',
      ],
      [
        'a / c, consumer alone',
        '',
        '',
        '',
        `${(drainPostsPerSecond / naivePostsPerSecond).toFixed(1)}x`,
        '',
        '>= 4x',
      ],
      ['bytes written per post (table + index copies)', '', 'items/post', '', 'bytes/post', 'WCU/post', ''],
      cost('    this layout (slim hashtag entries)', costNow, ''),
      cost('    full copy per hashtag (before issue 12)', costFullCopies, ''),
      [
        '    ratio, table + index bytes',
        '',
        '',
        '',
        `${((costNow.tableBytes + costNow.indexBytes) / (costFullCopies.tableBytes + costFullCopies.indexBytes)).toFixed(2)}x`,
        '',
        '< 1x (fewer bytes)',
      ],
      ['lost posts', lost, '', '', '', '', '0'],
      ['duplicated posts', duplicated, '', '', '', '', '0'],
      ['records the consumer counted', counted, '', '', '', '', `${total} (more = replays)`],
      ['PutRecords failures left', putFailed, '', '', '', '', '0'],
    ]);
    const tableAndIndex = (c: WriteCost) => c.tableBytes + c.indexBytes;
    const goals: Goal[] = [
      ratioGoal(
        'end to end / BatchWriteItem ceiling',
        postsPerSecond,
        ceilingPostsPerSecond,
        { atLeast: 0.8 },
        perSecond,
      ),
      ratioGoal(
        'end to end / one PutItem per item',
        postsPerSecond,
        naivePostsPerSecond,
        { atLeast: 4 },
        perSecond,
      ),
      ratioGoal(
        'consumer alone / ceiling',
        drainPostsPerSecond,
        ceilingPostsPerSecond,
        { atLeast: 0.8 },
        perSecond,
      ),
      ratioGoal(
        'consumer alone / one PutItem per item',
        drainPostsPerSecond,
        naivePostsPerSecond,
        { atLeast: 4 },
        perSecond,
      ),
      ratioGoal(
        'bytes per post / full copy per hashtag',
        tableAndIndex(costNow),
        tableAndIndex(costFullCopies),
        { atMost: 0.99 },
        bytes,
      ),
      valueGoal('lost posts', lost, { atMost: 0 }),
      valueGoal('duplicated posts', duplicated, { atMost: 0 }),
      valueGoal('PutRecords failures left', putFailed, { atMost: 0 }),
    ];
    printGoals(goals, 'bench/ingest goals');
  } finally {
    await cloud.stop();
    await rm(dataDir, { recursive: true, force: true });
  }
}
