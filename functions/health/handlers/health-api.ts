/**
 * HealthApiFunction: the status page API of docs/health-api.md, over API Gateway REST proxy events.
 */
import type { APIGatewayProxyEvent } from 'aws-lambda';
import { documentClient } from '../../lib/clients/dynamodb.js';
import { ConflictError, NotFoundError, ValidationError } from '../../lib/errors.js';
import { empty, json, parseJsonBody } from '../../lib/http.js';
import { withPowertools } from '../../lib/middy.js';
import { createRouter, type Route } from '../../lib/router.js';
import { annotate } from '../../lib/tracing.js';
import { loadHealthConfig } from '../adapters/config.js';
import { DynamoMonitorStore, DynamoResultStore } from '../adapters/dynamo-stores.js';
import { assertTargetAllowed } from '../adapters/target-guard.js';
import { historySince, parseHistoryHours } from '../domain/history.js';
import { createMonitor, initialState, parseMonitorInput } from '../domain/monitor.js';
import { sortViews, toMonitorView } from '../domain/view.js';

const config = loadHealthConfig(process.env);
const monitorStore = new DynamoMonitorStore(documentClient, config.monitorsTable);
const resultStore = new DynamoResultStore(documentClient, config.resultsTable, {
  retentionDays: config.retentionDays,
});

function monitorIdOf(event: APIGatewayProxyEvent): string {
  const monitorId = event.pathParameters?.monitorId;
  if (monitorId === undefined || monitorId === '') throw new ValidationError('monitorId: is required');
  annotate({ monitorId });
  return monitorId;
}

async function findMonitor(monitorId: string) {
  const record = await monitorStore.get(monitorId);
  if (record === undefined) throw new NotFoundError(`Monitor ${monitorId} not found`);
  return record;
}

/** The routes of docs/health-api.md. */
export const routes: Route[] = [
  {
    method: 'GET',
    resource: '/health',
    handler: async () => json(200, { status: 'ok', time: new Date().toISOString() }),
  },
  {
    method: 'GET',
    resource: '/monitors',
    handler: async () => {
      const now = new Date();
      const records = await monitorStore.list();
      return json(200, { monitors: sortViews(records.map((record) => toMonitorView(record, now))) });
    },
  },
  {
    method: 'POST',
    resource: '/monitors',
    handler: async ({ event }) => {
      const input = parseMonitorInput(parseJsonBody(event));
      if (!input.success) throw new ValidationError(input.error);
      await assertTargetAllowed(input.data.url, { allowPrivateTargets: config.allowPrivateTargets });
      const now = new Date();
      const monitor = createMonitor(input.data, now);
      annotate({ monitorId: monitor.monitorId });
      const state = initialState(monitor);
      if (!(await monitorStore.create(monitor, state))) {
        throw new ConflictError(
          `A monitor for ${monitor.method} ${monitor.url} already exists (${monitor.monitorId})`,
        );
      }
      return json(201, { monitor: toMonitorView({ monitor, state, buckets: [] }, now) });
    },
  },
  {
    method: 'GET',
    resource: '/monitors/{monitorId}',
    handler: async ({ event }) => {
      const record = await findMonitor(monitorIdOf(event));
      return json(200, { monitor: toMonitorView(record, new Date()) });
    },
  },
  {
    method: 'DELETE',
    resource: '/monitors/{monitorId}',
    handler: async ({ event }) => {
      const monitorId = monitorIdOf(event);
      if (!(await monitorStore.remove(monitorId))) throw new NotFoundError(`Monitor ${monitorId} not found`);
      return empty(204);
    },
  },
  {
    method: 'GET',
    resource: '/monitors/{monitorId}/history',
    handler: async ({ event }) => {
      const hours = parseHistoryHours(event.queryStringParameters?.hours);
      if (!hours.success) throw new ValidationError(hours.error);
      const { monitor } = await findMonitor(monitorIdOf(event));
      const results = await resultStore.history(monitor.monitorId, historySince(new Date(), hours.data));
      return json(200, { monitorId: monitor.monitorId, results });
    },
  },
];

/** The router before middleware. */
export const healthApi = createRouter(routes);

/** Lambda entry point (template.yaml: `health-api.handler`). */
export const handler = withPowertools(healthApi, {
  correlationId: (event) => (event as Partial<typeof event> | null)?.requestContext?.requestId,
});
