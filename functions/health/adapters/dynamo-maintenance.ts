/**
 * DynamoDB stores of maintenance windows and incidents.
 *
 * Windows are a list attribute `maintenance` on the monitor's own item in MonitorsTable: the run reads
 * them with the monitor (its scan already returns the item), so they cost no read at all. Adding and
 * removing are single conditional updates: owner, and for adding the cap on the list's size, checked
 * by the write itself.
 *
 * Incidents are items of CheckResultsTable under the monitor's key, sort key `#incident#<start>`: `#`
 * sorts before any date, so a history query (`checkedAt >= <date>`) never sees them, and a listing is
 * one Query (`begins_with`, newest first). They are written only on a transition into or out of DOWN
 * and expire like results, but not before {@link INCIDENT_MIN_DAYS}.
 */
import { type DynamoDBDocumentClient, GetCommand, QueryCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import type {
  AddWindowOutcome,
  IncidentStore,
  MaintenanceStore,
  RemoveWindowOutcome,
} from '../domain/ports.js';
import { type Incident, type MaintenanceWindow, OPERATORS_OWNER } from '../domain/types.js';
import { ownerCondition } from './dynamo-stores.js';

/** Prefix of an incident's sort key in CheckResultsTable. */
export const INCIDENT_SORT_PREFIX = '#incident#';
/** Incidents outlive a results retention shorter than this many days. */
export const INCIDENT_MIN_DAYS = 90;

function isConditionalCheckFailure(error: unknown): boolean {
  return error instanceof Error && error.name === 'ConditionalCheckFailedException';
}

/** The monitor item's owner, as the conditions read it (items from before owners are the operators'). */
function ownerOf(item: Record<string, unknown>): string {
  return typeof item.ownerId === 'string' ? item.ownerId : OPERATORS_OWNER;
}

/** {@link MaintenanceStore} over MonitorsTable. */
export class DynamoMaintenanceStore implements MaintenanceStore {
  public constructor(
    private readonly client: DynamoDBDocumentClient,
    private readonly tableName: string,
  ) {}

  private async item(monitorId: string): Promise<Record<string, unknown> | undefined> {
    const { Item } = await this.client.send(
      new GetCommand({ TableName: this.tableName, Key: { monitorId }, ConsistentRead: true }),
    );
    return Item === undefined || Item.url === undefined ? undefined : Item;
  }

  public async add(
    monitorId: string,
    owner: string,
    window: MaintenanceWindow,
    cap: number,
  ): Promise<AddWindowOutcome> {
    try {
      await this.client.send(
        new UpdateCommand({
          TableName: this.tableName,
          Key: { monitorId },
          UpdateExpression: 'SET #windows = list_append(if_not_exists(#windows, :none), :window)',
          ConditionExpression: `attribute_exists(#url) AND ${ownerCondition(owner)} AND (attribute_not_exists(#windows) OR size(#windows) < :cap)`,
          ExpressionAttributeNames: { '#windows': 'maintenance', '#url': 'url', '#ownerId': 'ownerId' },
          ExpressionAttributeValues: { ':none': [], ':window': [window], ':owner': owner, ':cap': cap },
        }),
      );
      return 'added';
    } catch (error) {
      if (!isConditionalCheckFailure(error)) throw error;
    }
    // Which part of the condition failed: the item says (a listing cannot change who owns it).
    const item = await this.item(monitorId);
    if (item === undefined || ownerOf(item) !== owner) return 'missing';
    return 'full';
  }

  public async remove(monitorId: string, owner: string, windowId: string): Promise<RemoveWindowOutcome> {
    // A list element is removed by index; the condition checks the index still holds this window, and
    // a concurrent change moves it: read again and retry.
    for (let attempt = 0; attempt < 3; attempt += 1) {
      const item = await this.item(monitorId);
      if (item === undefined || ownerOf(item) !== owner) return 'missing';
      const windows = Array.isArray(item.maintenance) ? (item.maintenance as MaintenanceWindow[]) : [];
      const index = windows.findIndex((window) => window.windowId === windowId);
      if (index < 0) return 'no-window';
      try {
        await this.client.send(
          new UpdateCommand({
            TableName: this.tableName,
            Key: { monitorId },
            UpdateExpression: `REMOVE #windows[${index}]`,
            ConditionExpression: `attribute_exists(#url) AND ${ownerCondition(owner)} AND #windows[${index}].#windowId = :windowId`,
            ExpressionAttributeNames: {
              '#windows': 'maintenance',
              '#url': 'url',
              '#ownerId': 'ownerId',
              '#windowId': 'windowId',
            },
            ExpressionAttributeValues: { ':owner': owner, ':windowId': windowId },
          }),
        );
        return 'removed';
      } catch (error) {
        if (!isConditionalCheckFailure(error)) throw error;
      }
    }
    return 'no-window';
  }
}

/** Options of {@link DynamoIncidentStore}. */
export interface DynamoIncidentStoreOptions {
  /** Days results are kept: incidents are kept as long, and at least {@link INCIDENT_MIN_DAYS}. */
  retentionDays: number;
  now?: () => Date;
}

/** {@link IncidentStore} over CheckResultsTable. */
export class DynamoIncidentStore implements IncidentStore {
  private readonly keepDays: number;
  private readonly now: () => Date;

  public constructor(
    private readonly client: DynamoDBDocumentClient,
    private readonly tableName: string,
    options: DynamoIncidentStoreOptions,
  ) {
    this.keepDays = Math.max(options.retentionDays, INCIDENT_MIN_DAYS);
    this.now = options.now ?? (() => new Date());
  }

  /**
   * An update, not a put: closing sets the end and duration (and everything else it knows again)
   * while keeping what only the opening knew (`maintenance`); a lost opening is made good.
   */
  public async save(incident: Incident): Promise<void> {
    const expiresAt = Math.floor(this.now().getTime() / 1000) + this.keepDays * 86_400;
    const { monitorId, ...fields } = incident;
    const entries = Object.entries({ ...fields, expiresAt });
    await this.client.send(
      new UpdateCommand({
        TableName: this.tableName,
        Key: { monitorId, checkedAt: `${INCIDENT_SORT_PREFIX}${incident.start}` },
        UpdateExpression: `SET ${entries.map((_, index) => `#f${index} = :f${index}`).join(', ')}`,
        ExpressionAttributeNames: Object.fromEntries(entries.map(([name], index) => [`#f${index}`, name])),
        ExpressionAttributeValues: Object.fromEntries(
          entries.map(([, value], index) => [`:f${index}`, value]),
        ),
      }),
    );
  }

  public async list(monitorId: string, limit: number): Promise<Incident[]> {
    const { Items } = await this.client.send(
      new QueryCommand({
        TableName: this.tableName,
        KeyConditionExpression: 'monitorId = :monitorId AND begins_with(checkedAt, :prefix)',
        ExpressionAttributeValues: { ':monitorId': monitorId, ':prefix': INCIDENT_SORT_PREFIX },
        ScanIndexForward: false,
        Limit: limit,
      }),
    );
    return (Items ?? []).map((item) => {
      const { checkedAt: _checkedAt, expiresAt: _expiresAt, ...incident } = item;
      return incident as Incident;
    });
  }
}
