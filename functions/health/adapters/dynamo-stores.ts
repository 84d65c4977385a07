/**
 * DynamoDB implementations of the health checker's stores.
 *
 * MonitorsTable (key `monitorId`): one item per monitor, its settings at the top level plus `state`
 * (MonitorState) and `buckets` (HourBucket[], uptime of the last 7 days).
 * CheckResultsTable (key `monitorId`, sort key `checkedAt`): one item per check, expiring through the
 * `expiresAt` TTL attribute (epoch seconds).
 */
import {
  BatchWriteCommand,
  type BatchWriteCommandInput,
  DeleteCommand,
  type DynamoDBDocumentClient,
  GetCommand,
  PutCommand,
  paginateQuery,
  paginateScan,
  UpdateCommand,
} from '@aws-sdk/lib-dynamodb';
import type { MonitorStore, ResultStore, StateUpdate } from '../domain/ports.js';
import { mapWithConcurrency } from '../domain/run.js';
import type { CheckResult, HourBucket, Monitor, MonitorRecord, MonitorState } from '../domain/types.js';

/** BatchWriteItem accepts at most 25 requests. */
export const batchWriteLimit = 25;

function isConditionalCheckFailure(error: unknown): boolean {
  return error instanceof Error && error.name === 'ConditionalCheckFailedException';
}

/** A stored item back to a record; tolerant of items written before `state`/`buckets` existed. */
export function toMonitorRecord(item: Record<string, unknown>): MonitorRecord {
  const { state, buckets, ...monitor } = item;
  const typed = monitor as unknown as Monitor;
  return {
    monitor: typed,
    state: (state as MonitorState | undefined) ?? { status: 'PENDING', since: typed.createdAt },
    buckets: Array.isArray(buckets) ? (buckets as HourBucket[]) : [],
  };
}

/** {@link MonitorStore} over MonitorsTable. */
export class DynamoMonitorStore implements MonitorStore {
  public constructor(
    private readonly client: DynamoDBDocumentClient,
    private readonly tableName: string,
  ) {}

  public async list(): Promise<MonitorRecord[]> {
    const records: MonitorRecord[] = [];
    // Consistent, so the state read is the one the conditional update will compare against.
    const pages = paginateScan({ client: this.client }, { TableName: this.tableName, ConsistentRead: true });
    for await (const page of pages) {
      for (const item of page.Items ?? []) records.push(toMonitorRecord(item));
    }
    return records;
  }

  public async get(monitorId: string): Promise<MonitorRecord | undefined> {
    const { Item } = await this.client.send(
      new GetCommand({ TableName: this.tableName, Key: { monitorId }, ConsistentRead: true }),
    );
    return Item === undefined ? undefined : toMonitorRecord(Item);
  }

  public async create(monitor: Monitor, state: MonitorState): Promise<boolean> {
    try {
      await this.client.send(
        new PutCommand({
          TableName: this.tableName,
          Item: { ...monitor, state, buckets: [] },
          ConditionExpression: 'attribute_not_exists(monitorId)',
        }),
      );
      return true;
    } catch (error) {
      if (isConditionalCheckFailure(error)) return false;
      throw error;
    }
  }

  public async remove(monitorId: string): Promise<boolean> {
    try {
      await this.client.send(
        new DeleteCommand({
          TableName: this.tableName,
          Key: { monitorId },
          ConditionExpression: 'attribute_exists(monitorId)',
        }),
      );
      return true;
    } catch (error) {
      if (isConditionalCheckFailure(error)) return false;
      throw error;
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
          UpdateExpression: 'SET #state = :state, #buckets = :buckets',
          ConditionExpression: `attribute_exists(monitorId) AND ${unchanged}`,
          ExpressionAttributeNames: {
            '#state': 'state',
            '#buckets': 'buckets',
            '#lastCheckedAt': 'lastCheckedAt',
          },
          ExpressionAttributeValues: {
            ':state': update.state,
            ':buckets': update.buckets,
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

const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

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
    const batches: CheckResult[][] = [];
    for (let start = 0; start < results.length; start += batchWriteLimit) {
      batches.push(results.slice(start, start + batchWriteLimit));
    }
    const settled = await mapWithConcurrency(batches, this.options.concurrency, (batch) =>
      this.writeBatch(batch.map((result) => ({ PutRequest: { Item: { ...result, expiresAt } } }))),
    );
    const failed = settled.filter((entry) => entry.status === 'rejected');
    if (failed.length > 0) {
      const first = failed[0] as PromiseRejectedResult;
      throw new Error(`${failed.length} of ${batches.length} result batches not written`, {
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
