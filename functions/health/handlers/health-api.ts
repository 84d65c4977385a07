/**
 * HealthApiFunction: the status page API of docs/health-api.md, over API Gateway REST proxy events.
 * Public routes (no authorizer) show only monitors their owners made public, redacted; the private
 * ones (`/my/...` and every change) are behind the Cognito authorizer and check the caller again here,
 * so an event without claims (a direct invocation) gets a 401, never a write.
 */
import { randomBytes } from 'node:crypto';
import type { APIGatewayProxyEvent } from 'aws-lambda';
import { callerOf } from '../../lib/caller.js';
import { documentClient } from '../../lib/clients/dynamodb.js';
import { createSignedCursor } from '../../lib/cursor.js';
import { cursorSecretFromEnv } from '../../lib/cursor-secret.js';
import {
  AppError,
  ConflictError,
  NotFoundError,
  PayloadTooLargeError,
  ValidationError,
} from '../../lib/errors.js';
import { corsHeaders, empty, etagMatches, etagOf, headerOf, json, parseJsonBody } from '../../lib/http.js';
import { withPowertools } from '../../lib/middy.js';
import { once } from '../../lib/once.js';
import { logger } from '../../lib/powertools.js';
import { createRouter, type Route } from '../../lib/router.js';
import { annotate } from '../../lib/tracing.js';
import { createAlertPublisher } from '../adapters/alert-publisher.js';
import { createChannelRuntime } from '../adapters/channel-runtime.js';
import { loadHealthConfig } from '../adapters/config.js';
import { DynamoIncidentStore, DynamoMaintenanceStore } from '../adapters/dynamo-maintenance.js';
import { DynamoPushStore } from '../adapters/dynamo-push.js';
import { DynamoMonitorStore, DynamoResultStore } from '../adapters/dynamo-stores.js';
import { assertMonitorTargetAllowed } from '../adapters/target-guard.js';
import {
  expectedOwner,
  isOperator,
  monitorNotFound,
  QuotaExceededError,
  requireManageable,
  requirePublic,
} from '../domain/access.js';
import { badgeMonitorId, uptimeBadgeSvg } from '../domain/badge.js';
import { assertMonitorChannels } from '../domain/channels.js';
import { historySince, parseHistoryHours } from '../domain/history.js';
import { parseIncidentLimit, toPublicIncident } from '../domain/incidents.js';
import { kindOf } from '../domain/kinds.js';
import { latencyPercentiles } from '../domain/latency.js';
import {
  type MonitorScope,
  type PagePosition,
  parseListQuery,
  positionFields,
  positionOf,
  scopeKey,
} from '../domain/list-query.js';
import { inMaintenance, maintenanceLimits, nextWindow, parseWindowId } from '../domain/maintenance.js';
import { parseMaintenanceWindow } from '../domain/maintenance-input.js';
import {
  applyMonitorPatch,
  createMonitor,
  initialState,
  newMonitorIdFor,
  parseMonitorId,
  parseMonitorInput,
  parseMonitorPatch,
} from '../domain/monitor.js';
import { pausedState, resumedState } from '../domain/pause.js';
import type { AlertPublisher } from '../domain/ports.js';
import { toPublicResult, toPublicView } from '../domain/public-view.js';
import {
  hashPushSecret,
  makePushToken,
  maxPingBodyBytes,
  minPingSpacingMs,
  parsePushToken,
  recordPing,
} from '../domain/push.js';
import type { Monitor, MonitorRecord } from '../domain/types.js';
import { uptimePercent } from '../domain/uptime.js';
import { sortViews, toMonitorView } from '../domain/view.js';
import { currentState, uptimeBuckets } from '../domain/write-plan.js';
import { channelRoutes } from './channel-routes.js';

const config = loadHealthConfig(process.env);
const monitorStore = new DynamoMonitorStore(documentClient, config.monitorsTable, config.resultsTable);
const resultStore = new DynamoResultStore(documentClient, config.resultsTable, {
  retentionDays: config.retentionDays,
});
const pushStore = new DynamoPushStore(documentClient, config.monitorsTable);
/** 429: pings of one monitor come closer together than domain/push.ts allows. */
class TooManyPingsError extends AppError {
  public constructor() {
    super(
      `Too many pings: at most one every ${minPingSpacingMs / 1000} seconds per monitor`,
      'TooManyRequests',
      429,
    );
    this.name = 'TooManyPingsError';
  }
}
const maintenanceStore = new DynamoMaintenanceStore(documentClient, config.monitorsTable);
const incidentStore = new DynamoIncidentStore(documentClient, config.resultsTable, {
  retentionDays: config.retentionDays,
});
const cursorSecret = cursorSecretFromEnv(process.env, { fallback: config.cursorSecretFallback });
const signedCursor = once(async () => createSignedCursor(await cursorSecret()));
const channels = createChannelRuntime(process.env, documentClient);
// A ping can raise an alert: to the topic and the monitor's channels, as a run's (alert-publisher.ts).
const alertPublisher: AlertPublisher = createAlertPublisher(config.alertsTopicArn, channels);

/** 503 of a channel route on a function without CHANNELS_TABLE. */
class ChannelsOffError extends AppError {
  public constructor() {
    super('Notification channels are not configured (no CHANNELS_TABLE)', 'ChannelsUnavailable', 503);
  }
}

function channelStore() {
  if (channels.store === undefined) throw new ChannelsOffError();
  return channels.store;
}

/** Refuse `channelIds` naming a channel that is missing or not the monitor owner's (400 naming it). */
async function assertChannelsOf(channelIds: readonly string[] | undefined, ownerId: string): Promise<void> {
  if (channelIds === undefined || channelIds.length === 0) return;
  assertMonitorChannels(channelIds, await channelStore().getMany(channelIds), ownerId);
}

function monitorIdOf(
  event: APIGatewayProxyEvent,
  segment: string | null | undefined = event.pathParameters?.monitorId,
): string {
  const monitorId = parseMonitorId(segment);
  if (!monitorId.success) throw new ValidationError(monitorId.error);
  annotate({ monitorId: monitorId.data });
  return monitorId.data;
}

/** One page of `scope` for the query string of `event`, with the cursor of the next one. */
async function pageOf(event: APIGatewayProxyEvent, scope: MonitorScope) {
  const query = parseListQuery(event.queryStringParameters);
  if (!query.success) throw new ValidationError(query.error);
  const key = scopeKey(scope);
  const cursors = await signedCursor();
  const after: PagePosition | undefined =
    query.data.cursor === undefined ? undefined : positionOf(scope, cursors.decode(key, query.data.cursor));
  const page = await monitorStore.listPage(scope, query.data.limit, after);
  const nextCursor = page.next === undefined ? null : cursors.encode(key, positionFields(page.next));
  return { records: page.records, nextCursor };
}

function historyHoursOf(event: APIGatewayProxyEvent): number {
  const hours = parseHistoryHours(event.queryStringParameters?.hours);
  if (!hours.success) throw new ValidationError(hours.error);
  return hours.data;
}

function incidentLimitOf(event: APIGatewayProxyEvent): number {
  const limit = parseIncidentLimit(event.queryStringParameters?.limit);
  if (!limit.success) throw new ValidationError(limit.error);
  return limit.data;
}

/** The maintenance windows of `record` as `GET /monitors/{monitorId}/maintenance` answers them. */
function maintenanceView(record: MonitorRecord, now: Date) {
  const windows = record.maintenance ?? [];
  return {
    monitorId: record.monitor.monitorId,
    windows,
    inMaintenance: inMaintenance(windows, now),
    next: nextWindow(windows, now) ?? null,
    limits: { windows: maintenanceLimits.windowsPerMonitor },
  };
}

/** The routes of docs/health-api.md. */
export const routes: Route[] = [
  {
    method: 'GET',
    resource: '/health',
    handler: async () => json(200, { status: 'ok', time: new Date().toISOString() }),
  },
  // ---- public: the status page, redacted
  {
    method: 'GET',
    resource: '/monitors',
    handler: async ({ event }) => {
      const now = new Date();
      const { records, nextCursor } = await pageOf(event, { kind: 'public' });
      return json(200, { monitors: records.map((record) => toPublicView(record, now)), nextCursor });
    },
  },
  {
    method: 'GET',
    resource: '/monitors/{monitorId}',
    handler: async ({ event }) => {
      const monitorId = monitorIdOf(event);
      const record = requirePublic(await monitorStore.get(monitorId), monitorId);
      return json(200, { monitor: toPublicView(record, new Date()) });
    },
  },
  {
    method: 'GET',
    resource: '/monitors/{monitorId}/history',
    handler: async ({ event }) => {
      const monitorId = monitorIdOf(event);
      const hours = historyHoursOf(event);
      requirePublic(await monitorStore.get(monitorId), monitorId);
      const results = await resultStore.history(monitorId, historySince(new Date(), hours));
      return json(200, {
        monitorId,
        results: results.map(toPublicResult),
        latency: latencyPercentiles(results),
      });
    },
  },
  {
    method: 'GET',
    resource: '/monitors/{monitorId}/incidents',
    handler: async ({ event }) => {
      const monitorId = monitorIdOf(event);
      const limit = incidentLimitOf(event);
      requirePublic(await monitorStore.get(monitorId), monitorId);
      const incidents = await incidentStore.list(monitorId, limit);
      return json(200, { monitorId, incidents: incidents.map(toPublicIncident) });
    },
  },
  // The uptime badge: `/badges/{monitorId}.svg` (or the bare id). API Gateway cannot declare a literal
  // suffix on a parameter segment, so the route is `/badges/{monitorId}` and the `.svg` comes inside the
  // parameter (badgeMonitorId strips it). SVG is text, so it goes through the REST proxy as a plain
  // string body (no binary media types needed).
  {
    method: 'GET',
    resource: '/badges/{monitorId}',
    handler: async ({ event }) => {
      const monitorId = monitorIdOf(event, badgeMonitorId(event.pathParameters?.monitorId));
      const record = requirePublic(await monitorStore.get(monitorId), monitorId);
      const svg = uptimeBadgeSvg({
        uptime24h: uptimePercent(uptimeBuckets(record), new Date(), 24),
        status: record.state.status,
      });
      const etag = etagOf(svg);
      const headers = {
        'Content-Type': 'image/svg+xml; charset=utf-8',
        // Embedded in READMEs and dashboards: caches may keep it five minutes (checks run every minute
        // or more, and the value is a 24-hour figure), then revalidate it with the ETag.
        'Cache-Control': 'public, max-age=300',
        ETag: etag,
        // A stray script in the SVG could never run: nothing in it comes from the monitor, and this says so.
        'Content-Security-Policy': "default-src 'none'; style-src 'unsafe-inline'",
        'X-Content-Type-Options': 'nosniff',
        ...corsHeaders,
      };
      if (etagMatches(headerOf(event, 'if-none-match'), etag)) {
        return { statusCode: 304, headers, body: '' };
      }
      return { statusCode: 200, headers, body: svg };
    },
  },
  // ---- private: the caller's own monitors (every monitor for operators), in full
  {
    method: 'GET',
    resource: '/my/monitors',
    access: 'authenticated',
    handler: async ({ event }) => {
      const caller = callerOf(event);
      const now = new Date();
      const scope: MonitorScope = isOperator(caller)
        ? { kind: 'all' }
        : { kind: 'owner', ownerId: caller.sub };
      const { records, nextCursor } = await pageOf(event, scope);
      const views = records.map((record) => toMonitorView(record, now));
      // The `all` listing pages in storage order; each page at least reads in name order.
      return json(200, { monitors: scope.kind === 'all' ? sortViews(views) : views, nextCursor });
    },
  },
  {
    method: 'GET',
    resource: '/my/monitors/{monitorId}',
    access: 'authenticated',
    handler: async ({ event }) => {
      const caller = callerOf(event);
      const monitorId = monitorIdOf(event);
      const record = requireManageable(await monitorStore.get(monitorId), monitorId, caller);
      return json(200, { monitor: toMonitorView(record, new Date()) });
    },
  },
  {
    method: 'GET',
    resource: '/my/monitors/{monitorId}/history',
    access: 'authenticated',
    handler: async ({ event }) => {
      const caller = callerOf(event);
      const monitorId = monitorIdOf(event);
      const hours = historyHoursOf(event);
      requireManageable(await monitorStore.get(monitorId), monitorId, caller);
      const results = await resultStore.history(monitorId, historySince(new Date(), hours));
      return json(200, { monitorId, results, latency: latencyPercentiles(results) });
    },
  },
  {
    method: 'GET',
    resource: '/my/monitors/{monitorId}/incidents',
    access: 'authenticated',
    handler: async ({ event }) => {
      const caller = callerOf(event);
      const monitorId = monitorIdOf(event);
      const limit = incidentLimitOf(event);
      requireManageable(await monitorStore.get(monitorId), monitorId, caller);
      const incidents = await incidentStore.list(monitorId, limit);
      return json(200, { monitorId, incidents });
    },
  },
  // ---- maintenance windows: the owner's (and operators') only, like every other setting
  {
    method: 'GET',
    resource: '/monitors/{monitorId}/maintenance',
    access: 'authenticated',
    handler: async ({ event }) => {
      const caller = callerOf(event);
      const monitorId = monitorIdOf(event);
      const record = requireManageable(await monitorStore.get(monitorId), monitorId, caller);
      return json(200, maintenanceView(record, new Date()));
    },
  },
  {
    method: 'POST',
    resource: '/monitors/{monitorId}/maintenance',
    access: 'authenticated',
    handler: async ({ event }) => {
      const caller = callerOf(event);
      const monitorId = monitorIdOf(event);
      // Someone else's monitor is a 404 whatever the body: the rules are shown to its owner only.
      const record = requireManageable(await monitorStore.get(monitorId), monitorId, caller);
      const now = new Date();
      const window = parseMaintenanceWindow(parseJsonBody(event), now, randomBytes(8).toString('hex'));
      if (!window.success) throw new ValidationError(window.error);
      const cap = maintenanceLimits.windowsPerMonitor;
      const outcome = await maintenanceStore.add(monitorId, expectedOwner(record, caller), window.data, cap);
      if (outcome === 'missing') throw monitorNotFound(monitorId);
      if (outcome === 'full') {
        throw new ConflictError(
          `A monitor may have at most ${cap} maintenance windows. Delete one to add another.`,
        );
      }
      const windows = [...(record.maintenance ?? []), window.data];
      return json(201, { window: window.data, ...maintenanceView({ ...record, maintenance: windows }, now) });
    },
  },
  {
    method: 'DELETE',
    resource: '/monitors/{monitorId}/maintenance/{windowId}',
    access: 'authenticated',
    handler: async ({ event }) => {
      const caller = callerOf(event);
      const monitorId = monitorIdOf(event);
      const record = requireManageable(await monitorStore.get(monitorId), monitorId, caller);
      const windowId = parseWindowId(event.pathParameters?.windowId);
      if (!windowId.success) throw new ValidationError(windowId.error);
      const outcome = await maintenanceStore.remove(monitorId, expectedOwner(record, caller), windowId.data);
      if (outcome === 'missing') throw monitorNotFound(monitorId);
      if (outcome === 'no-window') {
        throw new NotFoundError(`Maintenance window ${windowId.data} not found on monitor ${monitorId}`);
      }
      return empty(204);
    },
  },
  {
    method: 'POST',
    resource: '/monitors',
    access: 'authenticated',
    handler: async ({ event }) => {
      const caller = callerOf(event);
      const input = parseMonitorInput(parseJsonBody(event));
      if (!input.success) throw new ValidationError(input.error);
      await assertChannelsOf(input.data.channelIds, caller.sub);
      const now = new Date();
      const monitor = createMonitor(input.data, now, {
        ownerId: caller.sub,
        monitorId: newMonitorIdFor(input.data, randomBytes(8).toString('hex')),
      });
      await assertMonitorTargetAllowed(monitor, { allowPrivateTargets: config.allowPrivateTargets });
      annotate({ monitorId: monitor.monitorId });
      const state = initialState(monitor);
      // Operators are exempt from the quota (they run the service; see docs/security.md).
      const quota = isOperator(caller) ? undefined : config.monitorQuota;
      const outcome = await monitorStore.create(monitor, state, { quota });
      if (outcome === 'exists') {
        throw new ConflictError(`You already have a monitor for ${watchedTarget(monitor)}`);
      }
      if (outcome === 'quota') throw new QuotaExceededError(config.monitorQuota);
      const view = toMonitorView({ monitor, state, buckets: [] }, now);
      if (monitor.kind !== 'push') return json(201, { monitor: view });
      // The push token is shown this once (only its hash is kept); the owner can rotate it later.
      return json(201, { monitor: view, push: await issuePushToken(monitor.monitorId, monitor.ownerId) });
    },
  },
  {
    method: 'PATCH',
    resource: '/monitors/{monitorId}',
    access: 'authenticated',
    handler: async ({ event }) => {
      const caller = callerOf(event);
      const monitorId = monitorIdOf(event);
      const patch = parseMonitorPatch(parseJsonBody(event));
      if (!patch.success) throw new ValidationError(patch.error);
      const record = requireManageable(await monitorStore.get(monitorId), monitorId, caller);
      const next = applyMonitorPatch(record.monitor, patch.data);
      if (!next.success) throw new ValidationError(next.error);
      if (next.data.url !== record.monitor.url || next.data.kind !== record.monitor.kind) {
        await assertMonitorTargetAllowed(next.data, { allowPrivateTargets: config.allowPrivateTargets });
      }
      await assertChannelsOf(patch.data.channelIds, record.monitor.ownerId);
      const now = new Date();
      const pausing = next.data.paused && !record.monitor.paused;
      const resuming = !next.data.paused && record.monitor.paused;
      const state = pausing
        ? pausedState(currentState(record), now)
        : resuming
          ? resumedState(currentState(record), now)
          : undefined;
      const outcome = await monitorStore.update(
        record.monitor,
        next.data,
        expectedOwner(record, caller),
        state,
      );
      if (outcome === 'missing') throw monitorNotFound(monitorId);
      if (outcome === 'exists') {
        throw new ConflictError(`You already have a monitor for ${watchedTarget(next.data)}`);
      }
      const updated: MonitorRecord = { ...record, monitor: next.data, state: state ?? record.state };
      return json(200, { monitor: toMonitorView(updated, now) });
    },
  },
  {
    method: 'DELETE',
    resource: '/monitors/{monitorId}',
    access: 'authenticated',
    handler: async ({ event }) => {
      const caller = callerOf(event);
      const monitorId = monitorIdOf(event);
      const record = requireManageable(await monitorStore.get(monitorId), monitorId, caller);
      if (!(await monitorStore.remove(record.monitor, expectedOwner(record, caller)))) {
        throw monitorNotFound(monitorId);
      }
      return empty(204);
    },
  },
  // ---- private: the caller's notification channels (handlers/channel-routes.ts)
  ...channelRoutes({
    channels: {
      get: (channelId) => channelStore().get(channelId),
      getMany: (ids) => channelStore().getMany(ids),
      listByOwner: (ownerId) => channelStore().listByOwner(ownerId),
      create: (channel) => channelStore().create(channel),
      update: (channel, ownerId) => channelStore().update(channel, ownerId),
      remove: (channelId, ownerId) => channelStore().remove(channelId, ownerId),
      recordDelivery: (channelId, record) => channelStore().recordDelivery(channelId, record),
    },
    send: channels.send,
    subscriptions: channels.email,
    allowPrivateTargets: config.allowPrivateTargets,
    warn: (message, extra) => logger.warn(message, extra),
  }),
  // ---- push monitors: the owner rotates the token; jobs ping with it (public: the token is the key)
  {
    method: 'POST',
    resource: '/monitors/{monitorId}/push-token',
    access: 'authenticated',
    handler: async ({ event }) => {
      const caller = callerOf(event);
      const monitorId = monitorIdOf(event);
      const record = requireManageable(await monitorStore.get(monitorId), monitorId, caller);
      if (record.monitor.kind !== 'push') {
        throw new ValidationError('monitorId: only push monitors have a push token');
      }
      return json(200, { monitorId, push: await issuePushToken(monitorId, expectedOwner(record, caller)) });
    },
  },
  ...(['GET', 'POST'] as const).flatMap((method): Route[] => [
    { method, resource: '/push/{token}', handler: ({ event }) => ping(event, false) },
    { method, resource: '/push/{token}/fail', handler: ({ event }) => ping(event, true) },
  ]),
];

/** What an owner's claim names in a 409: `GET https://...` for http, the target (and record type) for the others. */
function watchedTarget(monitor: Monitor): string {
  if (kindOf(monitor) === 'http') return `${monitor.method} ${monitor.url}`;
  return monitor.kind === 'dns' ? `${monitor.recordType ?? 'A'} ${monitor.url}` : monitor.url;
}

/** A new push token for `monitorId`: its hash stored, the token returned (to be shown once). */
async function issuePushToken(monitorId: string, owner: string): Promise<{ token: string; path: string }> {
  const token = makePushToken(monitorId, randomBytes(32));
  const secret = parsePushToken(token)?.secret ?? '';
  if (!(await pushStore.setPushToken(monitorId, owner, hashPushSecret(secret)))) {
    throw monitorNotFound(monitorId);
  }
  return { token, path: `/push/${token}` };
}

/** A ping of a push monitor: `/push/{token}`, `/push/{token}/fail` or `?status=fail`. */
async function ping(event: APIGatewayProxyEvent, failPath: boolean) {
  if (event.body !== null && Buffer.byteLength(event.body, 'utf8') > maxPingBodyBytes) {
    throw new PayloadTooLargeError(`body: a ping carries at most ${maxPingBodyBytes} bytes (it is not read)`);
  }
  const status = event.queryStringParameters?.status;
  if (status !== undefined && status !== 'ok' && status !== 'fail') {
    throw new ValidationError('status: must be ok or fail');
  }
  const token = parsePushToken(event.pathParameters?.token);
  const notFound = new NotFoundError('Push token not found');
  if (token === undefined) throw notFound;
  annotate({ monitorId: token.monitorId });
  const outcome = await recordPing(
    { monitors: monitorStore, pushes: pushStore, results: resultStore, alerts: alertPublisher, logger },
    token,
    failPath || status === 'fail',
    new Date(),
  );
  switch (outcome.kind) {
    case 'unknown':
      throw notFound;
    case 'too-soon':
      throw new TooManyPingsError();
    case 'paused':
      return json(200, { ok: true, status: 'PAUSED' });
    case 'recorded':
      return json(200, { ok: true, status: outcome.status });
  }
}

/** The router before middleware. */
export const healthApi = createRouter(routes);

/** Lambda entry point (template.yaml: `health-api.handler`). */
export const handler = withPowertools(healthApi, {
  correlationId: (event) => (event as Partial<typeof event> | null)?.requestContext?.requestId,
  // POST /channels answers a webhook's signing secret (once): it must not land in X-Ray metadata.
  captureResponse: false,
});
