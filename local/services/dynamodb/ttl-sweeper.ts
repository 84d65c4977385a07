import {
  type AttributeValue,
  ConditionalCheckFailedException,
  DeleteItemCommand,
  DescribeTableCommand,
  type DynamoDBClient,
  ResourceNotFoundException,
  ScanCommand,
} from '@aws-sdk/client-dynamodb';
import type { LocalLogger } from '../../types.js';
import { TTL_MAX_AGE_SECONDS } from './constants.js';
import type { TtlSettings } from './ttl-settings.js';

type Item = Record<string, AttributeValue>;

/**
 * Deletes expired items as DynamoDB's TTL process does: only items whose TTL attribute is a Number of
 * epoch seconds in the past (and not more than five years in the past); the delete is conditional on the
 * attribute being unchanged since the scan, so an item renewed meanwhile survives.
 */
export class TtlSweeper {
  readonly #client: DynamoDBClient;
  readonly #settings: TtlSettings;
  readonly #log: LocalLogger;
  readonly #intervalMs: number;
  #timer: NodeJS.Timeout | undefined;
  #running: Promise<number> | undefined;

  constructor(client: DynamoDBClient, settings: TtlSettings, log: LocalLogger, intervalMs: number) {
    this.#client = client;
    this.#settings = settings;
    this.#log = log;
    this.#intervalMs = intervalMs;
  }

  /** Sweeps every `intervalMs` until stop(); the timer does not keep the process alive. */
  start(): void {
    this.#timer = setInterval(() => {
      this.sweep().catch((error: unknown) => this.#log.warn(`dynamodb TTL sweep failed: ${String(error)}`));
    }, this.#intervalMs);
    this.#timer.unref();
  }

  /** Clears the timer and waits for a sweep in progress. */
  async stop(): Promise<void> {
    clearInterval(this.#timer);
    this.#timer = undefined;
    await this.#running?.catch(() => undefined);
  }

  /** Runs one sweep over every table with TTL enabled; resolves with the number of items deleted. */
  sweep(now: Date = new Date()): Promise<number> {
    // One sweep at a time: a slow sweep is joined rather than overlapped.
    this.#running ??= this.#sweepAll(Math.floor(now.getTime() / 1000)).finally(() => {
      this.#running = undefined;
    });
    return this.#running;
  }

  async #sweepAll(nowSeconds: number): Promise<number> {
    let deleted = 0;
    for (const [table, attribute] of this.#settings.enabled()) {
      deleted += await this.#sweepTable(table, attribute, nowSeconds);
    }
    return deleted;
  }

  async #sweepTable(table: string, attribute: string, nowSeconds: number): Promise<number> {
    const keys = await this.#keyAttributes(table);
    if (!keys) return 0;
    const names = Object.fromEntries([...new Set([...keys, attribute])].map((name, i) => [`#a${i}`, name]));
    let deleted = 0;
    let startKey: Item | undefined;
    do {
      const page = await this.#client.send(
        new ScanCommand({
          TableName: table,
          ProjectionExpression: Object.keys(names).join(', '),
          ExpressionAttributeNames: names,
          ExclusiveStartKey: startKey,
        }),
      );
      for (const item of page.Items ?? []) {
        if (!isExpired(item[attribute], nowSeconds)) continue;
        if (await this.#deleteIfUnchanged(table, keys, attribute, item)) deleted += 1;
      }
      startKey = page.LastEvaluatedKey;
    } while (startKey);
    return deleted;
  }

  /** The table's key attribute names, or undefined when the table is gone. */
  async #keyAttributes(table: string): Promise<string[] | undefined> {
    try {
      const { Table } = await this.#client.send(new DescribeTableCommand({ TableName: table }));
      return (Table?.KeySchema ?? []).flatMap((k) => (k.AttributeName ? [k.AttributeName] : []));
    } catch (error) {
      if (error instanceof ResourceNotFoundException) return undefined;
      throw error;
    }
  }

  async #deleteIfUnchanged(table: string, keys: string[], attribute: string, item: Item): Promise<boolean> {
    try {
      await this.#client.send(
        new DeleteItemCommand({
          TableName: table,
          Key: Object.fromEntries(keys.map((k) => [k, item[k] as AttributeValue])),
          ConditionExpression: '#ttl = :ttl',
          ExpressionAttributeNames: { '#ttl': attribute },
          ExpressionAttributeValues: { ':ttl': item[attribute] as AttributeValue },
        }),
      );
      return true;
    } catch (error) {
      if (error instanceof ConditionalCheckFailedException) return false;
      throw error;
    }
  }
}

/** True for a Number TTL in the past but within five years; any other type or value keeps the item. */
export function isExpired(value: AttributeValue | undefined, nowSeconds: number): boolean {
  if (value?.N === undefined) return false;
  const seconds = Number(value.N);
  return Number.isFinite(seconds) && seconds < nowSeconds && seconds >= nowSeconds - TTL_MAX_AGE_SECONDS;
}
