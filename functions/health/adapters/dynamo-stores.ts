/**
 * DynamoDB implementations of the health checker's stores.
 *
 * MonitorsTable (key `monitorId`) holds three kinds of item:
 * - a monitor: its settings at the top level (with `ownerId`, `paused`, `public`) plus `state`
 *   (MonitorState), `buckets` (HourBucket[], uptime of the last 7 days), `listKey` (lower-case name and
 *   id: the sort key of both indexes) and, only while public, `publicListing = "public"`;
 * - `#owner#<ownerId>` with `monitorCount` (the quota's counter) and `monitorIds` (a string set: how
 *   `GET /my/monitors` lists an owner's monitors without an index);
 * - `#watch#<watchKey>` with `watchedBy`, the claim "this owner watches this method and URL".
 * Creating, editing the URL and deleting write the monitor, its claim and the owner item in one
 * TransactWriteItems, each part conditional, so duplicates and quota races cannot slip through. The
 * sparse index Public (`publicListing`, `listKey`) lists the public monitors by name (one index only:
 * CloudFormation adds at most one per stack update). Monitor ids never start with `#`.
 * CheckResultsTable (key `monitorId`, sort key `checkedAt`): one item per check, expiring through the
 * `expiresAt` TTL attribute (epoch seconds), and two items per monitor that every run rewrites in the
 * same BatchWriteItem requests as the results (domain/write-plan.ts): `#latest` (its latest check and
 * the counter of the current hour) and, once an hour, `#uptime` (the buckets of the finished hours).
 * `#` sorts before any date, so a history query (`checkedAt >= <date>`) never sees them; they expire
 * like results when a monitor is gone. The monitor item's `state` is written only on a transition, and
 * its `buckets` are read only until the monitor's first `#uptime` item (monitors stored before).
 */
import {
  BatchGetCommand,
  BatchWriteCommand,
  type BatchWriteCommandInput,
  type DynamoDBDocumentClient,
  GetCommand,
  paginateQuery,
  paginateScan,
  QueryCommand,
  ScanCommand,
  TransactWriteCommand,
  type TransactWriteCommandInput,
  UpdateCommand,
} from '@aws-sdk/lib-dynamodb';
import { watchTargetOf } from '../domain/kinds.js';
import type { MonitorScope, PagePosition } from '../domain/list-query.js';
import { watchKeyFor } from '../domain/monitor-core.js';
import type {
  CreateOutcome,
  ListOptions,
  MonitorPage,
  MonitorStore,
  ResultStore,
  StateUpdate,
  UpdateOutcome,
} from '../domain/ports.js';
import { mapWithConcurrency } from '../domain/run.js';
import { storedExpectedStatus } from '../domain/status-ranges.js';
import {
  type CheckResult,
  type HourBucket,
  type LatestCheck,
  type MaintenanceWindow,
  type Monitor,
  type MonitorRecord,
  type MonitorState,
  OPERATORS_OWNER,
} from '../domain/types.js';
import type { CheckWrite } from '../domain/write-plan.js';
import { PUSH_ATTRIBUTES, pushRecordOf } from './dynamo-push.js';

const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/** BatchWriteItem accepts at most 25 requests. */
export const batchWriteLimit = 25;
/** BatchGetItem accepts at most 100 keys. */
const batchGetLimit = 100;

/** Sort key of a monitor's latest check in CheckResultsTable. */
export const LATEST_SORT_KEY = '#latest';
/** Sort key of a monitor's uptime buckets (finished hours) in CheckResultsTable. */
export const UPTIME_SORT_KEY = '#uptime';
/** The latest check and buckets outlive a results retention shorter than the 7 days they cover. */
const SUMMARY_MIN_DAYS = 8;

/** What CheckResultsTable holds for one monitor besides its results. */
interface CheckSummary {
  latest?: LatestCheck;
  buckets?: HourBucket[];
}

/**
 * The `#latest` and `#uptime` items of `monitorIds`, 100 keys per BatchGetItem (4 at once),
 * UnprocessedKeys retried with exponential backoff.
 */
async function readSummaries(
  client: DynamoDBDocumentClient,
  tableName: string,
  monitorIds: readonly string[],
  consistent: boolean,
): Promise<Map<string, CheckSummary>> {
  const summaries = new Map<string, CheckSummary>();
  const keys = monitorIds.flatMap((monitorId) => [
    { monitorId, checkedAt: LATEST_SORT_KEY },
    { monitorId, checkedAt: UPTIME_SORT_KEY },
  ]);
  const chunks: (typeof keys)[] = [];
  for (let start = 0; start < keys.length; start += batchGetLimit) {
    chunks.push(keys.slice(start, start + batchGetLimit));
  }
  const settled = await mapWithConcurrency(chunks, 4, async (chunk) => {
    let pending: Record<string, unknown>[] = chunk;
    for (let attempt = 0; pending.length > 0; attempt += 1) {
      const { Responses, UnprocessedKeys } = await client.send(
        new BatchGetCommand({
          RequestItems: { [tableName]: { Keys: pending, ConsistentRead: consistent } },
        }),
      );
      for (const item of Responses?.[tableName] ?? []) {
        const monitorId = String(item.monitorId);
        const summary = summaries.get(monitorId) ?? {};
        if (item.checkedAt === LATEST_SORT_KEY && item.result !== undefined && item.hour !== undefined) {
          summary.latest = { result: item.result as CheckResult, hour: item.hour as HourBucket };
        } else if (item.checkedAt === UPTIME_SORT_KEY && Array.isArray(item.buckets)) {
          summary.buckets = item.buckets as HourBucket[];
        }
        summaries.set(monitorId, summary);
      }
      pending = UnprocessedKeys?.[tableName]?.Keys ?? [];
      if (pending.length > 0 && attempt >= 8)
        throw new Error(`${pending.length} summaries still unprocessed`);
      if (pending.length > 0) await sleep(25 * 2 ** attempt);
    }
  });
  const failed = settled.find((entry) => entry.status === 'rejected');
  if (failed !== undefined) throw (failed as PromiseRejectedResult).reason;
  return summaries;
}

function isConditionalCheckFailure(error: unknown): boolean {
  return error instanceof Error && error.name === 'ConditionalCheckFailedException';
}

/** Sparse index of the public monitors. */
export const PUBLIC_INDEX = 'Public';
/** `publicListing` of a public monitor (the partition of {@link PUBLIC_INDEX}). */
const PUBLIC_LISTING = 'public';

/** Key of an owner's monitor counter. */
export const ownerCounterKey = (ownerId: string) => `#owner#${ownerId}`;
/** Key of the claim "`ownerId` watches `method url`". */
export const watchItemKey = (monitor: Pick<Monitor, 'ownerId' | 'url' | 'method' | 'kind' | 'recordType'>) =>
  `#watch#${watchKeyFor(monitor.ownerId, watchTargetOf(monitor), monitor.method)}`;

/** Sort key of the Public index: the name, lower-case, then the id (names are not unique). */
export function listKeyOf(monitor: Pick<Monitor, 'name' | 'monitorId'>): string {
  return `${monitor.name.toLowerCase()}#${monitor.monitorId}`;
}

/** Storage-only attributes, never part of a {@link Monitor}. */
const STORAGE_ATTRIBUTES = new Set([
  'listKey',
  'publicListing',
  'state',
  'buckets',
  // A push monitor's token hash and last ping (DynamoPushStore): never part of the settings or a view.
  ...PUSH_ATTRIBUTES,
  // Maintenance windows (adapters/dynamo-maintenance.ts): read with the monitor, edited by their own routes.
  'maintenance',
]);

/**
 * A stored item back to a record; tolerant of items written before `state`/`buckets` existed, of
 * items written before monitors had owners (the operators', public, not paused), and of items written
 * before expected statuses were ranges (a list of codes, read as its ranges text).
 */
export function toMonitorRecord(item: Record<string, unknown>): MonitorRecord {
  const monitor: Record<string, unknown> = {};
  for (const [name, value] of Object.entries(item)) {
    if (!STORAGE_ATTRIBUTES.has(name)) monitor[name] = value;
  }
  const legacy = typeof monitor.ownerId !== 'string';
  const typed = {
    ...monitor,
    ownerId: legacy ? OPERATORS_OWNER : monitor.ownerId,
    paused: monitor.paused === true,
    public: legacy ? monitor.public !== false : monitor.public === true,
    expectedStatus: storedExpectedStatus(monitor.expectedStatus),
  } as unknown as Monitor;
  const record: MonitorRecord = {
    monitor: typed,
    state: (item.state as MonitorState | undefined) ?? { status: 'PENDING', since: typed.createdAt },
    buckets: Array.isArray(item.buckets) ? (item.buckets as HourBucket[]) : [],
  };
  const push = pushRecordOf(item);
  if (push !== undefined) record.push = push;
  // Maintenance windows (adapters/dynamo-maintenance.ts) live on the monitor item, read with it.
  if (Array.isArray(item.maintenance)) record.maintenance = item.maintenance as MaintenanceWindow[];
  return record;
}

/** The item of a monitor, with its index attributes. */
function monitorItem(monitor: Monitor, state: MonitorState, buckets: HourBucket[]): Record<string, unknown> {
  return {
    ...monitor,
    listKey: listKeyOf(monitor),
    ...(monitor.public ? { publicListing: PUBLIC_LISTING } : {}),
    state,
    buckets,
  };
}

/** The `CancellationReasons` codes of a cancelled transaction, or undefined for any other error. */
function cancellationCodes(error: unknown): string[] | undefined {
  if (!(error instanceof Error) || error.name !== 'TransactionCanceledException') return undefined;
  const reasons = (error as Error & { CancellationReasons?: { Code?: string }[] }).CancellationReasons;
  return (reasons ?? []).map((reason) => reason.Code ?? 'None');
}

/** Attempts of a transaction that DynamoDB cancelled for a conflict with another one (not a condition). */
const TRANSACTION_ATTEMPTS = 3;

/** The condition "the stored monitor has owner `:owner`" (legacy items without one are the operators'). */
export function ownerCondition(owner: string): string {
  return owner === OPERATORS_OWNER
    ? '(#ownerId = :owner OR attribute_not_exists(#ownerId))'
    : '#ownerId = :owner';
}

/**
 * {@link MonitorStore} over MonitorsTable. Given `checksTable` (CheckResultsTable), records are read
 * with each monitor's latest check and uptime buckets (one BatchGetItem per 50 monitors).
 */
export class DynamoMonitorStore implements MonitorStore {
  public constructor(
    private readonly client: DynamoDBDocumentClient,
    private readonly tableName: string,
    private readonly checksTable?: string,
  ) {}

  /** `records` with their latest check and buckets from {@link checksTable}. */
  private async withSummaries(records: MonitorRecord[], consistent = false): Promise<MonitorRecord[]> {
    if (this.checksTable === undefined || records.length === 0) return records;
    const summaries = await readSummaries(
      this.client,
      this.checksTable,
      records.map((record) => record.monitor.monitorId),
      consistent,
    );
    return records.map((record) => {
      const summary = summaries.get(record.monitor.monitorId);
      if (summary === undefined) return record;
      return {
        ...record,
        buckets: summary.buckets ?? record.buckets,
        ...(summary.latest === undefined ? {} : { latest: summary.latest }),
      };
    });
  }

  public async list(options: ListOptions = {}): Promise<MonitorRecord[]> {
    const records: MonitorRecord[] = [];
    // Consistent, so the state read is the one the conditional update will compare against.
    const pages = paginateScan(
      { client: this.client },
      {
        TableName: this.tableName,
        ConsistentRead: true,
        FilterExpression: 'attribute_exists(#url)',
        ExpressionAttributeNames: { '#url': 'url' },
      },
    );
    for await (const page of pages) {
      for (const item of page.Items ?? []) records.push(toMonitorRecord(item));
    }
    const { summariesFor } = options;
    if (summariesFor === undefined) return this.withSummaries(records, true);
    const wanted = records.filter((record) => summariesFor(record.monitor, records.length));
    const read = new Map(
      (await this.withSummaries(wanted, true)).map((record) => [record.monitor.monitorId, record]),
    );
    return records.map((record) => read.get(record.monitor.monitorId) ?? record);
  }

  public async listPage(scope: MonitorScope, limit: number, after?: PagePosition): Promise<MonitorPage> {
    if (scope.kind === 'owner') return this.ownerPage(scope.ownerId, limit, after);
    const items: Record<string, unknown>[] = [];
    let startKey: Record<string, unknown> | undefined =
      after === undefined
        ? undefined
        : scope.kind === 'all'
          ? { monitorId: after.monitorId }
          : { monitorId: after.monitorId, publicListing: PUBLIC_LISTING, listKey: after.listKey };
    // One more than asked: whether there is a next page is then known without an empty last page.
    do {
      const input = {
        TableName: this.tableName,
        Limit: limit + 1 - items.length,
        ...(startKey === undefined ? {} : { ExclusiveStartKey: startKey }),
      };
      const page =
        scope.kind === 'all'
          ? await this.client.send(
              new ScanCommand({
                ...input,
                FilterExpression: 'attribute_exists(#url)',
                ExpressionAttributeNames: { '#url': 'url' },
              }),
            )
          : await this.client.send(
              new QueryCommand({
                ...input,
                IndexName: PUBLIC_INDEX,
                KeyConditionExpression: 'publicListing = :public',
                ExpressionAttributeValues: { ':public': PUBLIC_LISTING },
              }),
            );
      items.push(...(page.Items ?? []));
      startKey = page.LastEvaluatedKey;
    } while (items.length <= limit && startKey !== undefined);
    const records = await this.withSummaries(items.slice(0, limit).map(toMonitorRecord));
    const last = items.length > limit ? items[limit - 1] : undefined;
    if (last === undefined) return { records };
    const next: PagePosition =
      scope.kind === 'all'
        ? { monitorId: String(last.monitorId) }
        : { monitorId: String(last.monitorId), listKey: String(last.listKey) };
    return { records, next };
  }

  /** One owner's monitors in id order, from the ids on the owner item (at most `limit` + 1 reads). */
  private async ownerPage(ownerId: string, limit: number, after?: PagePosition): Promise<MonitorPage> {
    const { Item } = await this.client.send(
      new GetCommand({
        TableName: this.tableName,
        Key: { monitorId: ownerCounterKey(ownerId) },
        ConsistentRead: true,
      }),
    );
    const owned = Item?.monitorIds instanceof Set ? [...(Item.monitorIds as Set<string>)] : [];
    const ids = owned.filter((id) => after === undefined || id > after.monitorId).sort();
    const pageIds = ids.slice(0, limit);
    const byId = new Map<string, MonitorRecord>();
    let keys: Record<string, unknown>[] = pageIds.map((monitorId) => ({ monitorId }));
    for (let attempt = 0; keys.length > 0; attempt += 1) {
      const { Responses, UnprocessedKeys } = await this.client.send(
        new BatchGetCommand({ RequestItems: { [this.tableName]: { Keys: keys, ConsistentRead: true } } }),
      );
      for (const item of Responses?.[this.tableName] ?? []) {
        // Owned, checked again: the set and the items are written together, but read apart.
        const record = toMonitorRecord(item);
        if (record.monitor.ownerId === ownerId) byId.set(record.monitor.monitorId, record);
      }
      keys = UnprocessedKeys?.[this.tableName]?.Keys ?? [];
      if (keys.length > 0 && attempt >= 8) throw new Error(`${keys.length} monitors still unprocessed`);
      if (keys.length > 0) await sleep(25 * 2 ** attempt);
    }
    const records = await this.withSummaries(
      pageIds.flatMap((id) => {
        const record = byId.get(id);
        return record === undefined ? [] : [record];
      }),
    );
    const lastId = pageIds[pageIds.length - 1];
    return ids.length > limit && lastId !== undefined
      ? { records, next: { monitorId: lastId } }
      : { records };
  }

  public async get(monitorId: string): Promise<MonitorRecord | undefined> {
    const { Item } = await this.client.send(
      new GetCommand({ TableName: this.tableName, Key: { monitorId }, ConsistentRead: true }),
    );
    if (Item === undefined || Item.url === undefined) return undefined;
    const [record] = await this.withSummaries([toMonitorRecord(Item)]);
    return record;
  }

  /**
   * The monitors of `monitorIds` that exist (a fan-out worker's slice, domain/fan-out.ts), read
   * consistently with their latest check and buckets: 100 keys per BatchGetItem (4 at once),
   * UnprocessedKeys retried with exponential backoff.
   */
  public async getMany(monitorIds: readonly string[]): Promise<MonitorRecord[]> {
    const unique = [...new Set(monitorIds)].filter((id) => !id.startsWith('#'));
    const chunks: string[][] = [];
    for (let start = 0; start < unique.length; start += batchGetLimit) {
      chunks.push(unique.slice(start, start + batchGetLimit));
    }
    const records: MonitorRecord[] = [];
    const settled = await mapWithConcurrency(chunks, 4, async (chunk) => {
      let pending: Record<string, unknown>[] = chunk.map((monitorId) => ({ monitorId }));
      for (let attempt = 0; pending.length > 0; attempt += 1) {
        const { Responses, UnprocessedKeys } = await this.client.send(
          new BatchGetCommand({
            RequestItems: { [this.tableName]: { Keys: pending, ConsistentRead: true } },
          }),
        );
        for (const item of Responses?.[this.tableName] ?? []) {
          if (item.url !== undefined) records.push(toMonitorRecord(item));
        }
        pending = UnprocessedKeys?.[this.tableName]?.Keys ?? [];
        if (pending.length > 0 && attempt >= 8)
          throw new Error(`${pending.length} monitors still unprocessed`);
        if (pending.length > 0) await sleep(25 * 2 ** attempt);
      }
    });
    const failed = settled.find((entry) => entry.status === 'rejected');
    if (failed !== undefined) throw (failed as PromiseRejectedResult).reason;
    return this.withSummaries(records, true);
  }

  public async create(
    monitor: Monitor,
    state: MonitorState,
    options: { quota?: number } = {},
  ): Promise<CreateOutcome> {
    const { quota } = options;
    const items: NonNullable<TransactWriteCommandInput['TransactItems']> = [
      {
        Put: {
          TableName: this.tableName,
          Item: monitorItem(monitor, state, []),
          ConditionExpression: 'attribute_not_exists(monitorId)',
        },
      },
      {
        Put: {
          TableName: this.tableName,
          Item: { monitorId: watchItemKey(monitor), watchedBy: monitor.monitorId },
          ConditionExpression: 'attribute_not_exists(monitorId)',
        },
      },
      {
        Update: {
          TableName: this.tableName,
          Key: { monitorId: ownerCounterKey(monitor.ownerId) },
          UpdateExpression: 'ADD #count :one, #ids :id',
          ExpressionAttributeNames: { '#count': 'monitorCount', '#ids': 'monitorIds' },
          ...(quota === undefined
            ? { ExpressionAttributeValues: { ':one': 1, ':id': new Set([monitor.monitorId]) } }
            : {
                ConditionExpression: 'attribute_not_exists(#count) OR #count < :quota',
                ExpressionAttributeValues: {
                  ':one': 1,
                  ':id': new Set([monitor.monitorId]),
                  ':quota': quota,
                },
              }),
        },
      },
    ];
    const codes = await this.transact(items);
    if (codes === undefined) return 'created';
    if (codes[0] === 'ConditionalCheckFailed' || codes[1] === 'ConditionalCheckFailed') return 'exists';
    return 'quota';
  }

  public async update(
    previous: Monitor,
    next: Monitor,
    owner: string,
    state?: MonitorState,
  ): Promise<UpdateOutcome> {
    const names: Record<string, string> = {
      '#ownerId': 'ownerId',
      '#url': 'url',
      '#method': 'method',
    };
    const values: Record<string, unknown> = {
      ':owner': owner,
      ':previousUrl': previous.url,
      ':previousMethod': previous.method,
    };
    const set: string[] = [];
    const remove: string[] = [];
    const fields: Record<string, unknown> = { ...next, listKey: listKeyOf(next) };
    delete fields.monitorId;
    if (state !== undefined) fields.state = state;
    if (next.public) fields.publicListing = PUBLIC_LISTING;
    for (const [index, [name, value]] of Object.entries(fields).entries()) {
      names[`#f${index}`] = name;
      values[`:f${index}`] = value;
      set.push(`#f${index} = :f${index}`);
    }
    for (const name of ['keyword', 'jsonPath', 'publicListing', 'recordType', 'expectedValue']) {
      if (fields[name] === undefined) {
        names[`#r${remove.length}`] = name;
        remove.push(`#r${remove.length}`);
      }
    }
    const update = {
      TableName: this.tableName,
      Key: { monitorId: previous.monitorId },
      UpdateExpression: `SET ${set.join(', ')}${remove.length > 0 ? ` REMOVE ${remove.join(', ')}` : ''}`,
      ConditionExpression: `attribute_exists(monitorId) AND ${ownerCondition(owner)} AND #url = :previousUrl AND #method = :previousMethod`,
      ExpressionAttributeNames: names,
      ExpressionAttributeValues: values,
    };
    const sameWatch = watchItemKey(previous) === watchItemKey(next);
    const codes = await this.transact([
      { Update: update },
      ...(sameWatch
        ? []
        : [
            { Delete: { TableName: this.tableName, Key: { monitorId: watchItemKey(previous) } } },
            {
              Put: {
                TableName: this.tableName,
                Item: { monitorId: watchItemKey(next), watchedBy: next.monitorId },
                ConditionExpression: 'attribute_not_exists(monitorId)',
              },
            },
          ]),
    ]);
    if (codes === undefined) return 'updated';
    return codes[0] === 'ConditionalCheckFailed' ? 'missing' : 'exists';
  }

  public async remove(monitor: Monitor, owner: string): Promise<boolean> {
    const codes = await this.transact([
      {
        Delete: {
          TableName: this.tableName,
          Key: { monitorId: monitor.monitorId },
          ConditionExpression: `attribute_exists(monitorId) AND ${ownerCondition(owner)} AND #url = :url AND #method = :method`,
          ExpressionAttributeNames: { '#ownerId': 'ownerId', '#url': 'url', '#method': 'method' },
          ExpressionAttributeValues: { ':owner': owner, ':url': monitor.url, ':method': monitor.method },
        },
      },
      { Delete: { TableName: this.tableName, Key: { monitorId: watchItemKey(monitor) } } },
      {
        Update: {
          TableName: this.tableName,
          Key: { monitorId: ownerCounterKey(monitor.ownerId) },
          UpdateExpression: 'ADD #count :minusOne DELETE #ids :id',
          ExpressionAttributeNames: { '#count': 'monitorCount', '#ids': 'monitorIds' },
          ExpressionAttributeValues: { ':minusOne': -1, ':id': new Set([monitor.monitorId]) },
        },
      },
    ]);
    return codes === undefined;
  }

  public async adoptLegacy(): Promise<number> {
    let adopted = 0;
    const pages = paginateScan(
      { client: this.client },
      {
        TableName: this.tableName,
        FilterExpression: 'attribute_exists(#url) AND attribute_not_exists(#ownerId)',
        ProjectionExpression: 'monitorId, #name',
        ExpressionAttributeNames: { '#url': 'url', '#ownerId': 'ownerId', '#name': 'name' },
      },
    );
    for await (const page of pages) {
      for (const item of page.Items ?? []) {
        const monitorId = String(item.monitorId);
        const codes = await this.transact([
          {
            Update: {
              TableName: this.tableName,
              Key: { monitorId },
              UpdateExpression:
                'SET #ownerId = :owner, #public = :true, #paused = :false, #listKey = :listKey, #publicListing = :public',
              ConditionExpression: 'attribute_exists(monitorId) AND attribute_not_exists(#ownerId)',
              ExpressionAttributeNames: {
                '#ownerId': 'ownerId',
                '#public': 'public',
                '#paused': 'paused',
                '#listKey': 'listKey',
                '#publicListing': 'publicListing',
              },
              ExpressionAttributeValues: {
                ':owner': OPERATORS_OWNER,
                ':true': true,
                ':false': false,
                ':listKey': listKeyOf({ name: String(item.name ?? monitorId), monitorId }),
                ':public': PUBLIC_LISTING,
              },
            },
          },
          {
            Update: {
              TableName: this.tableName,
              Key: { monitorId: ownerCounterKey(OPERATORS_OWNER) },
              UpdateExpression: 'ADD #count :one, #ids :id',
              ExpressionAttributeNames: { '#count': 'monitorCount', '#ids': 'monitorIds' },
              ExpressionAttributeValues: { ':one': 1, ':id': new Set([monitorId]) },
            },
          },
        ]);
        if (codes === undefined) adopted += 1;
      }
    }
    return adopted;
  }

  /**
   * Run a transaction; undefined when it committed, else the cancellation codes of its conditions.
   * Cancelled for a conflict with a concurrent transaction, it is tried again.
   */
  private async transact(
    items: NonNullable<TransactWriteCommandInput['TransactItems']>,
  ): Promise<string[] | undefined> {
    for (let attempt = 1; ; attempt += 1) {
      try {
        await this.client.send(new TransactWriteCommand({ TransactItems: items }));
        return undefined;
      } catch (error) {
        const codes = cancellationCodes(error);
        if (codes === undefined) throw error;
        if (codes.includes('ConditionalCheckFailed')) return codes;
        if (attempt >= TRANSACTION_ATTEMPTS) throw error;
      }
    }
  }

  public async saveState(
    monitorId: string,
    update: StateUpdate,
    expectedLastCheckedAt: string | undefined,
  ): Promise<boolean> {
    const unchanged =
      expectedLastCheckedAt === undefined
        ? 'attribute_not_exists(#state.#lastCheckedAt)'
        : '#state.#lastCheckedAt = :expected';
    try {
      await this.client.send(
        new UpdateCommand({
          TableName: this.tableName,
          Key: { monitorId },
          UpdateExpression: 'SET #state = :state',
          ConditionExpression: `attribute_exists(monitorId) AND ${unchanged} AND (attribute_not_exists(#paused) OR #paused = :false)`,
          ExpressionAttributeNames: {
            '#state': 'state',
            '#lastCheckedAt': 'lastCheckedAt',
            '#paused': 'paused',
          },
          ExpressionAttributeValues: {
            ':state': update.state,
            ':false': false,
            ...(expectedLastCheckedAt === undefined ? {} : { ':expected': expectedLastCheckedAt }),
          },
        }),
      );
      return true;
    } catch (error) {
      if (isConditionalCheckFailure(error)) return false;
      throw error;
    }
  }
}

/** Options of {@link DynamoResultStore}. */
export interface DynamoResultStoreOptions {
  /** Days before a result expires (TTL). */
  retentionDays: number;
  /** Clock for `expiresAt`. */
  now?: () => Date;
  /** Batches written at once. Default 4. */
  concurrency?: number;
  /** Rounds of UnprocessedItems retries before giving up. Default 8. */
  maxRetries?: number;
  /** First retry delay, doubled each round. Default 50 ms. */
  retryDelayMs?: number;
}

/** {@link ResultStore} over CheckResultsTable. */
export class DynamoResultStore implements ResultStore {
  private readonly options: Required<DynamoResultStoreOptions>;

  public constructor(
    private readonly client: DynamoDBDocumentClient,
    private readonly tableName: string,
    options: DynamoResultStoreOptions,
  ) {
    this.options = { now: () => new Date(), concurrency: 4, maxRetries: 8, retryDelayMs: 50, ...options };
  }

  /** Write every result, 25 per BatchWriteItem, retrying UnprocessedItems with exponential backoff. */
  public async saveResults(results: readonly CheckResult[]): Promise<void> {
    const expiresAt = Math.floor(this.options.now().getTime() / 1000) + this.options.retentionDays * 86_400;
    await this.writeAll(
      results.map((result) => ({ PutRequest: { Item: { ...result, expiresAt } } })),
      'result',
    );
  }

  /**
   * Each result, each monitor's `#latest` item and, when its hour turned, its `#uptime` item: 25 puts
   * per BatchWriteItem (whatever monitor they belong to), UnprocessedItems retried with backoff.
   */
  public async saveChecks(writes: readonly CheckWrite[]): Promise<void> {
    const now = Math.floor(this.options.now().getTime() / 1000);
    const expiresAt = now + this.options.retentionDays * 86_400;
    const summaryExpiresAt = now + Math.max(this.options.retentionDays, SUMMARY_MIN_DAYS) * 86_400;
    const puts = writes.flatMap(({ result, latest, uptime }) => [
      { PutRequest: { Item: { ...result, expiresAt } } },
      {
        PutRequest: {
          Item: {
            monitorId: result.monitorId,
            checkedAt: LATEST_SORT_KEY,
            result: latest.result,
            hour: latest.hour,
            expiresAt: summaryExpiresAt,
          },
        },
      },
      ...(uptime === undefined
        ? []
        : [
            {
              PutRequest: {
                Item: {
                  monitorId: result.monitorId,
                  checkedAt: UPTIME_SORT_KEY,
                  buckets: uptime,
                  expiresAt: summaryExpiresAt,
                },
              },
            },
          ]),
    ]);
    await this.writeAll(puts, 'check writes');
  }

  private async writeAll(
    requests: NonNullable<BatchWriteCommandInput['RequestItems']>[string],
    what: string,
  ): Promise<void> {
    const batches: (typeof requests)[] = [];
    for (let start = 0; start < requests.length; start += batchWriteLimit) {
      batches.push(requests.slice(start, start + batchWriteLimit));
    }
    const settled = await mapWithConcurrency(batches, this.options.concurrency, (batch) =>
      this.writeBatch(batch),
    );
    const failed = settled.filter((entry) => entry.status === 'rejected');
    if (failed.length > 0) {
      const first = failed[0] as PromiseRejectedResult;
      throw new Error(`${failed.length} of ${batches.length} ${what} batches not written`, {
        cause: first.reason,
      });
    }
  }

  private async writeBatch(
    requests: NonNullable<BatchWriteCommandInput['RequestItems']>[string],
  ): Promise<void> {
    let pending = requests;
    for (let attempt = 0; ; attempt += 1) {
      const { UnprocessedItems } = await this.client.send(
        new BatchWriteCommand({ RequestItems: { [this.tableName]: pending } }),
      );
      const left = UnprocessedItems?.[this.tableName] ?? [];
      if (left.length === 0) return;
      if (attempt >= this.options.maxRetries) {
        throw new Error(`${left.length} results still unprocessed after ${attempt + 1} attempts`);
      }
      pending = left;
      await sleep(this.options.retryDelayMs * 2 ** attempt);
    }
  }

  public async history(monitorId: string, since: string): Promise<CheckResult[]> {
    const results: CheckResult[] = [];
    const pages = paginateQuery(
      { client: this.client },
      {
        TableName: this.tableName,
        KeyConditionExpression: 'monitorId = :monitorId AND checkedAt >= :since',
        ExpressionAttributeValues: { ':monitorId': monitorId, ':since': since },
        ScanIndexForward: true,
      },
    );
    for await (const page of pages) {
      for (const item of page.Items ?? []) {
        const { expiresAt: _expiresAt, ...result } = item;
        results.push(result as CheckResult);
      }
    }
    return results;
  }
}
