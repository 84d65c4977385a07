/**
 * The push monitors' part of MonitorsTable: three attributes on the monitor's own item, outside its
 * settings (adapters/dynamo-stores.ts leaves them out of every view and keeps them on updates):
 * `pushTokenHash` (SHA-256 of the secret, domain/push.ts), `lastPingAt` and `lastPingFailed`.
 * A ping is one conditional UpdateItem: the token must still be the one checked (a rotation in between
 * wins) and the last ping not too recent (two at once: one is refused).
 */
import { type DynamoDBDocumentClient, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import type { PushStore } from '../domain/push.js';
import { OPERATORS_OWNER, type PushRecord } from '../domain/types.js';

/** The attributes of a push monitor's item that are not its settings. */
export const PUSH_ATTRIBUTES = ['pushTokenHash', 'lastPingAt', 'lastPingFailed'] as const;

/** The push attributes of a stored item, `undefined` when it has none. */
export function pushRecordOf(item: Record<string, unknown>): PushRecord | undefined {
  const push: PushRecord = {};
  if (typeof item.pushTokenHash === 'string') push.tokenHash = item.pushTokenHash;
  if (typeof item.lastPingAt === 'string') push.lastPingAt = item.lastPingAt;
  if (item.lastPingFailed === true) push.lastPingFailed = true;
  return Object.keys(push).length === 0 ? undefined : push;
}

function isConditionalCheckFailure(error: unknown): boolean {
  return error instanceof Error && error.name === 'ConditionalCheckFailedException';
}

/** {@link PushStore} over MonitorsTable. */
export class DynamoPushStore implements PushStore {
  public constructor(
    private readonly client: DynamoDBDocumentClient,
    private readonly tableName: string,
  ) {}

  public async setPushToken(monitorId: string, owner: string, tokenHash: string): Promise<boolean> {
    const ownerCondition =
      owner === OPERATORS_OWNER
        ? '(#ownerId = :owner OR attribute_not_exists(#ownerId))'
        : '#ownerId = :owner';
    return this.conditionalUpdate({
      TableName: this.tableName,
      Key: { monitorId },
      UpdateExpression: 'SET #hash = :hash',
      ConditionExpression: `attribute_exists(monitorId) AND #kind = :push AND ${ownerCondition}`,
      ExpressionAttributeNames: { '#hash': 'pushTokenHash', '#kind': 'kind', '#ownerId': 'ownerId' },
      ExpressionAttributeValues: { ':hash': tokenHash, ':push': 'push', ':owner': owner },
    });
  }

  public async recordPing(
    monitorId: string,
    tokenHash: string,
    ping: { at: string; failed: boolean; notAfter: string },
  ): Promise<boolean> {
    return this.conditionalUpdate({
      TableName: this.tableName,
      Key: { monitorId },
      UpdateExpression: 'SET #last = :at, #failed = :failed',
      ConditionExpression:
        'attribute_exists(monitorId) AND #hash = :hash AND (attribute_not_exists(#last) OR #last <= :notAfter)',
      ExpressionAttributeNames: {
        '#last': 'lastPingAt',
        '#failed': 'lastPingFailed',
        '#hash': 'pushTokenHash',
      },
      ExpressionAttributeValues: {
        ':at': ping.at,
        ':failed': ping.failed,
        ':hash': tokenHash,
        ':notAfter': ping.notAfter,
      },
    });
  }

  private async conditionalUpdate(input: ConstructorParameters<typeof UpdateCommand>[0]): Promise<boolean> {
    try {
      await this.client.send(new UpdateCommand(input));
      return true;
    } catch (error) {
      if (isConditionalCheckFailure(error)) return false;
      throw error;
    }
  }
}
