/**
 * The poller's checkpoint in PostsCheckpointTable (key `checkpointId`, one item per search query),
 * saved with a version condition so that two overlapping runs cannot both advance it.
 */
import { createHash } from 'node:crypto';
import { type DynamoDBDocumentClient, GetCommand, PutCommand } from '@aws-sdk/lib-dynamodb';
import { type CheckpointState, initialCheckpoint } from '../domain/checkpoint.js';
import type { CheckpointStore } from '../domain/ports.js';

/** One checkpoint per query: changing the query starts afresh instead of resuming someone else's ids. */
export function checkpointIdFor(query: string): string {
  return `recent-search#${createHash('sha256').update(query).digest('hex').slice(0, 16)}`;
}

export class DynamoCheckpointStore implements CheckpointStore {
  private readonly checkpointId: string;

  public constructor(
    private readonly client: DynamoDBDocumentClient,
    private readonly tableName: string,
    private readonly query: string,
    private readonly now: () => Date = () => new Date(),
  ) {
    this.checkpointId = checkpointIdFor(query);
  }

  public async load(): Promise<CheckpointState> {
    const { Item } = await this.client.send(
      new GetCommand({
        TableName: this.tableName,
        Key: { checkpointId: this.checkpointId },
        ConsistentRead: true,
      }),
    );
    if (Item === undefined) return initialCheckpoint;
    return {
      version: Number(Item.version ?? 0),
      ...(typeof Item.sinceId === 'string' ? { sinceId: Item.sinceId } : {}),
      ...(typeof Item.gapUntilId === 'string' && typeof Item.gapNewestId === 'string'
        ? { gap: { untilId: Item.gapUntilId, newestId: Item.gapNewestId } }
        : {}),
    };
  }

  public async save(state: CheckpointState): Promise<boolean> {
    try {
      await this.client.send(
        new PutCommand({
          TableName: this.tableName,
          Item: {
            checkpointId: this.checkpointId,
            query: this.query,
            version: state.version + 1,
            sinceId: state.sinceId,
            gapUntilId: state.gap?.untilId,
            gapNewestId: state.gap?.newestId,
            updatedAt: this.now().toISOString(),
          },
          ConditionExpression:
            state.version === 0 ? 'attribute_not_exists(checkpointId)' : '#version = :expected',
          ...(state.version === 0
            ? {}
            : {
                ExpressionAttributeNames: { '#version': 'version' },
                ExpressionAttributeValues: { ':expected': state.version },
              }),
        }),
      );
      return true;
    } catch (error) {
      if (error instanceof Error && error.name === 'ConditionalCheckFailedException') return false;
      throw error;
    }
  }
}
