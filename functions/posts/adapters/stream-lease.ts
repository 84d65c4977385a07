/**
 * The filtered stream's lease (domain/ports.ts StreamLease) as one item of PostsCheckpointTable
 * (`checkpointId` = `filtered-stream#lease`): X allows one stream connection per app, whatever the query.
 */
import { type DynamoDBDocumentClient, GetCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import type { LeaseState, StreamLease } from '../domain/ports.js';

export const STREAM_LEASE_ID = 'filtered-stream#lease';

function stateOf(item: Record<string, unknown> | undefined): LeaseState {
  if (item === undefined) return {};
  const date = (value: unknown) => (typeof value === 'string' ? new Date(value) : undefined);
  const holderStartedAt = date(item.holderStartedAt);
  const releasedAt = date(item.releasedAt);
  return {
    ...(typeof item.holderId === 'string' ? { holderId: item.holderId } : {}),
    ...(holderStartedAt ? { holderStartedAt } : {}),
    ...(typeof item.releasedId === 'string' ? { releasedId: item.releasedId } : {}),
    ...(releasedAt ? { releasedAt } : {}),
  };
}

export class DynamoStreamLease implements StreamLease {
  public constructor(
    private readonly client: DynamoDBDocumentClient,
    private readonly tableName: string,
  ) {}

  public async claim(runId: string, startedAt: Date): Promise<{ claimed: boolean; before: LeaseState }> {
    try {
      const { Attributes } = await this.client.send(
        new UpdateCommand({
          TableName: this.tableName,
          Key: { checkpointId: STREAM_LEASE_ID },
          UpdateExpression: 'SET holderId = :run, holderStartedAt = :started',
          // ISO timestamps of one format compare as strings: a run that started later keeps the lease.
          ConditionExpression: 'attribute_not_exists(holderStartedAt) OR holderStartedAt <= :started',
          ExpressionAttributeValues: { ':run': runId, ':started': startedAt.toISOString() },
          ReturnValues: 'ALL_OLD',
        }),
      );
      return { claimed: true, before: stateOf(Attributes) };
    } catch (error) {
      if (error instanceof Error && error.name === 'ConditionalCheckFailedException') {
        return { claimed: false, before: await this.read() };
      }
      throw error;
    }
  }

  public async read(): Promise<LeaseState> {
    const { Item } = await this.client.send(
      new GetCommand({
        TableName: this.tableName,
        Key: { checkpointId: STREAM_LEASE_ID },
        ConsistentRead: true,
      }),
    );
    return stateOf(Item);
  }

  public async release(runId: string, at: Date): Promise<void> {
    await this.client.send(
      new UpdateCommand({
        TableName: this.tableName,
        Key: { checkpointId: STREAM_LEASE_ID },
        UpdateExpression: 'SET releasedId = :run, releasedAt = :at',
        ExpressionAttributeValues: { ':run': runId, ':at': at.toISOString() },
      }),
    );
  }
}
