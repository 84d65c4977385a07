/**
 * {@link PhotoStore} over PhotosTable (template.yaml). Every read is a GetItem or a Query:
 *
 * | item        | pk                  | sk                       | index attributes                      |
 * |-------------|---------------------|--------------------------|---------------------------------------|
 * | photo       | `PHOTO#{photoId}`   | `PHOTO`                  | ownerPk `USER#{ownerId}`, ownerSk `{createdAt}#{photoId}`; feedPk `FEED`, feedSk `{createdAt}#{photoId}` while public; `expiresAt` (TTL) while PENDING |
 * | label index | `LABEL#{label}`     | `{createdAt}#{photoId}`  | (a copy of the public photo)          |
 * | label count | `LABELCOUNT#{label}`| `COUNT`                  | countPk `LABELS`, photoCount N        |
 *
 * GSIs: ByOwner (ownerPk, ownerSk) for `?mine=true`, Feed (feedPk, feedSk) for the public feed (sparse:
 * only public photos have feedPk), LabelsByCount (countPk, photoCount) for `GET /labels`. Label items and
 * counters change in the same transaction as the photo's state, conditional on that state, so a retry
 * of the labeler or of a delete can neither index twice nor count twice.
 */
import {
  type DynamoDBDocumentClient,
  GetCommand,
  PutCommand,
  QueryCommand,
  type QueryCommandInput,
  TransactWriteCommand,
  type TransactWriteCommandInput,
} from '@aws-sdk/lib-dynamodb';
import { isPublic } from '../domain/access.js';
import type { PhotoStore, ReadyUpdate } from '../domain/ports.js';
import type { LabelCount, ListScope, PagePosition, Photo, PhotoPage, Rejection } from '../domain/types.js';
import { pendingExpiry } from '../domain/upload.js';

/** GSI names (template.yaml). */
export const INDEX = { byOwner: 'ByOwner', feed: 'Feed', labelsByCount: 'LabelsByCount' } as const;

/** TransactWriteItems takes at most 100 items: the photo, then an index item and a counter per label. */
export const MAX_INDEXED_LABELS = 49;

const KEY_ATTRIBUTES = ['pk', 'sk', 'ownerPk', 'ownerSk', 'feedPk', 'feedSk', 'expiresAt'] as const;

type TransactItem = NonNullable<TransactWriteCommandInput['TransactItems']>[number];

/** Keys of the photo item. */
export const photoKey = (photoId: string) => ({ pk: `PHOTO#${photoId}`, sk: 'PHOTO' });
const sortKey = (position: PagePosition) => `${position.createdAt}#${position.photoId}`;
const labelKey = (label: string, position: PagePosition) => ({ pk: `LABEL#${label}`, sk: sortKey(position) });
const countKey = (label: string) => ({ pk: `LABELCOUNT#${label}`, sk: 'COUNT' });

/** The label index item of a public photo for one of its labels. */
export function toLabelItem(photo: Photo, label: string): Record<string, unknown> {
  return { ...photo, ...labelKey(label, photo) };
}

/** A stored item (photo or label index item) back to a {@link Photo}. */
export function toPhoto(item: Record<string, unknown>): Photo {
  const photo: Record<string, unknown> = { ...item };
  for (const attribute of KEY_ATTRIBUTES) delete photo[attribute];
  return photo as unknown as Photo;
}

/** The photo item, with its index attributes. */
export function toPhotoItem(photo: Photo): Record<string, unknown> {
  const item: Record<string, unknown> = {
    ...photo,
    ...photoKey(photo.photoId),
    ownerPk: `USER#${photo.ownerId}`,
    ownerSk: sortKey(photo),
  };
  if (isPublic(photo)) Object.assign(item, { feedPk: 'FEED', feedSk: sortKey(photo) });
  if (photo.state === 'PENDING') item.expiresAt = pendingExpiry(photo.createdAt);
  return item;
}

/** True for a failed condition, alone or inside a cancelled transaction. */
function conditionFailed(error: unknown): boolean {
  if (!(error instanceof Error)) return false;
  if (error.name === 'ConditionalCheckFailedException') return true;
  if (error.name !== 'TransactionCanceledException') return false;
  const reasons = (error as { CancellationReasons?: { Code?: string }[] }).CancellationReasons ?? [];
  return reasons.some((reason) => reason.Code === 'ConditionalCheckFailed');
}

/**
 * Distinct labels of a photo that get index items: the most confident, whatever order the photo shows
 * them in (parents come last there, but stay searchable). Picked from the stored labels alone, so the
 * delete of a photo removes exactly the items its publication wrote.
 */
function indexedLabels(photo: Photo): Photo['labels'] {
  return [...photo.labels]
    .sort((a, b) => b.confidence - a.confidence || a.label.localeCompare(b.label))
    .slice(0, MAX_INDEXED_LABELS);
}

/** {@link PhotoStore} over DynamoDB. */
export class DynamoPhotoStore implements PhotoStore {
  public constructor(
    private readonly client: DynamoDBDocumentClient,
    private readonly tableName: string,
  ) {}

  public async create(photo: Photo): Promise<boolean> {
    try {
      await this.client.send(
        new PutCommand({
          TableName: this.tableName,
          Item: toPhotoItem(photo),
          ConditionExpression: 'attribute_not_exists(pk)',
        }),
      );
      return true;
    } catch (error) {
      if (conditionFailed(error)) return false;
      throw error;
    }
  }

  public async get(photoId: string): Promise<Photo | undefined> {
    const { Item } = await this.client.send(
      new GetCommand({ TableName: this.tableName, Key: photoKey(photoId), ConsistentRead: true }),
    );
    return Item === undefined ? undefined : toPhoto(Item);
  }

  public async markReady(photo: Photo, update: ReadyUpdate): Promise<boolean> {
    const ready: Photo = { ...photo, ...update, state: 'READY' };
    const item = toPhotoItem(ready);
    const items: TransactItem[] = [
      {
        Put: {
          TableName: this.tableName,
          Item: item,
          ConditionExpression: 'attribute_exists(pk) AND #state = :pending',
          ExpressionAttributeNames: { '#state': 'state' },
          ExpressionAttributeValues: { ':pending': 'PENDING' },
        },
      },
    ];
    if (isPublic(ready)) items.push(...this.indexItems(ready, 1));
    return this.transact(items);
  }

  public async markRejected(photo: Photo, rejection: Rejection, processedAt: string): Promise<boolean> {
    const rejected: Photo = { ...photo, state: 'REJECTED', rejection, processedAt };
    return this.transact([
      {
        Put: {
          TableName: this.tableName,
          Item: toPhotoItem(rejected),
          ConditionExpression: 'attribute_exists(pk) AND #state = :pending',
          ExpressionAttributeNames: { '#state': 'state' },
          ExpressionAttributeValues: { ':pending': 'PENDING' },
        },
      },
    ]);
  }

  public async remove(photo: Photo): Promise<boolean> {
    const items: TransactItem[] = [
      {
        Delete: {
          TableName: this.tableName,
          Key: photoKey(photo.photoId),
          ConditionExpression: 'attribute_exists(pk) AND #state = :state AND ownerId = :owner',
          ExpressionAttributeNames: { '#state': 'state' },
          ExpressionAttributeValues: { ':state': photo.state, ':owner': photo.ownerId },
        },
      },
    ];
    if (isPublic(photo)) items.push(...this.indexItems(photo, -1));
    return this.transact(items);
  }

  /** Label index items and counter updates of a public photo: `delta` 1 adds them, -1 removes them. */
  private indexItems(photo: Photo, delta: 1 | -1): TransactItem[] {
    const items: TransactItem[] = [];
    for (const label of indexedLabels(photo)) {
      items.push(
        delta === 1
          ? { Put: { TableName: this.tableName, Item: toLabelItem(photo, label.label) } }
          : { Delete: { TableName: this.tableName, Key: labelKey(label.label, photo) } },
      );
      items.push({
        Update: {
          TableName: this.tableName,
          Key: countKey(label.label),
          UpdateExpression: 'SET countPk = :labels, #label = :label, #name = :name ADD photoCount :delta',
          ExpressionAttributeNames: { '#label': 'label', '#name': 'name' },
          ExpressionAttributeValues: {
            ':labels': 'LABELS',
            ':label': label.label,
            ':name': label.name,
            ':delta': delta,
          },
        },
      });
    }
    return items;
  }

  private async transact(items: TransactItem[]): Promise<boolean> {
    try {
      await this.client.send(new TransactWriteCommand({ TransactItems: items }));
      return true;
    } catch (error) {
      if (conditionFailed(error)) return false;
      throw error;
    }
  }

  public async list(scope: ListScope, limit: number, after?: PagePosition): Promise<PhotoPage> {
    const input: QueryCommandInput = {
      TableName: this.tableName,
      ScanIndexForward: false,
      // One more than asked: whether it comes back says whether there is a next page.
      Limit: limit + 1,
    };
    switch (scope.kind) {
      case 'feed':
        Object.assign(input, {
          IndexName: INDEX.feed,
          KeyConditionExpression: 'feedPk = :feed',
          ExpressionAttributeValues: { ':feed': 'FEED' },
        });
        if (after) {
          input.ExclusiveStartKey = { ...photoKey(after.photoId), feedPk: 'FEED', feedSk: sortKey(after) };
        }
        break;
      case 'mine':
        Object.assign(input, {
          IndexName: INDEX.byOwner,
          KeyConditionExpression: 'ownerPk = :owner',
          ExpressionAttributeValues: { ':owner': `USER#${scope.ownerId}` },
        });
        if (after) {
          input.ExclusiveStartKey = {
            ...photoKey(after.photoId),
            ownerPk: `USER#${scope.ownerId}`,
            ownerSk: sortKey(after),
          };
        }
        break;
      case 'label':
        Object.assign(input, {
          KeyConditionExpression: 'pk = :pk',
          ExpressionAttributeValues: { ':pk': `LABEL#${scope.label}` },
        });
        if (after) input.ExclusiveStartKey = labelKey(scope.label, after);
        break;
    }
    const { Items = [] } = await this.client.send(new QueryCommand(input));
    const photos = Items.slice(0, limit).map(toPhoto);
    const last = photos.at(-1);
    return Items.length > limit && last
      ? { photos, next: { createdAt: last.createdAt, photoId: last.photoId } }
      : { photos };
  }

  public async topLabels(limit: number): Promise<LabelCount[]> {
    const { Items = [] } = await this.client.send(
      new QueryCommand({
        TableName: this.tableName,
        IndexName: INDEX.labelsByCount,
        KeyConditionExpression: 'countPk = :labels AND photoCount > :zero',
        ExpressionAttributeValues: { ':labels': 'LABELS', ':zero': 0 },
        ScanIndexForward: false,
        Limit: limit,
      }),
    );
    return Items.map((item) => ({
      name: String(item.name),
      label: String(item.label),
      count: Number(item.photoCount),
    }));
  }
}
