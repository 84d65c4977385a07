import {
  CreateTableCommand,
  DeleteTableCommand,
  DescribeTableCommand,
  DescribeTimeToLiveCommand,
  DynamoDBClient,
  ExecuteStatementCommand,
  GetItemCommand,
  PutItemCommand,
  QueryCommand,
  ScanCommand,
  TransactGetItemsCommand,
  TransactWriteItemsCommand,
  UpdateTimeToLiveCommand,
} from '@aws-sdk/client-dynamodb';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import {
  createDynamodbService,
  DataDirInUseError,
  type DynamodbService,
} from '../../../local/services/dynamodb/index.js';
import type { TemplateModel } from '../../../local/template/index.js';
import { fixtureModel, tempDataRoot, testContext } from '../../helpers/service-context.js';

const POSTS = 'kumo-local-PostsTable';
const MONITORS = 'kumo-test-monitors';

function clientFor(service: DynamodbService) {
  return new DynamoDBClient({
    endpoint: service.url,
    region: 'us-east-1',
    credentials: { accessKeyId: 'x', secretAccessKey: 'x' },
  });
}

async function start(model: TemplateModel, dataRoot: string, options: { fresh?: boolean } = {}) {
  const { ctx, log } = testContext(model, dataRoot, options);
  const service = (await createDynamodbService({ ttlSweepIntervalMs: 60_000 }).start(ctx)) as DynamodbService;
  return { service, log, client: clientFor(service) };
}

describe('Service: dynamodb', () => {
  let model: TemplateModel;
  let dataRoot: string;
  let running: Awaited<ReturnType<typeof start>>;

  beforeAll(async () => {
    model = await fixtureModel('dynamodb.yaml');
    dataRoot = await tempDataRoot();
    running = await start(model, dataRoot, { fresh: true });
  });

  afterAll(async () => {
    running.client.destroy();
    await running.service.stop();
  });

  it('is needed only when the template declares tables', async () => {
    const service = createDynamodbService();
    expect(service.needed(model)).toBe(true);
    expect(service.needed({ ...model, tables: [] })).toBe(false);
  });

  it('creates every table with its keys, GSIs and LSIs, on demand', async () => {
    expect(running.service.endpointKey).toBe('dynamodb');
    expect(running.service.tables).toEqual({ PostsTable: 'created', MonitorsTable: 'created' });
    const { Table } = await running.client.send(new DescribeTableCommand({ TableName: POSTS }));
    expect(Table?.TableStatus).toBe('ACTIVE');
    expect(Table?.BillingModeSummary?.BillingMode).toBe('PAY_PER_REQUEST');
    expect(Table?.KeySchema).toEqual([
      { AttributeName: 'authorId', KeyType: 'HASH' },
      { AttributeName: 'postedAt', KeyType: 'RANGE' },
    ]);
    expect(Table?.GlobalSecondaryIndexes?.[0]).toMatchObject({
      IndexName: 'byLabel',
      IndexStatus: 'ACTIVE',
      Projection: { ProjectionType: 'INCLUDE', NonKeyAttributes: ['text'] },
    });
    expect(Table?.LocalSecondaryIndexes?.[0]).toMatchObject({
      IndexName: 'byScore',
      Projection: { ProjectionType: 'KEYS_ONLY' },
    });
  });

  it('serves items through the indexes', async () => {
    await running.client.send(
      new PutItemCommand({
        TableName: POSTS,
        Item: {
          authorId: { S: 'ana' },
          postedAt: { S: '2024-01-01' },
          label: { S: 'cat' },
          text: { S: 'hi' },
        },
      }),
    );
    const { Items } = await running.client.send(
      new QueryCommand({
        TableName: POSTS,
        IndexName: 'byLabel',
        KeyConditionExpression: 'label = :l',
        ExpressionAttributeValues: { ':l': { S: 'cat' } },
      }),
    );
    expect(Items).toEqual([
      { authorId: { S: 'ana' }, postedAt: { S: '2024-01-01' }, label: { S: 'cat' }, text: { S: 'hi' } },
    ]);
  });

  it("reports each table's encryption as the template declares it (SSEDescription), none for a table without", async () => {
    const posts = await running.client.send(new DescribeTableCommand({ TableName: POSTS }));
    expect(posts.Table?.SSEDescription).toEqual({
      Status: 'ENABLED',
      SSEType: 'KMS',
      KMSMasterKeyArn: expect.stringMatching(
        /^arn:aws:kms:us-east-1:000000000000:key\/[0-9a-f]{8}(-[0-9a-f]{4}){3}-[0-9a-f]{12}$/,
      ),
    });
    const monitors = await running.client.send(new DescribeTableCommand({ TableName: MONITORS }));
    expect(monitors.Table?.SSEDescription).toEqual({
      Status: 'ENABLED',
      SSEType: 'KMS',
      KMSMasterKeyArn: 'arn:aws:kms:us-east-1:000000000000:alias/kumo-tables',
    });
    await running.client.send(
      new CreateTableCommand({
        TableName: 'kumo-test-plain',
        AttributeDefinitions: [{ AttributeName: 'id', AttributeType: 'S' }],
        KeySchema: [{ AttributeName: 'id', KeyType: 'HASH' }],
        BillingMode: 'PAY_PER_REQUEST',
      }),
    );
    const plain = await running.client.send(new DescribeTableCommand({ TableName: 'kumo-test-plain' }));
    expect(plain.Table?.TableName).toBe('kumo-test-plain');
    expect(plain.Table?.SSEDescription).toBeUndefined();
    await running.client.send(new DeleteTableCommand({ TableName: 'kumo-test-plain' }));
  });

  it('answers DescribeTimeToLive from the template and UpdateTimeToLive as DynamoDB does', async () => {
    const describeTtl = (TableName: string) =>
      running.client.send(new DescribeTimeToLiveCommand({ TableName }));
    expect((await describeTtl(POSTS)).TimeToLiveDescription).toEqual({
      TimeToLiveStatus: 'ENABLED',
      AttributeName: 'expiresAt',
    });
    expect((await describeTtl(MONITORS)).TimeToLiveDescription).toEqual({ TimeToLiveStatus: 'DISABLED' });

    const update = (TableName: string, Enabled: boolean) =>
      running.client.send(
        new UpdateTimeToLiveCommand({
          TableName,
          TimeToLiveSpecification: { Enabled, AttributeName: 'staleAfter' },
        }),
      );
    expect((await update(MONITORS, true)).TimeToLiveSpecification).toEqual({
      Enabled: true,
      AttributeName: 'staleAfter',
    });
    expect((await describeTtl(MONITORS)).TimeToLiveDescription?.TimeToLiveStatus).toBe('ENABLED');
    await expect(update(MONITORS, true)).rejects.toMatchObject({
      name: 'ValidationException',
      message: 'TimeToLive is already enabled',
    });
    await update(MONITORS, false);
    await expect(update(MONITORS, false)).rejects.toMatchObject({ name: 'ValidationException' });
    await expect(describeTtl('no-such-table')).rejects.toMatchObject({ name: 'ResourceNotFoundException' });
  });

  it('sweeps expired items only: a past Number TTL, not future, absent, non-number or ancient ones', async () => {
    const now = Math.floor(Date.now() / 1000);
    const put = (postedAt: string, expiresAt?: { N: string } | { S: string }) =>
      running.client.send(
        new PutItemCommand({
          TableName: POSTS,
          Item: { authorId: { S: 'ttl' }, postedAt: { S: postedAt }, ...(expiresAt ? { expiresAt } : {}) },
        }),
      );
    await put('expired', { N: String(now - 60) });
    await put('future', { N: String(now + 3600) });
    await put('no-ttl');
    await put('string-ttl', { S: String(now - 60) });
    await put('six-years-ago', { N: String(now - 6 * 366 * 24 * 3600) });

    expect(await running.service.sweepTtl()).toBe(1);
    const { Items } = await running.client.send(
      new QueryCommand({
        TableName: POSTS,
        KeyConditionExpression: 'authorId = :a',
        ExpressionAttributeValues: { ':a': { S: 'ttl' } },
      }),
    );
    expect(Items?.map((i) => i.postedAt?.S).sort()).toEqual([
      'future',
      'no-ttl',
      'six-years-ago',
      'string-ttl',
    ]);
  });

  it('gives a clear error, and one warning, for operations dynalite lacks', async () => {
    const transact = () =>
      running.client.send(
        new TransactGetItemsCommand({
          TransactItems: [{ Get: { TableName: MONITORS, Key: { monitorId: { S: 'm1' } } } }],
        }),
      );
    await expect(transact()).rejects.toMatchObject({
      name: 'UnknownOperationException',
      message: 'TransactGetItems is not supported by the Kumo local cloud (dynalite)',
      $metadata: { httpStatusCode: 400 },
    });
    await expect(transact()).rejects.toMatchObject({ name: 'UnknownOperationException' });
    await expect(
      running.client.send(new ExecuteStatementCommand({ Statement: `SELECT * FROM "${MONITORS}"` })),
    ).rejects.toMatchObject({
      message: 'ExecuteStatement is not supported by the Kumo local cloud (dynalite)',
    });
    expect(running.log.lines.filter((l) => l.includes('TransactGetItems'))).toEqual([
      'warn dynamodb: TransactGetItems is not supported by the Kumo local cloud (dynalite)',
    ]);
  });

  describe('TransactWriteItems', () => {
    const key = (id: string) => ({ monitorId: { S: id } });
    const get = async (id: string) =>
      (
        await running.client.send(
          new GetItemCommand({ TableName: MONITORS, Key: key(id), ConsistentRead: true }),
        )
      ).Item;

    it('applies puts, updates and deletes together when every condition holds', async () => {
      await running.client.send(
        new PutItemCommand({ TableName: MONITORS, Item: { ...key('t-old'), n: { N: '1' } } }),
      );
      await running.client.send(
        new TransactWriteItemsCommand({
          TransactItems: [
            {
              Put: {
                TableName: MONITORS,
                Item: { ...key('t-new'), state: { S: 'READY' } },
                ConditionExpression: 'attribute_not_exists(monitorId)',
              },
            },
            {
              Update: {
                TableName: MONITORS,
                Key: key('t-count'),
                UpdateExpression: 'SET #label = :label ADD photoCount :one',
                ExpressionAttributeNames: { '#label': 'label' },
                ExpressionAttributeValues: { ':label': { S: 'dog' }, ':one': { N: '1' } },
              },
            },
            {
              Delete: {
                TableName: MONITORS,
                Key: key('t-old'),
                ConditionExpression: 'n = :n',
                ExpressionAttributeValues: { ':n': { N: '1' } },
              },
            },
          ],
        }),
      );
      expect(await get('t-new')).toEqual({ ...key('t-new'), state: { S: 'READY' } });
      expect(await get('t-count')).toEqual({
        ...key('t-count'),
        label: { S: 'dog' },
        photoCount: { N: '1' },
      });
      expect(await get('t-old')).toBeUndefined();
    });

    it('writes nothing and names the failed condition when one does not hold', async () => {
      await running.client.send(
        new PutItemCommand({ TableName: MONITORS, Item: { ...key('t-ready'), state: { S: 'READY' } } }),
      );
      const attempt = running.client.send(
        new TransactWriteItemsCommand({
          TransactItems: [
            {
              Update: {
                TableName: MONITORS,
                Key: key('t-counter'),
                UpdateExpression: 'ADD photoCount :one',
                ExpressionAttributeValues: { ':one': { N: '1' } },
              },
            },
            {
              Put: {
                TableName: MONITORS,
                Item: { ...key('t-ready'), state: { S: 'READY' }, again: { BOOL: true } },
                ConditionExpression: '#state = :pending',
                ExpressionAttributeNames: { '#state': 'state' },
                ExpressionAttributeValues: { ':pending': { S: 'PENDING' } },
              },
            },
          ],
        }),
      );
      await expect(attempt).rejects.toMatchObject({
        name: 'TransactionCanceledException',
        CancellationReasons: [{ Code: 'None' }, { Code: 'ConditionalCheckFailed' }],
      });
      expect(await get('t-counter')).toBeUndefined();
      expect(await get('t-ready')).toEqual({ ...key('t-ready'), state: { S: 'READY' } });
    });

    it('accepts a conditional update whose update expression alone uses some names and values', async () => {
      await running.client.send(
        new TransactWriteItemsCommand({
          TransactItems: [
            {
              Update: {
                TableName: MONITORS,
                Key: key('t-quota'),
                UpdateExpression: 'ADD #count :one, #ids :id',
                ConditionExpression: 'attribute_not_exists(#count) OR #count < :quota',
                ExpressionAttributeNames: { '#count': 'monitorCount', '#ids': 'monitorIds' },
                ExpressionAttributeValues: {
                  ':one': { N: '1' },
                  ':id': { SS: ['m-1'] },
                  ':quota': { N: '2' },
                },
              },
            },
          ],
        }),
      );
      expect(await get('t-quota')).toEqual({
        ...key('t-quota'),
        monitorCount: { N: '1' },
        monitorIds: { SS: ['m-1'] },
      });
    });

    it('refuses two operations on one item and invalid expressions', async () => {
      await expect(
        running.client.send(
          new TransactWriteItemsCommand({
            TransactItems: [
              { Put: { TableName: MONITORS, Item: key('t-dup') } },
              { Delete: { TableName: MONITORS, Key: key('t-dup') } },
            ],
          }),
        ),
      ).rejects.toMatchObject({ name: 'ValidationException', message: expect.stringContaining('one item') });
      await expect(
        running.client.send(
          new TransactWriteItemsCommand({
            TransactItems: [
              { ConditionCheck: { TableName: MONITORS, Key: key('t-x'), ConditionExpression: 'a = ' } },
            ],
          }),
        ),
      ).rejects.toMatchObject({ name: 'ValidationException' });
    });

    it('rolls back the writes already made when a later one fails', async () => {
      await running.client.send(
        new PutItemCommand({ TableName: MONITORS, Item: { ...key('t-keep'), v: { S: 'before' } } }),
      );
      const attempt = running.client.send(
        new TransactWriteItemsCommand({
          TransactItems: [
            { Put: { TableName: MONITORS, Item: { ...key('t-keep'), v: { S: 'after' } } } },
            {
              Update: {
                TableName: MONITORS,
                Key: key('t-bad'),
                // ADD to a string attribute: DynamoDB refuses it when applying.
                UpdateExpression: 'SET v = :s ADD v :one',
                ExpressionAttributeValues: { ':s': { S: 'x' }, ':one': { N: '1' } },
              },
            },
          ],
        }),
      );
      await expect(attempt).rejects.toMatchObject({ name: 'ValidationException' });
      expect(await get('t-keep')).toEqual({ ...key('t-keep'), v: { S: 'before' } });
    });
  });

  it('forgets the TTL setting of a deleted table', async () => {
    const table = 'kumo-test-scratch';
    const create = () =>
      running.client.send(
        new CreateTableCommand({
          TableName: table,
          BillingMode: 'PAY_PER_REQUEST',
          AttributeDefinitions: [{ AttributeName: 'id', AttributeType: 'S' }],
          KeySchema: [{ AttributeName: 'id', KeyType: 'HASH' }],
        }),
      );
    await create();
    await running.client.send(
      new UpdateTimeToLiveCommand({
        TableName: table,
        TimeToLiveSpecification: { Enabled: true, AttributeName: 'ttl' },
      }),
    );
    await running.client.send(new DeleteTableCommand({ TableName: table }));
    await vi.waitFor(() =>
      expect(running.client.send(new DescribeTableCommand({ TableName: table }))).rejects.toThrow(),
    );
    await create();
    const { TimeToLiveDescription } = await running.client.send(
      new DescribeTimeToLiveCommand({ TableName: table }),
    );
    expect(TimeToLiveDescription?.TimeToLiveStatus).toBe('DISABLED');
  });

  it('serves item operations against the table as it is now after a delete and a re-create with other keys', async () => {
    const table = 'kumo-test-rekeyed';
    // A table is CREATING for a moment (item operations answer "not found"): wait for ACTIVE, as
    // `aws dynamodb wait table-exists` does.
    const create = async (key: string) => {
      await running.client.send(
        new CreateTableCommand({
          TableName: table,
          BillingMode: 'PAY_PER_REQUEST',
          AttributeDefinitions: [{ AttributeName: key, AttributeType: 'S' }],
          KeySchema: [{ AttributeName: key, KeyType: 'HASH' }],
        }),
      );
      await vi.waitFor(async () => {
        const { Table } = await running.client.send(new DescribeTableCommand({ TableName: table }));
        expect(Table?.TableStatus).toBe('ACTIVE');
      });
    };
    const put = (item: Record<string, { S: string }>) =>
      running.client.send(new PutItemCommand({ TableName: table, Item: item }));
    await create('id');
    await put({ id: { S: 'a' } });
    await put({ id: { S: 'b' } });
    await running.client.send(new DeleteTableCommand({ TableName: table }));
    await vi.waitFor(() => expect(put({ id: { S: 'c' } })).rejects.toThrow(/not found/i));
    await create('sku');
    // The old key schema (kept for item operations) must not be the one checked now.
    await expect(put({ id: { S: 'd' } })).rejects.toThrow(/key/i);
    await put({ sku: { S: 'e' } });
    const { Items } = await running.client.send(new ScanCommand({ TableName: table }));
    expect(Items).toEqual([{ sku: { S: 'e' } }]);
  });
});

describe('Service: dynamodb across restarts', () => {
  it('keeps data on restart, drops it with fresh, and recreates a table whose keys changed', async () => {
    const model = await fixtureModel('dynamodb.yaml');
    const dataRoot = await tempDataRoot();
    const item = { monitorId: { S: 'm1' }, url: { S: 'https://example.com' } };
    const getItem = (client: DynamoDBClient) =>
      client.send(new GetItemCommand({ TableName: MONITORS, Key: { monitorId: { S: 'm1' } } }));

    const first = await start(model, dataRoot);
    await first.client.send(new PutItemCommand({ TableName: MONITORS, Item: item }));
    first.client.destroy();
    await first.service.stop();

    const second = await start(model, dataRoot);
    expect(second.service.tables).toEqual({ PostsTable: 'kept', MonitorsTable: 'kept' });
    expect((await getItem(second.client)).Item).toEqual(item);
    second.client.destroy();
    await second.service.stop();

    const fresh = await start(model, dataRoot, { fresh: true });
    expect(fresh.service.tables).toEqual({ PostsTable: 'created', MonitorsTable: 'created' });
    expect((await getItem(fresh.client)).Item).toBeUndefined();
    await fresh.client.send(new PutItemCommand({ TableName: MONITORS, Item: item }));
    fresh.client.destroy();
    await fresh.service.stop();

    const changed = await start(await fixtureModel('dynamodb-changed.yaml'), dataRoot);
    expect(changed.service.tables).toEqual({ MonitorsTable: 'recreated' });
    expect(changed.log.lines).toContainEqual(expect.stringContaining('different key schema'));
    const { Table } = await changed.client.send(new DescribeTableCommand({ TableName: MONITORS }));
    expect(Table?.KeySchema).toEqual([{ AttributeName: 'monitorNumber', KeyType: 'HASH' }]);
    const { Count } = await changed.client.send(new ScanCommand({ TableName: MONITORS }));
    expect(Count).toBe(0);
    changed.client.destroy();
    await changed.service.stop();
  });

  it('refuses a second emulator on the same data folder, clearly', async () => {
    const model = await fixtureModel('dynamodb.yaml');
    const dataRoot = await tempDataRoot();
    const first = await start(model, dataRoot);
    await expect(start(model, dataRoot)).rejects.toThrow(DataDirInUseError);
    expect((await first.client.send(new ScanCommand({ TableName: MONITORS }))).Count).toBe(0);
    first.client.destroy();
    await first.service.stop();
    const again = await start(model, dataRoot);
    again.client.destroy();
    await again.service.stop();
  });

  it('sweeps on its own timer', async () => {
    const model = await fixtureModel('dynamodb.yaml');
    const { ctx } = testContext(model, await tempDataRoot());
    const service = (await createDynamodbService({ ttlSweepIntervalMs: 50 }).start(ctx)) as DynamodbService;
    const client = clientFor(service);
    const Key = { authorId: { S: 'timer' }, postedAt: { S: 'x' } };
    const expiresAt = { N: String(Math.floor(Date.now() / 1000) - 1) };
    await client.send(new PutItemCommand({ TableName: POSTS, Item: { ...Key, expiresAt } }));
    await vi.waitFor(async () => {
      expect((await client.send(new GetItemCommand({ TableName: POSTS, Key }))).Item).toBeUndefined();
    });
    client.destroy();
    await service.stop();
  });
});
