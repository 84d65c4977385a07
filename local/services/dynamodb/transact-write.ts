import {
  type AttributeValue,
  DeleteItemCommand,
  DescribeTableCommand,
  type DynamoDBClient,
  GetItemCommand,
  PutItemCommand,
  UpdateItemCommand,
} from '@aws-sdk/client-dynamodb';
import db from 'dynalite/db/index.js';
import validations from 'dynalite/validations/index.js';
import type { JsonReply } from './time-to-live.js';

type Item = Record<string, AttributeValue>;
type Operation = 'Put' | 'Update' | 'Delete' | 'ConditionCheck';

interface TransactItem {
  operation: Operation;
  table: string;
  key: Item;
  request: Record<string, unknown>;
}

const validation = (message: string): JsonReply => ({
  status: 400,
  body: { __type: 'com.amazon.coral.validate#ValidationException', message },
});

/** One writer at a time: a transaction's checks and writes are not interleaved with another's. */
function createMutex() {
  let tail: Promise<unknown> = Promise.resolve();
  return <T>(work: () => Promise<T>): Promise<T> => {
    const run = tail.then(work, work);
    tail = run.catch(() => undefined);
    return run;
  };
}

/**
 * TransactWriteItems over dynalite, which lacks it: every condition is checked first (with dynalite's
 * own expression parser and evaluator, against the current items), then the writes are applied in
 * order, and undone if one fails. Transactions run one at a time, so they are atomic and isolated from
 * each other; plain writes from other requests are not held back (a local-only simplification).
 * Failed conditions answer TransactionCanceledException with CancellationReasons, as DynamoDB does.
 */
export function createTransactWriter(client: DynamoDBClient): (input: unknown) => Promise<JsonReply> {
  const keyNames = new Map<string, string[]>();
  const exclusive = createMutex();

  async function keyOf(table: string, item: Item): Promise<Item> {
    let names = keyNames.get(table);
    if (names === undefined) {
      const { Table } = await client.send(new DescribeTableCommand({ TableName: table }));
      names = (Table?.KeySchema ?? []).map((k) => String(k.AttributeName));
      keyNames.set(table, names);
    }
    const key: Item = {};
    for (const name of names) {
      const value = item[name];
      if (value === undefined) throw new Error(`One of the required keys was not given a value (${name})`);
      key[name] = value;
    }
    return key;
  }

  async function parse(input: unknown): Promise<TransactItem[] | JsonReply> {
    const list = (input as { TransactItems?: unknown } | null)?.TransactItems;
    if (!Array.isArray(list) || list.length === 0 || list.length > 100) {
      return validation('TransactItems must have between 1 and 100 items');
    }
    const items: TransactItem[] = [];
    const seen = new Set<string>();
    for (const entry of list as Record<string, Record<string, unknown>>[]) {
      const operation = (['Put', 'Update', 'Delete', 'ConditionCheck'] as const).find((op) => entry[op]);
      const request = operation ? entry[operation] : undefined;
      if (!operation || !request || typeof request.TableName !== 'string') {
        return validation('Each TransactItem needs exactly one of Put, Update, Delete, ConditionCheck');
      }
      let key: Item;
      try {
        key =
          operation === 'Put' ? await keyOf(request.TableName, request.Item as Item) : (request.Key as Item);
      } catch (error) {
        return validation((error as Error).message);
      }
      const id = `${request.TableName}\u0000${JSON.stringify(Object.entries(key).sort())}`;
      if (seen.has(id))
        return validation('Transaction request cannot include multiple operations on one item');
      seen.add(id);
      items.push({ operation, table: request.TableName, key, request });
    }
    return items;
  }

  async function current(item: TransactItem): Promise<Item | undefined> {
    const { Item } = await client.send(
      new GetItemCommand({ TableName: item.table, Key: item.key, ConsistentRead: true }),
    );
    return Item;
  }

  async function apply(item: TransactItem): Promise<void> {
    const { request } = item;
    if (item.operation === 'Put') await client.send(new PutItemCommand(request as never));
    else if (item.operation === 'Update') await client.send(new UpdateItemCommand(request as never));
    else if (item.operation === 'Delete') await client.send(new DeleteItemCommand(request as never));
  }

  async function restore(item: TransactItem, before: Item | undefined): Promise<void> {
    if (before === undefined)
      await client.send(new DeleteItemCommand({ TableName: item.table, Key: item.key }));
    else await client.send(new PutItemCommand({ TableName: item.table, Item: before }));
  }

  return async (input) => {
    const parsed = await parse(input);
    if (!Array.isArray(parsed)) return parsed;
    return exclusive(async () => {
      const before = await Promise.all(parsed.map(current));
      const reasons: { Code: string; Message?: string }[] = [];
      for (const [i, item] of parsed.entries()) {
        const { ConditionExpression, UpdateExpression, ExpressionAttributeNames, ExpressionAttributeValues } =
          item.request;
        if (ConditionExpression === undefined) {
          reasons.push({ Code: 'None' });
          continue;
        }
        // The update expression too: names and values it alone uses are not "unused" (DynamoDB checks
        // the whole request).
        const data: Record<string, unknown> = {
          ConditionExpression,
          ...(UpdateExpression === undefined ? {} : { UpdateExpression }),
          ExpressionAttributeNames,
          ExpressionAttributeValues,
        };
        const invalid = validations.validateExpressions(data);
        if (invalid) return validation(invalid);
        const error = db.checkConditional(data, before[i]);
        const failed = error !== null && error !== undefined;
        reasons.push(
          failed
            ? { Code: 'ConditionalCheckFailed', Message: 'The conditional request failed' }
            : { Code: 'None' },
        );
      }
      if (reasons.some((reason) => reason.Code !== 'None')) {
        return {
          status: 400,
          body: {
            __type: 'com.amazonaws.dynamodb.v20120810#TransactionCanceledException',
            message: `Transaction cancelled, please refer cancellation reasons for specific reasons [${reasons.map((r) => r.Code).join(', ')}]`,
            CancellationReasons: reasons,
          },
        };
      }
      const applied: number[] = [];
      try {
        for (const [i, item] of parsed.entries()) {
          await apply(item);
          applied.push(i);
        }
      } catch (error) {
        // Undo what was written, newest first, then report the failure as DynamoDB would.
        for (const i of applied.reverse()) await restore(parsed[i] as TransactItem, before[i]);
        const body = (error as { name?: string; message?: string }) ?? {};
        return validation(`Transaction failed and was rolled back: ${body.name}: ${body.message}`);
      }
      return { status: 200, body: {} };
    });
  };
}
