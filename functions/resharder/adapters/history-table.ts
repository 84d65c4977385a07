/**
 * {@link ReshardHistory} in ReshardHistoryTable (keys `pk`/`sk`, TTL `expiresAt`):
 * - `NOTIFICATION#<SNS MessageId>` / `NOTIFICATION`: a notification being or already handled, claimed
 *   with a condition so that of two deliveries only one acts;
 * - `STREAM#<name>` / `SCALING#<ISO time>`: one item per reshard, for the cooldown, the stale-alarm check
 *   and the rolling 24-hour UpdateShardCount budget.
 * Both expire after two days: nothing older matters.
 */
import { DeleteCommand, type DynamoDBDocumentClient, PutCommand, QueryCommand } from '@aws-sdk/lib-dynamodb';
import type { ReshardHistory, ScalingRecord } from '../domain/ports.js';

const RETENTION_SECONDS = 2 * 24 * 3600;

function expiresAt(from: Date): number {
  return Math.floor(from.getTime() / 1000) + RETENTION_SECONDS;
}

export class DynamoReshardHistory implements ReshardHistory {
  public constructor(
    private readonly client: DynamoDBDocumentClient,
    private readonly tableName: string,
    private readonly streamName: string,
  ) {}

  public async claim(notificationId: string, now: Date): Promise<boolean> {
    try {
      await this.client.send(
        new PutCommand({
          TableName: this.tableName,
          Item: {
            pk: `NOTIFICATION#${notificationId}`,
            sk: 'NOTIFICATION',
            streamName: this.streamName,
            claimedAt: now.toISOString(),
            expiresAt: expiresAt(now),
          },
          ConditionExpression: 'attribute_not_exists(pk)',
        }),
      );
      return true;
    } catch (error) {
      if (error instanceof Error && error.name === 'ConditionalCheckFailedException') return false;
      throw error;
    }
  }

  public async release(notificationId: string): Promise<void> {
    await this.client.send(
      new DeleteCommand({
        TableName: this.tableName,
        Key: { pk: `NOTIFICATION#${notificationId}`, sk: 'NOTIFICATION' },
      }),
    );
  }

  public async scalingsSince(since: Date): Promise<ScalingRecord[]> {
    const records: ScalingRecord[] = [];
    let startKey: Record<string, unknown> | undefined;
    do {
      const page = await this.client.send(
        new QueryCommand({
          TableName: this.tableName,
          KeyConditionExpression: 'pk = :pk AND sk BETWEEN :from AND :to',
          ExpressionAttributeValues: {
            ':pk': `STREAM#${this.streamName}`,
            ':from': `SCALING#${since.toISOString()}`,
            ':to': 'SCALING#~',
          },
          ScanIndexForward: false,
          ConsistentRead: true,
          ...(startKey ? { ExclusiveStartKey: startKey } : {}),
        }),
      );
      for (const item of page.Items ?? []) {
        records.push({
          at: new Date(String(item.at)),
          from: Number(item.from),
          to: Number(item.to),
          method: item.method === 'SplitMerge' ? 'SplitMerge' : 'UpdateShardCount',
          updateCalls: Number(item.updateCalls ?? 0),
          reason: String(item.reason ?? ''),
        });
      }
      startKey = page.LastEvaluatedKey;
    } while (startKey);
    return records;
  }

  public async record(scaling: ScalingRecord): Promise<void> {
    await this.client.send(
      new PutCommand({
        TableName: this.tableName,
        Item: {
          pk: `STREAM#${this.streamName}`,
          sk: `SCALING#${scaling.at.toISOString()}`,
          at: scaling.at.toISOString(),
          from: scaling.from,
          to: scaling.to,
          method: scaling.method,
          updateCalls: scaling.updateCalls,
          reason: scaling.reason,
          expiresAt: expiresAt(scaling.at),
        },
      }),
    );
  }
}
