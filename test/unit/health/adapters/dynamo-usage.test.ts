import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import {
  BatchWriteItemCommand,
  DynamoDBClient,
  GetItemCommand,
  UpdateItemCommand,
} from '@aws-sdk/client-dynamodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DynamoUsage } from '../../../../functions/health/adapters/dynamo-usage.js';

/** What a DynamoDB endpoint answers per operation, and the bodies it was sent. */
const answers: Record<string, { status: number; body: unknown }> = {
  BatchWriteItem: {
    status: 200,
    body: { UnprocessedItems: {}, ConsumedCapacity: [{ TableName: 'Results', CapacityUnits: 25 }] },
  },
  GetItem: { status: 200, body: { ConsumedCapacity: { TableName: 'Monitors', CapacityUnits: 0.5 } } },
  UpdateItem: {
    status: 400,
    body: { __type: 'com.amazonaws.dynamodb.v20120810#ConditionalCheckFailedException', message: 'failed' },
  },
};
const received: Record<string, unknown>[] = [];

async function body(request: IncomingMessage): Promise<string> {
  let text = '';
  for await (const chunk of request) text += String(chunk);
  return text;
}

let server: Server;
let client: DynamoDBClient;

beforeAll(async () => {
  server = createServer(async (request, response) => {
    const operation = String(request.headers['x-amz-target']).split('.')[1] ?? '';
    received.push(JSON.parse(await body(request)));
    const answer = answers[operation] ?? { status: 400, body: { __type: 'UnknownOperationException' } };
    response.writeHead(answer.status, { 'Content-Type': 'application/x-amz-json-1.0' });
    response.end(JSON.stringify(answer.body));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  client = new DynamoDBClient({
    region: 'us-east-1',
    endpoint: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    credentials: { accessKeyId: 'test', secretAccessKey: 'test' },
    maxAttempts: 1,
  });
});

afterAll(async () => {
  client.destroy();
  await new Promise((resolve) => server.close(resolve));
});

describe('Class: DynamoUsage', () => {
  it('asks for the consumed capacity and adds up requests, write and read units; failed requests count', async () => {
    const usage = new DynamoUsage();
    usage.attach(client.middlewareStack);
    await client.send(
      new BatchWriteItemCommand({
        RequestItems: {
          Results: [{ PutRequest: { Item: { monitorId: { S: 'm' }, checkedAt: { S: 'x' } } } }],
        },
      }),
    );
    await client.send(new GetItemCommand({ TableName: 'Monitors', Key: { monitorId: { S: 'm' } } }));
    await expect(
      client.send(
        new UpdateItemCommand({
          TableName: 'Monitors',
          Key: { monitorId: { S: 'm' } },
          UpdateExpression: 'SET a = :a',
          ExpressionAttributeValues: { ':a': { S: 'b' } },
        }),
      ),
    ).rejects.toThrow('failed');
    expect(received.every((input) => input.ReturnConsumedCapacity === 'TOTAL')).toBe(true);
    expect(usage.snapshot()).toEqual({
      requests: 3,
      byOperation: { BatchWriteItem: 1, GetItem: 1, UpdateItem: 1 },
      writeUnits: 25,
      readUnits: 0.5,
    });
    usage.reset();
    expect(usage.snapshot()).toEqual({ requests: 0, byOperation: {}, writeUnits: 0, readUnits: 0 });
  });
});
