import { ConditionalCheckFailedException, DynamoDBClient } from '@aws-sdk/client-dynamodb';
import {
  BatchGetCommand,
  DeleteCommand,
  DynamoDBDocumentClient,
  GetCommand,
  PutCommand,
  QueryCommand,
  UpdateCommand,
} from '@aws-sdk/lib-dynamodb';
import { mockClient } from 'aws-sdk-client-mock';
import { afterEach, describe, expect, it } from 'vitest';
import {
  CHANNELS_BY_OWNER,
  DynamoChannelStore,
} from '../../../../functions/health/adapters/dynamo-channel-store.js';
import { deriveSealKey, sealTarget } from '../../../../functions/health/domain/channel-seal.js';
import type { Channel } from '../../../../functions/health/domain/channels.js';

const ddb = mockClient(DynamoDBDocumentClient);
const client = DynamoDBDocumentClient.from(new DynamoDBClient({ region: 'us-east-1' }));
const TABLE = 'kumo-dev-ChannelsTable';
const key = deriveSealKey('unit-test-channel-key-of-32-characters-at-least');
const store = new DynamoChannelStore(client, TABLE, async () => key);
const conditionFailed = () =>
  new ConditionalCheckFailedException({ message: 'The conditional request failed', $metadata: {} });

const slack: Channel = {
  channelId: 'ch-0123456789abcdef0123',
  ownerId: 'ada',
  kind: 'slack',
  name: 'Slack',
  createdAt: '2026-12-06T04:00:00.000Z',
  targetHint: 'https://hooks.slack.com/services/…',
  target: { url: 'https://hooks.slack.com/services/T0/B0/SECRETTOKEN' },
  failureCount: 0,
};

afterEach(() => {
  ddb.reset();
});

describe('Class: DynamoChannelStore', () => {
  it('stores the target sealed: the item holds no URL, only the hint and the sealed value', async () => {
    ddb.on(PutCommand).resolves({});
    await store.create(slack);
    const input = ddb.commandCalls(PutCommand)[0]?.args[0].input;
    expect(input?.ConditionExpression).toBe('attribute_not_exists(channelId)');
    expect(JSON.stringify(input?.Item)).not.toContain('SECRETTOKEN');
    expect(input?.Item).toMatchObject({
      channelId: slack.channelId,
      ownerId: 'ada',
      kind: 'slack',
      targetHint: slack.targetHint,
      failureCount: 0,
      sealed: expect.stringMatching(/^v1\./),
    });
  });

  it('opens the target on read, and reads a target sealed with another key as none (never sent)', async () => {
    const sealed = sealTarget(key, slack.channelId, 'ada', slack.target);
    const { target: _target, ...rest } = slack;
    ddb.on(GetCommand).resolves({ Item: { ...rest, sealed } });
    expect(await store.get(slack.channelId)).toEqual(slack);
    const other = sealTarget(
      deriveSealKey('another-key-of-thirty-two-characters-or-more'),
      slack.channelId,
      'ada',
      slack.target,
    );
    ddb.on(GetCommand).resolves({ Item: { ...rest, sealed: other } });
    expect((await store.get(slack.channelId))?.target).toEqual({});
  });

  it("lists an owner's channels through the ByOwner index", async () => {
    ddb.on(QueryCommand).resolves({ Items: [] });
    await store.listByOwner('ada');
    expect(ddb.commandCalls(QueryCommand)[0]?.args[0].input).toMatchObject({
      TableName: TABLE,
      IndexName: CHANNELS_BY_OWNER,
      KeyConditionExpression: 'ownerId = :owner',
      ExpressionAttributeValues: { ':owner': 'ada' },
    });
  });

  it('reads several channels in one BatchGetItem, asking again for unprocessed keys', async () => {
    const { target: _target, ...rest } = slack;
    ddb
      .on(BatchGetCommand)
      .resolvesOnce({
        Responses: { [TABLE]: [] },
        UnprocessedKeys: { [TABLE]: { Keys: [{ channelId: slack.channelId }] } },
      })
      .resolvesOnce({ Responses: { [TABLE]: [{ ...rest }] } });
    const found = await store.getMany([slack.channelId, slack.channelId]);
    expect(found.map((c) => c.channelId)).toEqual([slack.channelId]);
    expect(ddb.commandCalls(BatchGetCommand)[0]?.args[0].input.RequestItems?.[TABLE]?.Keys).toEqual([
      { channelId: slack.channelId },
    ]);
  });

  it('changes and deletes only with the expected owner (false when someone else owns it)', async () => {
    ddb.on(UpdateCommand).rejects(conditionFailed());
    expect(await store.update(slack, 'bob')).toBe(false);
    expect(ddb.commandCalls(UpdateCommand)[0]?.args[0].input.ConditionExpression).toBe('ownerId = :owner');
    ddb.on(DeleteCommand).rejects(conditionFailed());
    expect(await store.remove(slack.channelId, 'bob')).toBe(false);
    ddb.on(DeleteCommand).resolves({});
    expect(await store.remove(slack.channelId, 'ada')).toBe(true);
  });

  it('records a failure as the last delivery and the last failure, and counts it; never recreates a deleted channel', async () => {
    ddb.on(UpdateCommand).resolves({});
    const failure = {
      at: '2026-12-06T04:00:00.000Z',
      ok: false,
      attempts: 5,
      error: 'HTTP 503',
      event: 'MONITOR_DOWN',
    };
    await store.recordDelivery(slack.channelId, failure);
    expect(ddb.commandCalls(UpdateCommand)[0]?.args[0].input).toMatchObject({
      UpdateExpression: 'SET lastDelivery = :record, lastFailure = :record ADD failureCount :one',
      ConditionExpression: 'attribute_exists(channelId)',
      ExpressionAttributeValues: { ':record': failure, ':one': 1 },
    });
    ddb.on(UpdateCommand).rejects(conditionFailed());
    await expect(store.recordDelivery(slack.channelId, { ...failure, ok: true })).resolves.toBeUndefined();
  });
});
