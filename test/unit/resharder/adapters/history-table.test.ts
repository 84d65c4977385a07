import { ConditionalCheckFailedException, DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DeleteCommand, DynamoDBDocumentClient, PutCommand, QueryCommand } from '@aws-sdk/lib-dynamodb';
import { mockClient } from 'aws-sdk-client-mock';
import { beforeEach, describe, expect, it } from 'vitest';
import { DynamoReshardHistory } from '../../../../functions/resharder/adapters/history-table.js';
import { STREAM } from '../../../helpers/resharder.js';

const documents = mockClient(DynamoDBDocumentClient);
const documentClient = DynamoDBDocumentClient.from(new DynamoDBClient({ region: 'us-east-1' }));
const meta = { $metadata: {}, message: 'refused' };

beforeEach(() => {
  documents.reset();
});

describe('Class: DynamoReshardHistory', () => {
  const history = new DynamoReshardHistory(documentClient, 'kumo-dev-ReshardHistoryTable', STREAM);
  const at = new Date('2026-11-27T17:02:09.000Z');

  it('claims a notification with a condition; a second claim is refused', async () => {
    documents
      .on(PutCommand)
      .resolvesOnce({})
      .rejects(new ConditionalCheckFailedException({ ...meta }));
    expect(await history.claim('message-1', at)).toBe(true);
    expect(await history.claim('message-1', at)).toBe(false);
    expect(documents.commandCalls(PutCommand)[0]?.args[0].input).toMatchObject({
      TableName: 'kumo-dev-ReshardHistoryTable',
      Item: { pk: 'NOTIFICATION#message-1', sk: 'NOTIFICATION', expiresAt: at.getTime() / 1000 + 2 * 86_400 },
      ConditionExpression: 'attribute_not_exists(pk)',
    });
  });

  it('releases a claim', async () => {
    documents.on(DeleteCommand).resolves({});
    await history.release('message-1');
    expect(documents.commandCalls(DeleteCommand)[0]?.args[0].input.Key).toEqual({
      pk: 'NOTIFICATION#message-1',
      sk: 'NOTIFICATION',
    });
  });

  it('records reshards and reads those since a time, newest first', async () => {
    documents.on(PutCommand).resolves({});
    await history.record({
      at,
      from: 4,
      to: 8,
      method: 'UpdateShardCount',
      updateCalls: 1,
      reason: 'demand',
    });
    expect(documents.commandCalls(PutCommand)[0]?.args[0].input.Item).toMatchObject({
      pk: `STREAM#${STREAM}`,
      sk: 'SCALING#2026-11-27T17:02:09.000Z',
      from: 4,
      to: 8,
    });
    documents.on(QueryCommand).resolves({
      Items: [
        {
          at: at.toISOString(),
          from: 4,
          to: 8,
          method: 'UpdateShardCount',
          updateCalls: 1,
          reason: 'demand',
        },
      ],
    });
    const since = new Date(at.getTime() - 86_400_000);
    expect(await history.scalingsSince(since)).toEqual([
      { at, from: 4, to: 8, method: 'UpdateShardCount', updateCalls: 1, reason: 'demand' },
    ]);
    expect(documents.commandCalls(QueryCommand)[0]?.args[0].input).toMatchObject({
      KeyConditionExpression: 'pk = :pk AND sk BETWEEN :from AND :to',
      ExpressionAttributeValues: { ':pk': `STREAM#${STREAM}`, ':from': `SCALING#${since.toISOString()}` },
      ScanIndexForward: false,
    });
  });
});
