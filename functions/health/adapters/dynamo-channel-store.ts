/**
 * {@link ChannelStore} over ChannelsTable (template.yaml): key `channelId`, index ByOwner (`ownerId`,
 * `createdAt`) for an owner's list. A channel's URL and secret are stored only sealed (`sealed`,
 * domain/channel-seal.ts) beside a `targetHint` the owner may see; e-mail channels keep their address
 * and SNS subscription in the clear (the owner's own address, shown to them).
 */
import {
  BatchGetCommand,
  DeleteCommand,
  type DynamoDBDocumentClient,
  GetCommand,
  PutCommand,
  paginateQuery,
  UpdateCommand,
} from '@aws-sdk/lib-dynamodb';
import type { ChannelStore } from '../domain/channel-delivery.js';
import { openTarget, SealError, sealTarget } from '../domain/channel-seal.js';
import type { Channel, ChannelKind, ChannelTarget, DeliveryRecord } from '../domain/channels.js';

function isConditionFailure(error: unknown): boolean {
  return error instanceof Error && error.name === 'ConditionalCheckFailedException';
}

/** The owner index. */
export const CHANNELS_BY_OWNER = 'ByOwner';

/** BatchGetItem reads at most 100 keys; a monitor names at most 10 channels. */
const BATCH_GET_LIMIT = 100;

export class DynamoChannelStore implements ChannelStore {
  public constructor(
    private readonly client: DynamoDBDocumentClient,
    private readonly tableName: string,
    private readonly sealKey: () => Promise<Buffer>,
  ) {}

  private async toChannel(item: Record<string, unknown>): Promise<Channel> {
    const channelId = String(item.channelId);
    const ownerId = String(item.ownerId);
    let target: ChannelTarget = {};
    if (typeof item.sealed === 'string') {
      try {
        target = openTarget(await this.sealKey(), channelId, ownerId, item.sealed);
      } catch (error) {
        // A target that does not open (the channel key was replaced) sends nothing; the sender says why.
        if (!(error instanceof SealError)) throw error;
      }
    }
    const channel: Channel = {
      channelId,
      ownerId,
      kind: item.kind as ChannelKind,
      name: String(item.name),
      createdAt: String(item.createdAt),
      targetHint: String(item.targetHint ?? ''),
      target,
      failureCount: typeof item.failureCount === 'number' ? item.failureCount : 0,
    };
    if (typeof item.address === 'string') channel.address = item.address;
    if (typeof item.subscriptionArn === 'string') channel.subscriptionArn = item.subscriptionArn;
    if (item.lastDelivery !== undefined) channel.lastDelivery = item.lastDelivery as DeliveryRecord;
    if (item.lastFailure !== undefined) channel.lastFailure = item.lastFailure as DeliveryRecord;
    return channel;
  }

  private async sealedOf(channel: Channel): Promise<string | undefined> {
    if (channel.target.url === undefined && channel.target.secret === undefined) return undefined;
    return sealTarget(await this.sealKey(), channel.channelId, channel.ownerId, channel.target);
  }

  public async get(channelId: string): Promise<Channel | undefined> {
    const { Item } = await this.client.send(
      new GetCommand({ TableName: this.tableName, Key: { channelId }, ConsistentRead: true }),
    );
    return Item === undefined ? undefined : this.toChannel(Item);
  }

  public async getMany(channelIds: readonly string[]): Promise<Channel[]> {
    const ids = [...new Set(channelIds)].slice(0, BATCH_GET_LIMIT);
    if (ids.length === 0) return [];
    let keys: Record<string, unknown>[] = ids.map((channelId) => ({ channelId }));
    const items: Record<string, unknown>[] = [];
    // Unprocessed keys (throttling) are asked again, a few times.
    for (let round = 0; round < 5 && keys.length > 0; round += 1) {
      const { Responses, UnprocessedKeys } = await this.client.send(
        new BatchGetCommand({ RequestItems: { [this.tableName]: { Keys: keys } } }),
      );
      items.push(...(Responses?.[this.tableName] ?? []));
      keys = UnprocessedKeys?.[this.tableName]?.Keys ?? [];
      if (keys.length > 0) await new Promise((resolve) => setTimeout(resolve, 50 * 2 ** round));
    }
    return Promise.all(items.map((item) => this.toChannel(item)));
  }

  public async listByOwner(ownerId: string): Promise<Channel[]> {
    const items: Record<string, unknown>[] = [];
    const pages = paginateQuery(
      { client: this.client },
      {
        TableName: this.tableName,
        IndexName: CHANNELS_BY_OWNER,
        KeyConditionExpression: 'ownerId = :owner',
        ExpressionAttributeValues: { ':owner': ownerId },
      },
    );
    for await (const page of pages) items.push(...(page.Items ?? []));
    return Promise.all(items.map((item) => this.toChannel(item)));
  }

  public async create(channel: Channel): Promise<void> {
    const sealed = await this.sealedOf(channel);
    const item: Record<string, unknown> = {
      channelId: channel.channelId,
      ownerId: channel.ownerId,
      kind: channel.kind,
      name: channel.name,
      createdAt: channel.createdAt,
      targetHint: channel.targetHint,
      failureCount: 0,
    };
    if (sealed !== undefined) item.sealed = sealed;
    if (channel.address !== undefined) item.address = channel.address;
    if (channel.subscriptionArn !== undefined) item.subscriptionArn = channel.subscriptionArn;
    await this.client.send(
      new PutCommand({
        TableName: this.tableName,
        Item: item,
        ConditionExpression: 'attribute_not_exists(channelId)',
      }),
    );
  }

  public async update(channel: Channel, ownerId: string): Promise<boolean> {
    const sealed = await this.sealedOf(channel);
    try {
      await this.client.send(
        new UpdateCommand({
          TableName: this.tableName,
          Key: { channelId: channel.channelId },
          UpdateExpression:
            sealed === undefined
              ? 'SET #name = :name, targetHint = :hint'
              : 'SET #name = :name, targetHint = :hint, sealed = :sealed',
          ConditionExpression: 'ownerId = :owner',
          ExpressionAttributeNames: { '#name': 'name' },
          ExpressionAttributeValues: {
            ':name': channel.name,
            ':hint': channel.targetHint,
            ':owner': ownerId,
            ...(sealed === undefined ? {} : { ':sealed': sealed }),
          },
        }),
      );
      return true;
    } catch (error) {
      if (isConditionFailure(error)) return false;
      throw error;
    }
  }

  public async remove(channelId: string, ownerId: string): Promise<boolean> {
    try {
      await this.client.send(
        new DeleteCommand({
          TableName: this.tableName,
          Key: { channelId },
          ConditionExpression: 'ownerId = :owner',
          ExpressionAttributeValues: { ':owner': ownerId },
        }),
      );
      return true;
    } catch (error) {
      if (isConditionFailure(error)) return false;
      throw error;
    }
  }

  public async recordDelivery(channelId: string, record: DeliveryRecord): Promise<void> {
    try {
      await this.client.send(
        new UpdateCommand({
          TableName: this.tableName,
          Key: { channelId },
          UpdateExpression: record.ok
            ? 'SET lastDelivery = :record'
            : 'SET lastDelivery = :record, lastFailure = :record ADD failureCount :one',
          // A channel deleted meanwhile is not brought back as a stub.
          ConditionExpression: 'attribute_exists(channelId)',
          ExpressionAttributeValues: { ':record': record, ...(record.ok ? {} : { ':one': 1 }) },
        }),
      );
    } catch (error) {
      if (!isConditionFailure(error)) throw error;
    }
  }
}
