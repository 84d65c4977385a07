import {
  CreateTableCommand,
  type CreateTableCommandInput,
  DeleteTableCommand,
  DescribeTableCommand,
  type DynamoDBClient,
  ResourceNotFoundException,
  type TableDescription,
} from '@aws-sdk/client-dynamodb';
import type { IndexModel, KeyElement, TableModel } from '../../template/types.js';
import type { LocalLogger } from '../../types.js';

const POLL_MS = 10;
const WAIT_LIMIT_MS = 10_000;

/** What ensureTable did with one table of the template. */
export type TableOutcome = 'created' | 'kept' | 'recreated';

/**
 * Makes the emulator hold `table` as the template declares it: created when absent, kept (with its data)
 * when its keys and indexes match, deleted and created empty with a warning when they differ.
 * Resolves once the table is ACTIVE.
 */
export async function ensureTable(
  client: DynamoDBClient,
  table: TableModel,
  log: LocalLogger,
): Promise<TableOutcome> {
  const existing = await describe(client, table.name);
  let outcome: TableOutcome = 'created';
  if (existing) {
    const difference = schemaDifference(table, existing);
    if (!difference) return 'kept';
    log.warn(
      `${table.logicalId}: the saved table ${table.name} has a different ${difference} than template.yaml; ` +
        'recreating it empty',
    );
    await client.send(new DeleteTableCommand({ TableName: table.name }));
    await waitFor(client, table.name, (t) => t === undefined);
    outcome = 'recreated';
  }
  try {
    await client.send(new CreateTableCommand(createTableInput(table)));
  } catch (error) {
    throw new Error(`${table.logicalId}: cannot create table ${table.name}: ${String(error)}`, {
      cause: error,
    });
  }
  await waitFor(client, table.name, (t) => t?.TableStatus === 'ACTIVE');
  return outcome;
}

/** The CreateTable request for a table of the template (on-demand billing, as the template requires). */
export function createTableInput(table: TableModel): CreateTableCommandInput {
  const index = (i: IndexModel) => ({
    IndexName: i.indexName,
    KeySchema: keys(i.keySchema),
    Projection: {
      ProjectionType: i.projection.projectionType as 'ALL' | 'KEYS_ONLY' | 'INCLUDE',
      NonKeyAttributes: i.projection.nonKeyAttributes,
    },
  });
  return {
    TableName: table.name,
    BillingMode: 'PAY_PER_REQUEST',
    AttributeDefinitions: table.attributeDefinitions.map((d) => ({
      AttributeName: d.attributeName,
      AttributeType: d.attributeType as 'S' | 'N' | 'B',
    })),
    KeySchema: keys(table.keySchema),
    GlobalSecondaryIndexes: table.globalSecondaryIndexes.length
      ? table.globalSecondaryIndexes.map(index)
      : undefined,
    LocalSecondaryIndexes: table.localSecondaryIndexes.length
      ? table.localSecondaryIndexes.map(index)
      : undefined,
  };
}

/** Names what differs between the template's table and the saved one ('key schema', 'indexes'), if anything. */
export function schemaDifference(table: TableModel, existing: TableDescription): string | undefined {
  const types = new Map(table.attributeDefinitions.map((d) => [d.attributeName, d.attributeType]));
  const existingTypes = new Map(
    (existing.AttributeDefinitions ?? []).map((d) => [d.AttributeName ?? '', d.AttributeType ?? '']),
  );
  const wanted = signature(table.keySchema, types);
  const saved = signature(
    (existing.KeySchema ?? []).map((k) => ({ attributeName: k.AttributeName ?? '', keyType: k.KeyType })),
    existingTypes,
  );
  if (wanted !== saved) return 'key schema';
  const wantedIndexes = [...table.globalSecondaryIndexes, ...table.localSecondaryIndexes]
    .map((i) => `${i.indexName}(${signature(i.keySchema, types)})${i.projection.projectionType}`)
    .sort();
  const savedIndexes = [...(existing.GlobalSecondaryIndexes ?? []), ...(existing.LocalSecondaryIndexes ?? [])]
    .map((i) => {
      const schema = (i.KeySchema ?? []).map((k) => ({
        attributeName: k.AttributeName ?? '',
        keyType: k.KeyType,
      }));
      return `${i.IndexName}(${signature(schema, existingTypes)})${i.Projection?.ProjectionType}`;
    })
    .sort();
  return wantedIndexes.join() === savedIndexes.join() ? undefined : 'set of indexes';
}

function signature(schema: { attributeName: string; keyType?: string }[], types: Map<string, string>) {
  return schema.map((k) => `${k.keyType}:${k.attributeName}:${types.get(k.attributeName)}`).join(',');
}

function keys(schema: KeyElement[]) {
  return schema.map((k) => ({ AttributeName: k.attributeName, KeyType: k.keyType }));
}

async function describe(client: DynamoDBClient, name: string): Promise<TableDescription | undefined> {
  try {
    return (await client.send(new DescribeTableCommand({ TableName: name }))).Table;
  } catch (error) {
    if (error instanceof ResourceNotFoundException) return undefined;
    throw error;
  }
}

/** Polls DescribeTable (dynalite runs with zero CREATING/DELETING delay, so this takes a few ms). */
async function waitFor(
  client: DynamoDBClient,
  name: string,
  done: (table: TableDescription | undefined) => boolean,
): Promise<void> {
  const deadline = Date.now() + WAIT_LIMIT_MS;
  while (!done(await describe(client, name))) {
    if (Date.now() > deadline) throw new Error(`table ${name} did not settle within ${WAIT_LIMIT_MS} ms`);
    await new Promise((resolve) => setTimeout(resolve, POLL_MS));
  }
}
