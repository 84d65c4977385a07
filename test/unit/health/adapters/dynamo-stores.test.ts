import { ConditionalCheckFailedException, DynamoDBClient } from '@aws-sdk/client-dynamodb';
import {
  BatchWriteCommand,
  DeleteCommand,
  DynamoDBDocumentClient,
  GetCommand,
  PutCommand,
  QueryCommand,
  ScanCommand,
  UpdateCommand,
} from '@aws-sdk/lib-dynamodb';
import { mockClient } from 'aws-sdk-client-mock';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
  DynamoMonitorStore,
  DynamoResultStore,
  toMonitorRecord,
} from '../../../../functions/health/adapters/dynamo-stores.js';
import { makeMonitor, makeResult, makeState, NOW } from '../../../helpers/factories.js';

const ddb = mockClient(DynamoDBDocumentClient);
const client = DynamoDBDocumentClient.from(new DynamoDBClient({ region: 'us-east-1' }));
const conditionFailed = () =>
  new ConditionalCheckFailedException({ message: 'The conditional request failed', $metadata: {} });

const monitor = makeMonitor({ name: 'Example' });
const item = {
  ...monitor,
  state: makeState({ status: 'UP' }),
  buckets: [{ hour: '2025-01-15T11', up: 1, total: 1 }],
};

beforeEach(() => ddb.reset());
afterEach(() => ddb.reset());

describe('Function: toMonitorRecord()', () => {
  it('splits an item into monitor, state and buckets', () => {
    expect(toMonitorRecord(item)).toEqual({ monitor, state: item.state, buckets: item.buckets });
  });

  it('defaults a missing state to PENDING since creation and missing buckets to none', () => {
    expect(toMonitorRecord({ ...monitor })).toEqual({
      monitor,
      state: { status: 'PENDING', since: monitor.createdAt },
      buckets: [],
    });
  });
});

describe('Class: DynamoMonitorStore', () => {
  const store = new DynamoMonitorStore(client, 'Monitors');

  it('lists every page of a consistent scan', async () => {
    const second = { ...item, monitorId: 'other-1', name: 'Other' };
    ddb
      .on(ScanCommand)
      .resolvesOnce({ Items: [item], LastEvaluatedKey: { monitorId: item.monitorId } })
      .resolvesOnce({ Items: [second] });
    const records = await store.list();
    expect(records.map((record) => record.monitor.name)).toEqual(['Example', 'Other']);
    const calls = ddb.commandCalls(ScanCommand);
    expect(calls).toHaveLength(2);
    expect(calls[0]?.args[0].input).toMatchObject({ TableName: 'Monitors', ConsistentRead: true });
    expect(calls[1]?.args[0].input.ExclusiveStartKey).toEqual({ monitorId: item.monitorId });
  });

  it('gets one monitor, or undefined', async () => {
    ddb.on(GetCommand, { Key: { monitorId: monitor.monitorId } }).resolves({ Item: item });
    ddb.on(GetCommand, { Key: { monitorId: 'nope' } }).resolves({});
    expect((await store.get(monitor.monitorId))?.monitor).toEqual(monitor);
    expect(await store.get('nope')).toBeUndefined();
  });

  it('creates with a conditional put', async () => {
    ddb.on(PutCommand).resolves({});
    expect(await store.create(monitor, makeState())).toBe(true);
    expect(ddb.commandCalls(PutCommand)[0]?.args[0].input).toEqual({
      TableName: 'Monitors',
      Item: { ...monitor, state: makeState(), buckets: [] },
      ConditionExpression: 'attribute_not_exists(monitorId)',
    });
  });

  it('answers false when the monitor exists', async () => {
    ddb.on(PutCommand).rejects(conditionFailed());
    expect(await store.create(monitor, makeState())).toBe(false);
  });

  it('rethrows other errors', async () => {
    ddb.on(PutCommand).rejects(new Error('ProvisionedThroughputExceeded'));
    await expect(store.create(monitor, makeState())).rejects.toThrow('ProvisionedThroughputExceeded');
  });

  it('removes only an existing monitor', async () => {
    ddb.on(DeleteCommand).resolvesOnce({}).rejectsOnce(conditionFailed());
    expect(await store.remove(monitor.monitorId)).toBe(true);
    expect(await store.remove(monitor.monitorId)).toBe(false);
    expect(ddb.commandCalls(DeleteCommand)[0]?.args[0].input).toEqual({
      TableName: 'Monitors',
      Key: { monitorId: monitor.monitorId },
      ConditionExpression: 'attribute_exists(monitorId)',
    });
  });

  it('saves state on condition that lastCheckedAt is still the one read', async () => {
    ddb.on(UpdateCommand).resolves({});
    const update = { state: makeState({ status: 'DOWN', lastCheckedAt: NOW.toISOString() }), buckets: [] };
    expect(await store.saveState(monitor.monitorId, update, '2025-01-15T11:55:00.000Z')).toBe(true);
    const input = ddb.commandCalls(UpdateCommand)[0]?.args[0].input;
    expect(input).toMatchObject({
      Key: { monitorId: monitor.monitorId },
      UpdateExpression: 'SET #state = :state, #buckets = :buckets',
      ConditionExpression: 'attribute_exists(monitorId) AND #state.#lastCheckedAt = :expected',
      ExpressionAttributeValues: {
        ':state': update.state,
        ':buckets': [],
        ':expected': '2025-01-15T11:55:00.000Z',
      },
    });
  });

  it('saves the first state on condition that it was never checked', async () => {
    ddb.on(UpdateCommand).resolves({});
    await store.saveState(monitor.monitorId, { state: makeState(), buckets: [] }, undefined);
    const input = ddb.commandCalls(UpdateCommand)[0]?.args[0].input;
    expect(input?.ConditionExpression).toBe(
      'attribute_exists(monitorId) AND attribute_not_exists(#state.#lastCheckedAt)',
    );
    expect(input?.ExpressionAttributeValues).not.toHaveProperty(':expected');
  });

  it('answers false when the condition fails (overlapping run or removed monitor)', async () => {
    ddb.on(UpdateCommand).rejects(conditionFailed());
    expect(await store.saveState(monitor.monitorId, { state: makeState(), buckets: [] }, undefined)).toBe(
      false,
    );
  });
});

describe('Class: DynamoResultStore', () => {
  const now = () => NOW;
  const expiresAt = Math.floor(NOW.getTime() / 1000) + 30 * 86_400;
  const results = Array.from({ length: 60 }, (_, i) =>
    makeResult({ monitorId: `m-${i}`, checkedAt: new Date(NOW.getTime() + i).toISOString() }),
  );

  it('writes 25 results per BatchWriteItem with a TTL of now + retention days', async () => {
    ddb.on(BatchWriteCommand).resolves({});
    await new DynamoResultStore(client, 'Results', { retentionDays: 30, now }).saveResults(results);
    const calls = ddb.commandCalls(BatchWriteCommand);
    const sizes = calls.map((call) => call.args[0].input.RequestItems?.Results?.length);
    expect(sizes.sort()).toEqual([10, 25, 25]);
    const first = calls[0]?.args[0].input.RequestItems?.Results?.[0];
    expect(first?.PutRequest?.Item).toEqual({ ...results[0], expiresAt });
  });

  it('retries only the unprocessed items', async () => {
    const unprocessed = [{ PutRequest: { Item: { ...results[3], expiresAt } } }];
    ddb
      .on(BatchWriteCommand)
      .resolvesOnce({ UnprocessedItems: { Results: unprocessed } })
      .resolves({});
    await new DynamoResultStore(client, 'Results', { retentionDays: 30, now, retryDelayMs: 0 }).saveResults(
      results.slice(0, 5),
    );
    const calls = ddb.commandCalls(BatchWriteCommand);
    expect(calls).toHaveLength(2);
    expect(calls[1]?.args[0].input.RequestItems).toEqual({ Results: unprocessed });
  });

  it('gives up after maxRetries rounds of unprocessed items', async () => {
    ddb.on(BatchWriteCommand).callsFake(async (input) => ({ UnprocessedItems: input.RequestItems }));
    const store = new DynamoResultStore(client, 'Results', {
      retentionDays: 30,
      now,
      retryDelayMs: 0,
      maxRetries: 2,
    });
    await expect(store.saveResults(results.slice(0, 3))).rejects.toThrow('1 of 1 result batches not written');
    expect(ddb.commandCalls(BatchWriteCommand)).toHaveLength(3);
  });

  it('writes nothing for no results', async () => {
    await new DynamoResultStore(client, 'Results', { retentionDays: 30 }).saveResults([]);
    expect(ddb.commandCalls(BatchWriteCommand)).toHaveLength(0);
  });

  it('queries the history window oldest first, every page, without the TTL attribute', async () => {
    ddb
      .on(QueryCommand)
      .resolvesOnce({
        Items: [{ ...results[0], expiresAt }],
        LastEvaluatedKey: { monitorId: 'm', checkedAt: 'x' },
      })
      .resolvesOnce({ Items: [{ ...results[1], expiresAt }] });
    const history = await new DynamoResultStore(client, 'Results', { retentionDays: 30 }).history(
      'm-0',
      '2025-01-14T12:00:00.000Z',
    );
    expect(history).toEqual([results[0], results[1]]);
    expect(ddb.commandCalls(QueryCommand)[0]?.args[0].input).toMatchObject({
      TableName: 'Results',
      KeyConditionExpression: 'monitorId = :monitorId AND checkedAt >= :since',
      ExpressionAttributeValues: { ':monitorId': 'm-0', ':since': '2025-01-14T12:00:00.000Z' },
      ScanIndexForward: true,
    });
  });
});
