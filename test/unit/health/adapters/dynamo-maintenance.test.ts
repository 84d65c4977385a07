import { ConditionalCheckFailedException, DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient, GetCommand, QueryCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { mockClient } from 'aws-sdk-client-mock';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
  DynamoIncidentStore,
  DynamoMaintenanceStore,
  INCIDENT_SORT_PREFIX,
} from '../../../../functions/health/adapters/dynamo-maintenance.js';
import type { MaintenanceWindow } from '../../../../functions/health/domain/types.js';
import { makeMonitor, NOW } from '../../../helpers/factories.js';

const ddb = mockClient(DynamoDBDocumentClient);
const client = DynamoDBDocumentClient.from(new DynamoDBClient({ region: 'us-east-1' }));
const conditionFailed = () =>
  new ConditionalCheckFailedException({ message: 'The conditional request failed', $metadata: {} });
const monitor = makeMonitor({}, { ownerId: 'user-a' });
const window = (windowId: string): MaintenanceWindow => ({
  kind: 'recurring',
  windowId,
  createdAt: NOW.toISOString(),
  cron: '0 3 * * SUN',
  timeZone: 'Europe/Berlin',
  durationMinutes: 60,
});
const item = (windows: MaintenanceWindow[]) => ({ ...monitor, maintenance: windows });

beforeEach(() => ddb.reset());
afterEach(() => ddb.reset());

describe('Class: DynamoMaintenanceStore', () => {
  const store = new DynamoMaintenanceStore(client, 'Monitors');

  it('appends a window with one update conditional on the owner and the cap', async () => {
    ddb.on(UpdateCommand).resolves({});
    expect(await store.add(monitor.monitorId, 'user-a', window('aaaaaaaaaaaaaaaa'), 10)).toBe('added');
    const input = ddb.commandCalls(UpdateCommand)[0]?.args[0].input;
    expect(input).toMatchObject({
      TableName: 'Monitors',
      Key: { monitorId: monitor.monitorId },
      UpdateExpression: 'SET #windows = list_append(if_not_exists(#windows, :none), :window)',
      ConditionExpression:
        'attribute_exists(#url) AND #ownerId = :owner AND (attribute_not_exists(#windows) OR size(#windows) < :cap)',
      ExpressionAttributeValues: {
        ':none': [],
        ':window': [window('aaaaaaaaaaaaaaaa')],
        ':owner': 'user-a',
        ':cap': 10,
      },
    });
  });

  it("tells a full list from someone else's (or no) monitor when the condition fails", async () => {
    ddb.on(UpdateCommand).rejects(conditionFailed());
    ddb
      .on(GetCommand)
      .resolvesOnce({ Item: item([]) })
      .resolvesOnce({ Item: item([]) })
      .resolvesOnce({});
    expect(await store.add(monitor.monitorId, 'user-a', window('aaaaaaaaaaaaaaaa'), 10)).toBe('full');
    expect(await store.add(monitor.monitorId, 'user-b', window('aaaaaaaaaaaaaaaa'), 10)).toBe('missing');
    expect(await store.add(monitor.monitorId, 'user-a', window('aaaaaaaaaaaaaaaa'), 10)).toBe('missing');
  });

  it('removes a window by its index, conditional on the index still holding it', async () => {
    ddb.on(GetCommand).resolves({ Item: item([window('aaaaaaaaaaaaaaaa'), window('bbbbbbbbbbbbbbbb')]) });
    ddb.on(UpdateCommand).resolves({});
    expect(await store.remove(monitor.monitorId, 'user-a', 'bbbbbbbbbbbbbbbb')).toBe('removed');
    expect(ddb.commandCalls(UpdateCommand)[0]?.args[0].input).toMatchObject({
      UpdateExpression: 'REMOVE #windows[1]',
      ConditionExpression:
        'attribute_exists(#url) AND #ownerId = :owner AND #windows[1].#windowId = :windowId',
      ExpressionAttributeValues: { ':owner': 'user-a', ':windowId': 'bbbbbbbbbbbbbbbb' },
    });
    expect(await store.remove(monitor.monitorId, 'user-a', 'cccccccccccccccc')).toBe('no-window');
    expect(await store.remove(monitor.monitorId, 'user-b', 'aaaaaaaaaaaaaaaa')).toBe('missing');
  });

  it('reads again and retries when a concurrent change moved the window', async () => {
    ddb
      .on(GetCommand)
      .resolvesOnce({ Item: item([window('aaaaaaaaaaaaaaaa'), window('bbbbbbbbbbbbbbbb')]) })
      .resolves({ Item: item([window('bbbbbbbbbbbbbbbb')]) });
    ddb.on(UpdateCommand).rejectsOnce(conditionFailed()).resolves({});
    expect(await store.remove(monitor.monitorId, 'user-a', 'bbbbbbbbbbbbbbbb')).toBe('removed');
    expect(ddb.commandCalls(UpdateCommand).map((call) => call.args[0].input.UpdateExpression)).toEqual([
      'REMOVE #windows[1]',
      'REMOVE #windows[0]',
    ]);
  });
});

describe('Class: DynamoIncidentStore', () => {
  const store = new DynamoIncidentStore(client, 'Results', { retentionDays: 30, now: () => NOW });

  it('writes an incident under #incident#<start> with an update that keeps fields it lacks, kept 90 days at least', async () => {
    ddb.on(UpdateCommand).resolves({});
    await store.save({
      monitorId: 'm-1',
      incidentId: '2025-01-15T11:00:00.000Z',
      start: '2025-01-15T11:00:00.000Z',
      end: '2025-01-15T11:30:00.000Z',
      durationMs: 1_800_000,
      reason: 'timeout',
      regions: ['us-east-1'],
    });
    const input = ddb.commandCalls(UpdateCommand)[0]?.args[0].input;
    expect(input?.Key).toEqual({
      monitorId: 'm-1',
      checkedAt: `${INCIDENT_SORT_PREFIX}2025-01-15T11:00:00.000Z`,
    });
    expect(input?.UpdateExpression).toMatch(/^SET #f0 = :f0(, #f\d+ = :f\d+)+$/);
    expect(input?.UpdateExpression).not.toContain('REMOVE');
    const names = Object.values(input?.ExpressionAttributeNames ?? {});
    expect(names).toEqual(['incidentId', 'start', 'end', 'durationMs', 'reason', 'regions', 'expiresAt']);
    expect(Object.values(input?.ExpressionAttributeValues ?? {}).at(-1)).toBe(
      NOW.getTime() / 1000 + 90 * 86_400,
    );
  });

  it('lists newest first with one query, without the storage attributes', async () => {
    ddb.on(QueryCommand).resolves({
      Items: [
        {
          monitorId: 'm-1',
          checkedAt: '#incident#2025-01-15T11:00:00.000Z',
          incidentId: '2025-01-15T11:00:00.000Z',
          start: '2025-01-15T11:00:00.000Z',
          reason: 'timeout',
          regions: ['us-east-1'],
          expiresAt: 1,
        },
      ],
    });
    expect(await store.list('m-1', 5)).toEqual([
      {
        monitorId: 'm-1',
        incidentId: '2025-01-15T11:00:00.000Z',
        start: '2025-01-15T11:00:00.000Z',
        reason: 'timeout',
        regions: ['us-east-1'],
      },
    ]);
    expect(ddb.commandCalls(QueryCommand)[0]?.args[0].input).toMatchObject({
      KeyConditionExpression: 'monitorId = :monitorId AND begins_with(checkedAt, :prefix)',
      ExpressionAttributeValues: { ':monitorId': 'm-1', ':prefix': '#incident#' },
      ScanIndexForward: false,
      Limit: 5,
    });
  });
});
