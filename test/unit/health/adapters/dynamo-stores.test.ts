import {
  ConditionalCheckFailedException,
  DynamoDBClient,
  TransactionCanceledException,
} from '@aws-sdk/client-dynamodb';
import {
  BatchGetCommand,
  BatchWriteCommand,
  DynamoDBDocumentClient,
  GetCommand,
  QueryCommand,
  ScanCommand,
  TransactWriteCommand,
  UpdateCommand,
} from '@aws-sdk/lib-dynamodb';
import { mockClient } from 'aws-sdk-client-mock';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
  DynamoMonitorStore,
  DynamoResultStore,
  LATEST_SORT_KEY,
  listKeyOf,
  ownerCounterKey,
  toMonitorRecord,
  UPTIME_SORT_KEY,
  watchItemKey,
} from '../../../../functions/health/adapters/dynamo-stores.js';
import { makeMonitor, makeResult, makeState, NOW } from '../../../helpers/factories.js';

const ddb = mockClient(DynamoDBDocumentClient);
const client = DynamoDBDocumentClient.from(new DynamoDBClient({ region: 'us-east-1' }));
const conditionFailed = () =>
  new ConditionalCheckFailedException({ message: 'The conditional request failed', $metadata: {} });
/** A cancelled transaction with one reason code per item, as DynamoDB answers it. */
const cancelled = (...codes: string[]) =>
  new TransactionCanceledException({
    message: 'Transaction cancelled',
    $metadata: {},
    CancellationReasons: codes.map((Code) => ({ Code })),
  });

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

  it('gives an item stored before monitors had owners to the operators, public and not paused', () => {
    const { ownerId: _o, paused: _p, public: _u, ...legacy } = monitor;
    expect(toMonitorRecord(legacy).monitor).toEqual({ ...monitor, ownerId: 'operators', public: true });
  });

  it('reads an item stored before expected statuses were ranges (a list of codes) as ranges', () => {
    const codes = [...Array.from({ length: 100 }, (_, i) => 200 + i), 301];
    expect(toMonitorRecord({ ...monitor, expectedStatus: codes }).monitor.expectedStatus).toBe('200-299,301');
  });

  it('drops the index attributes', () => {
    const stored = { ...item, listKey: listKeyOf(monitor), publicListing: 'public' };
    expect(toMonitorRecord(stored).monitor).toEqual(monitor);
  });
});

describe('Class: DynamoMonitorStore', () => {
  const store = new DynamoMonitorStore(client, 'Monitors');

  it('lists every page of a consistent scan, monitors only', async () => {
    const second = { ...item, monitorId: 'other-1', name: 'Other' };
    ddb
      .on(ScanCommand)
      .resolvesOnce({ Items: [item], LastEvaluatedKey: { monitorId: item.monitorId } })
      .resolvesOnce({ Items: [second] });
    const records = await store.list();
    expect(records.map((record) => record.monitor.name)).toEqual(['Example', 'Other']);
    const calls = ddb.commandCalls(ScanCommand);
    expect(calls).toHaveLength(2);
    expect(calls[0]?.args[0].input).toMatchObject({
      TableName: 'Monitors',
      ConsistentRead: true,
      FilterExpression: 'attribute_exists(#url)',
    });
    expect(calls[1]?.args[0].input.ExclusiveStartKey).toEqual({ monitorId: item.monitorId });
  });

  it('gets one monitor, or undefined (also for an owner or claim item)', async () => {
    ddb.on(GetCommand, { Key: { monitorId: monitor.monitorId } }).resolves({ Item: item });
    ddb.on(GetCommand, { Key: { monitorId: 'nope' } }).resolves({});
    ddb.on(GetCommand, { Key: { monitorId: '#owner#x' } }).resolves({ Item: { monitorId: '#owner#x' } });
    expect((await store.get(monitor.monitorId))?.monitor).toEqual(monitor);
    expect(await store.get('nope')).toBeUndefined();
    expect(await store.get('#owner#x')).toBeUndefined();
  });

  describe('create()', () => {
    const mine = makeMonitor({ name: 'Mine' }, { ownerId: 'user-a', public: true });

    it('writes the monitor, its claim and the owner item in one transaction, the quota in a condition', async () => {
      ddb.on(TransactWriteCommand).resolves({});
      expect(await store.create(mine, makeState(), { quota: 50 })).toBe('created');
      const items = ddb.commandCalls(TransactWriteCommand)[0]?.args[0].input.TransactItems ?? [];
      expect(items[0]?.Put).toEqual({
        TableName: 'Monitors',
        Item: {
          ...mine,
          listKey: `mine#${mine.monitorId}`,
          publicListing: 'public',
          state: makeState(),
          buckets: [],
        },
        ConditionExpression: 'attribute_not_exists(monitorId)',
      });
      expect(items[1]?.Put).toEqual({
        TableName: 'Monitors',
        Item: { monitorId: watchItemKey(mine), watchedBy: mine.monitorId },
        ConditionExpression: 'attribute_not_exists(monitorId)',
      });
      expect(items[2]?.Update).toMatchObject({
        Key: { monitorId: ownerCounterKey('user-a') },
        UpdateExpression: 'ADD #count :one, #ids :id',
        ConditionExpression: 'attribute_not_exists(#count) OR #count < :quota',
        ExpressionAttributeValues: { ':one': 1, ':id': new Set([mine.monitorId]), ':quota': 50 },
      });
    });

    it('writes a private monitor without the Public index attribute, and no quota condition without one', async () => {
      ddb.on(TransactWriteCommand).resolves({});
      await store.create({ ...mine, public: false }, makeState());
      const items = ddb.commandCalls(TransactWriteCommand)[0]?.args[0].input.TransactItems ?? [];
      expect(items[0]?.Put?.Item).not.toHaveProperty('publicListing');
      expect(items[2]?.Update).not.toHaveProperty('ConditionExpression');
    });

    it.each([
      [['ConditionalCheckFailed', 'None', 'None'], 'exists'],
      [['None', 'ConditionalCheckFailed', 'None'], 'exists'],
      [['None', 'None', 'ConditionalCheckFailed'], 'quota'],
    ])('answers by the failed condition %j: %s', async (codes, outcome) => {
      ddb.on(TransactWriteCommand).rejects(cancelled(...codes));
      expect(await store.create(mine, makeState(), { quota: 1 })).toBe(outcome);
    });

    it('tries again when a concurrent transaction conflicted, then rethrows', async () => {
      ddb
        .on(TransactWriteCommand)
        .rejectsOnce(cancelled('TransactionConflict', 'None', 'None'))
        .resolves({});
      expect(await store.create(mine, makeState())).toBe('created');
      ddb.reset();
      ddb.on(TransactWriteCommand).rejects(cancelled('TransactionConflict', 'None', 'None'));
      await expect(store.create(mine, makeState())).rejects.toThrow('Transaction cancelled');
      expect(ddb.commandCalls(TransactWriteCommand)).toHaveLength(3);
    });

    it('rethrows other errors', async () => {
      ddb.on(TransactWriteCommand).rejects(new Error('ProvisionedThroughputExceeded'));
      await expect(store.create(mine, makeState())).rejects.toThrow('ProvisionedThroughputExceeded');
    });
  });

  describe('update()', () => {
    const mine = makeMonitor({ name: 'Mine', keyword: 'ok' }, { ownerId: 'user-a', public: true });

    it('updates on condition of owner, URL and method, removing what the new settings lack', async () => {
      ddb.on(TransactWriteCommand).resolves({});
      const { keyword: _keyword, ...next } = { ...mine, name: 'Renamed', public: false };
      expect(await store.update(mine, next, 'user-a')).toBe('updated');
      const items = ddb.commandCalls(TransactWriteCommand)[0]?.args[0].input.TransactItems ?? [];
      expect(items).toHaveLength(1);
      const update = items[0]?.Update;
      expect(update?.ConditionExpression).toBe(
        'attribute_exists(monitorId) AND #ownerId = :owner AND #url = :previousUrl AND #method = :previousMethod',
      );
      expect(update?.ExpressionAttributeValues).toMatchObject({ ':owner': 'user-a' });
      expect(update?.UpdateExpression).toMatch(/ REMOVE #r0, #r1, #r2, #r3, #r4$/);
      expect(update?.ExpressionAttributeNames).toMatchObject({
        '#r0': 'keyword',
        '#r1': 'jsonPath',
        '#r2': 'publicListing',
        '#r3': 'recordType',
        '#r4': 'expectedValue',
      });
      expect(Object.values(update?.ExpressionAttributeValues ?? {})).toContain(`renamed#${mine.monitorId}`);
    });

    it('moves the claim when the URL changes, and answers exists when the new one is taken', async () => {
      ddb.on(TransactWriteCommand).rejects(cancelled('None', 'None', 'ConditionalCheckFailed'));
      const next = { ...mine, url: 'https://example.com/other' };
      expect(await store.update(mine, next, 'user-a')).toBe('exists');
      const items = ddb.commandCalls(TransactWriteCommand)[0]?.args[0].input.TransactItems ?? [];
      expect(items[1]?.Delete?.Key).toEqual({ monitorId: watchItemKey(mine) });
      expect(items[2]?.Put?.Item).toEqual({ monitorId: watchItemKey(next), watchedBy: mine.monitorId });
    });

    it('answers missing when the owner condition fails; an operators monitor may lack the owner', async () => {
      ddb.on(TransactWriteCommand).rejects(cancelled('ConditionalCheckFailed'));
      expect(await store.update(mine, mine, 'user-b')).toBe('missing');
      ddb.reset();
      ddb.on(TransactWriteCommand).resolves({});
      await store.update(monitor, monitor, 'operators');
      const update = ddb.commandCalls(TransactWriteCommand)[0]?.args[0].input.TransactItems?.[0]?.Update;
      expect(update?.ConditionExpression).toContain('(#ownerId = :owner OR attribute_not_exists(#ownerId))');
    });
  });

  describe('remove()', () => {
    const mine = makeMonitor({}, { ownerId: 'user-a' });

    it('deletes on condition of the owner, with the claim and the count, in one transaction', async () => {
      ddb.on(TransactWriteCommand).resolvesOnce({}).rejectsOnce(cancelled('ConditionalCheckFailed'));
      expect(await store.remove(mine, 'user-a')).toBe(true);
      expect(await store.remove(mine, 'user-a')).toBe(false);
      const items = ddb.commandCalls(TransactWriteCommand)[0]?.args[0].input.TransactItems ?? [];
      expect(items[0]?.Delete).toMatchObject({
        Key: { monitorId: mine.monitorId },
        ExpressionAttributeValues: { ':owner': 'user-a', ':url': mine.url, ':method': 'GET' },
      });
      expect(items[1]?.Delete?.Key).toEqual({ monitorId: watchItemKey(mine) });
      expect(items[2]?.Update).toMatchObject({
        Key: { monitorId: ownerCounterKey('user-a') },
        UpdateExpression: 'ADD #count :minusOne DELETE #ids :id',
      });
    });
  });

  describe('listPage()', () => {
    const publicItem = { ...item, public: true, publicListing: 'public', listKey: listKeyOf(monitor) };

    it('queries the Public index, one more than asked, and returns the position of the last one', async () => {
      const other = { ...publicItem, monitorId: 'z-1', name: 'Zed', listKey: 'zed#z-1' };
      ddb.on(QueryCommand).resolves({ Items: [publicItem, other] });
      const page = await store.listPage({ kind: 'public' }, 1);
      expect(page.records.map((r) => r.monitor.monitorId)).toEqual([monitor.monitorId]);
      expect(page.next).toEqual({ monitorId: monitor.monitorId, listKey: listKeyOf(monitor) });
      expect(ddb.commandCalls(QueryCommand)[0]?.args[0].input).toMatchObject({
        IndexName: 'Public',
        Limit: 2,
        KeyConditionExpression: 'publicListing = :public',
      });
    });

    it('starts after the position, and has no next page at the end', async () => {
      ddb.on(QueryCommand).resolves({ Items: [publicItem] });
      const page = await store.listPage({ kind: 'public' }, 5, { monitorId: 'a-1', listKey: 'a#a-1' });
      expect(page.next).toBeUndefined();
      expect(ddb.commandCalls(QueryCommand)[0]?.args[0].input.ExclusiveStartKey).toEqual({
        monitorId: 'a-1',
        publicListing: 'public',
        listKey: 'a#a-1',
      });
    });

    it('lists an owner from the ids on the owner item, in id order, skipping what is not theirs', async () => {
      const ids = ['b-2', 'a-1', 'c-3'];
      ddb.on(GetCommand).resolves({ Item: { monitorId: '#owner#user-a', monitorIds: new Set(ids) } });
      ddb.on(BatchGetCommand).resolves({
        Responses: {
          Monitors: [
            { ...item, monitorId: 'b-2', ownerId: 'user-a' },
            { ...item, monitorId: 'a-1', ownerId: 'user-a' },
          ],
        },
      });
      const page = await store.listPage({ kind: 'owner', ownerId: 'user-a' }, 2);
      expect(page.records.map((r) => r.monitor.monitorId)).toEqual(['a-1', 'b-2']);
      expect(page.next).toEqual({ monitorId: 'b-2' });
      expect(ddb.commandCalls(BatchGetCommand)[0]?.args[0].input.RequestItems?.Monitors?.Keys).toEqual([
        { monitorId: 'a-1' },
        { monitorId: 'b-2' },
      ]);
    });

    it('scans every monitor for operators, from the position', async () => {
      ddb.on(ScanCommand).resolves({ Items: [item] });
      const page = await store.listPage({ kind: 'all' }, 10, { monitorId: 'a-1' });
      expect(page).toEqual({ records: [toMonitorRecord(item)] });
      expect(ddb.commandCalls(ScanCommand)[0]?.args[0].input.ExclusiveStartKey).toEqual({ monitorId: 'a-1' });
    });
  });

  it('adopts monitors stored before owners, each with a conditional update', async () => {
    const { ownerId: _o, ...legacy } = monitor;
    ddb.on(ScanCommand).resolves({ Items: [{ monitorId: legacy.monitorId, name: legacy.name }] });
    ddb.on(TransactWriteCommand).resolves({});
    expect(await store.adoptLegacy()).toBe(1);
    const update = ddb.commandCalls(TransactWriteCommand)[0]?.args[0].input.TransactItems?.[0]?.Update;
    expect(update?.ConditionExpression).toBe(
      'attribute_exists(monitorId) AND attribute_not_exists(#ownerId)',
    );
    expect(update?.ExpressionAttributeValues).toMatchObject({ ':owner': 'operators', ':true': true });
  });

  it('saves state (and nothing else of the monitor) on condition that lastCheckedAt is still the one read', async () => {
    ddb.on(UpdateCommand).resolves({});
    const update = { state: makeState({ status: 'DOWN', lastCheckedAt: NOW.toISOString() }) };
    expect(await store.saveState(monitor.monitorId, update, '2025-01-15T11:55:00.000Z')).toBe(true);
    const input = ddb.commandCalls(UpdateCommand)[0]?.args[0].input;
    expect(input).toMatchObject({
      Key: { monitorId: monitor.monitorId },
      UpdateExpression: 'SET #state = :state',
      ConditionExpression:
        'attribute_exists(monitorId) AND #state.#lastCheckedAt = :expected AND (attribute_not_exists(#paused) OR #paused = :false)',
      ExpressionAttributeValues: {
        ':state': update.state,
        ':expected': '2025-01-15T11:55:00.000Z',
      },
    });
  });

  it('saves the first state on condition that it was never checked', async () => {
    ddb.on(UpdateCommand).resolves({});
    await store.saveState(monitor.monitorId, { state: makeState() }, undefined);
    const input = ddb.commandCalls(UpdateCommand)[0]?.args[0].input;
    expect(input?.ConditionExpression).toBe(
      'attribute_exists(monitorId) AND attribute_not_exists(#state.#lastCheckedAt) AND (attribute_not_exists(#paused) OR #paused = :false)',
    );
    expect(input?.ExpressionAttributeValues).not.toHaveProperty(':expected');
  });

  it('answers false when the condition fails (overlapping run or removed monitor)', async () => {
    ddb.on(UpdateCommand).rejects(conditionFailed());
    expect(await store.saveState(monitor.monitorId, { state: makeState() }, undefined)).toBe(false);
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

  it('puts each result, each latest check and each turned hour in shared 25-put BatchWriteItems', async () => {
    ddb.on(BatchWriteCommand).resolves({});
    const writes = results.slice(0, 20).map((result, i) => ({
      result,
      latest: { result, hour: { hour: '2025-01-15T12', up: 3, total: 4 } },
      ...(i < 5 ? { uptime: [{ hour: '2025-01-15T11', up: 60, total: 60 }] } : {}),
    }));
    await new DynamoResultStore(client, 'Results', { retentionDays: 30, now }).saveChecks(writes);
    const calls = ddb.commandCalls(BatchWriteCommand);
    // 20 results + 20 latest + 5 uptime = 45 puts: 2 requests, not one per monitor.
    expect(calls.map((call) => call.args[0].input.RequestItems?.Results?.length).sort()).toEqual([20, 25]);
    const items = calls.flatMap((call) =>
      (call.args[0].input.RequestItems?.Results ?? []).map((request) => request.PutRequest?.Item),
    );
    const summaryExpiresAt = Math.floor(NOW.getTime() / 1000) + 30 * 86_400;
    expect(items).toContainEqual({ ...results[0], expiresAt });
    expect(items).toContainEqual({
      monitorId: 'm-0',
      checkedAt: LATEST_SORT_KEY,
      result: results[0],
      hour: { hour: '2025-01-15T12', up: 3, total: 4 },
      expiresAt: summaryExpiresAt,
    });
    expect(items.filter((item) => item?.checkedAt === UPTIME_SORT_KEY)).toHaveLength(5);
  });

  it('keeps the latest check and buckets at least 8 days when results expire sooner', async () => {
    ddb.on(BatchWriteCommand).resolves({});
    const result = results[0] ?? makeResult();
    await new DynamoResultStore(client, 'Results', { retentionDays: 1, now }).saveChecks([
      { result, latest: { result, hour: { hour: '2025-01-15T12', up: 1, total: 1 } } },
    ]);
    const items = ddb.commandCalls(BatchWriteCommand)[0]?.args[0].input.RequestItems?.Results ?? [];
    const base = Math.floor(NOW.getTime() / 1000);
    expect(items.map((request) => request.PutRequest?.Item?.expiresAt)).toEqual([
      base + 86_400,
      base + 8 * 86_400,
    ]);
  });

  it('retries unprocessed check writes and rejects when they never go through', async () => {
    ddb.on(BatchWriteCommand).callsFake(async (input) => ({ UnprocessedItems: input.RequestItems }));
    const result = results[0] ?? makeResult();
    const store = new DynamoResultStore(client, 'Results', {
      retentionDays: 30,
      now,
      retryDelayMs: 0,
      maxRetries: 1,
    });
    await expect(
      store.saveChecks([{ result, latest: { result, hour: { hour: '2025-01-15T12', up: 1, total: 1 } } }]),
    ).rejects.toThrow('1 of 1 check writes batches not written');
    expect(ddb.commandCalls(BatchWriteCommand)).toHaveLength(2);
  });
});

describe('Class: DynamoMonitorStore (with the checks table)', () => {
  const store = new DynamoMonitorStore(client, 'Monitors', 'Results');
  const latest = {
    result: makeResult({ monitorId: monitor.monitorId }),
    hour: { hour: '2025-01-15T12', up: 1, total: 1 },
  };
  const buckets = [{ hour: '2025-01-15T11', up: 59, total: 60 }];

  it('reads each monitor with its latest check and uptime buckets (consistent for the checker)', async () => {
    ddb
      .on(ScanCommand)
      .resolves({ Items: [{ ...item, buckets: [{ hour: '2025-01-10T00', up: 1, total: 1 }] }] });
    ddb.on(BatchGetCommand).resolves({
      Responses: {
        Results: [
          { monitorId: monitor.monitorId, checkedAt: LATEST_SORT_KEY, ...latest, expiresAt: 1 },
          { monitorId: monitor.monitorId, checkedAt: UPTIME_SORT_KEY, buckets, expiresAt: 1 },
        ],
      },
    });
    const [record] = await store.list();
    expect(record?.latest).toEqual(latest);
    // The buckets item replaces the legacy buckets of the monitor item.
    expect(record?.buckets).toEqual(buckets);
    expect(ddb.commandCalls(BatchGetCommand)[0]?.args[0].input.RequestItems?.Results).toEqual({
      Keys: [
        { monitorId: monitor.monitorId, checkedAt: LATEST_SORT_KEY },
        { monitorId: monitor.monitorId, checkedAt: UPTIME_SORT_KEY },
      ],
      ConsistentRead: true,
    });
  });

  it('keeps the monitor item buckets until the first uptime item, and retries unprocessed keys', async () => {
    const legacy = [{ hour: '2025-01-15T10', up: 1, total: 1 }];
    ddb.on(GetCommand).resolves({ Item: { ...item, buckets: legacy } });
    const latestKey = { monitorId: monitor.monitorId, checkedAt: LATEST_SORT_KEY };
    ddb
      .on(BatchGetCommand)
      .resolvesOnce({ Responses: { Results: [] }, UnprocessedKeys: { Results: { Keys: [latestKey] } } })
      .resolves({ Responses: { Results: [{ ...latestKey, ...latest }] } });
    const record = await store.get(monitor.monitorId);
    expect(record?.buckets).toEqual(legacy);
    expect(record?.latest).toEqual(latest);
    expect(ddb.commandCalls(BatchGetCommand)).toHaveLength(2);
  });

  it('reads latest checks only for the monitors summariesFor selects', async () => {
    const many = Array.from({ length: 60 }, (_, i) => ({
      ...item,
      monitorId: `m-${i}`,
      intervalMinutes: i < 3 ? 5 : 1,
    }));
    ddb.on(ScanCommand).resolves({ Items: many });
    ddb.on(BatchGetCommand).resolves({
      Responses: { Results: [{ monitorId: 'm-1', checkedAt: LATEST_SORT_KEY, ...latest }] },
    });
    const counts: number[] = [];
    const records = await store.list({
      summariesFor: (listed, count) => {
        counts.push(count);
        return listed.intervalMinutes === 5;
      },
    });
    expect(new Set(counts)).toEqual(new Set([60]));
    expect(records.map((record) => record.monitor.monitorId)).toEqual(many.map((listed) => listed.monitorId));
    expect(records[1]?.latest).toEqual(latest);
    expect(records[4]?.latest).toBeUndefined();
    const keys = ddb
      .commandCalls(BatchGetCommand)
      .flatMap((call) => call.args[0].input.RequestItems?.Results?.Keys ?? []);
    expect(new Set(keys.map((key) => key.monitorId))).toEqual(new Set(['m-0', 'm-1', 'm-2']));
  });

  it('asks for 100 keys (50 monitors) per BatchGetItem', async () => {
    const many = Array.from({ length: 120 }, (_, i) => ({ ...item, monitorId: `m-${i}` }));
    ddb.on(ScanCommand).resolves({ Items: many });
    ddb.on(BatchGetCommand).resolves({ Responses: { Results: [] } });
    expect(await store.list()).toHaveLength(120);
    const sizes = ddb
      .commandCalls(BatchGetCommand)
      .map((call) => call.args[0].input.RequestItems?.Results?.Keys?.length);
    expect(sizes.sort()).toEqual([100, 100, 40]);
  });
});
