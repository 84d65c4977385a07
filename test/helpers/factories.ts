/**
 * Builders for tests: Lambda events loaded from the `events/` fixtures (never pasted literals) and
 * varied with small overrides, a Lambda context, and health-checker domain values.
 */
import { readFileSync } from 'node:fs';
import type { APIGatewayProxyEvent, Context, EventBridgeEvent } from 'aws-lambda';
import { createMonitor, initialState } from '../../functions/health/domain/monitor.js';
import type { ProbeOutcome } from '../../functions/health/domain/probe.js';
import type {
  CheckResult,
  Monitor,
  MonitorInput,
  MonitorRecord,
  MonitorState,
} from '../../functions/health/domain/types.js';

const eventsDir = new URL('../../events/', import.meta.url);

/** A fresh copy of `events/<name>.json`. */
export function loadEvent<T = unknown>(name: string): T {
  return JSON.parse(readFileSync(new URL(`${name}.json`, eventsDir), 'utf8')) as T;
}

/** Names of the API Gateway fixtures in `events/`. */
export type ApiFixture =
  | 'health-api-list-monitors'
  | 'health-api-add-monitor'
  | 'health-api-add-monitor-invalid'
  | 'health-api-get-monitor'
  | 'health-api-get-badge'
  | 'health-api-remove-monitor'
  | 'health-api-history'
  | 'health-api-edit-monitor'
  | 'health-api-list-my-monitors'
  | 'health-api-create-channel'
  | 'posts-api-list-posts';

/** What {@link apiEvent} may change in a fixture. */
export interface ApiEventOverrides {
  httpMethod?: string;
  /** Sets `resource` and `requestContext.resourcePath`. */
  resource?: string;
  path?: string;
  pathParameters?: Record<string, string> | null;
  queryStringParameters?: Record<string, string> | null;
  /** A string is sent as is; anything else is JSON-encoded; null removes the body. */
  body?: unknown;
  isBase64Encoded?: boolean;
  requestId?: string;
  /**
   * The Cognito authorizer's claims (`requestContext.authorizer.claims`), merged over the fixture's;
   * null removes the authorizer, as in an event invoked directly.
   */
  claims?: Record<string, string> | null;
}

/** An API Gateway REST proxy event from a fixture, with overrides. */
export function apiEvent(name: ApiFixture, overrides: ApiEventOverrides = {}): APIGatewayProxyEvent {
  const event = loadEvent<APIGatewayProxyEvent>(name);
  if (overrides.httpMethod !== undefined) {
    event.httpMethod = overrides.httpMethod;
    event.requestContext.httpMethod = overrides.httpMethod;
  }
  if (overrides.resource !== undefined) {
    event.resource = overrides.resource;
    event.requestContext.resourcePath = overrides.resource;
  }
  if (overrides.path !== undefined) {
    event.path = overrides.path;
    event.requestContext.path = `/${event.requestContext.stage}${overrides.path}`;
  }
  if (overrides.pathParameters !== undefined) event.pathParameters = overrides.pathParameters;
  if (overrides.queryStringParameters !== undefined) {
    const query = overrides.queryStringParameters;
    event.queryStringParameters = query;
    event.multiValueQueryStringParameters =
      query === null ? null : Object.fromEntries(Object.entries(query).map(([key, value]) => [key, [value]]));
  }
  if (overrides.body !== undefined) {
    event.body =
      overrides.body === null
        ? null
        : typeof overrides.body === 'string'
          ? overrides.body
          : JSON.stringify(overrides.body);
  }
  if (overrides.isBase64Encoded !== undefined) event.isBase64Encoded = overrides.isBase64Encoded;
  if (overrides.requestId !== undefined) event.requestContext.requestId = overrides.requestId;
  if (overrides.claims === null) delete (event.requestContext as { authorizer?: unknown }).authorizer;
  else if (overrides.claims !== undefined) {
    const claims = (event.requestContext.authorizer?.claims ?? {}) as Record<string, string>;
    event.requestContext.authorizer = { claims: { ...claims, ...overrides.claims } };
  }
  return event;
}

/** The EventBridge scheduled event the checker receives. */
export type ScheduledEvent = EventBridgeEvent<'Scheduled Event', Record<string, never>>;

/** The schedule fixture, with overrides (for example another `time`). */
export function scheduledEvent(overrides: Partial<ScheduledEvent> = {}): ScheduledEvent {
  return { ...loadEvent<ScheduledEvent>('check-sites-schedule'), ...overrides };
}

/** A Lambda context as the runtime passes it. */
export function lambdaContext(overrides: Partial<Context> = {}): Context {
  return {
    callbackWaitsForEmptyEventLoop: true,
    functionName: 'kumo-dev-CheckSitesFunction-AbCdEf123456',
    functionVersion: '$LATEST',
    invokedFunctionArn:
      'arn:aws:lambda:us-east-1:123456789012:function:kumo-dev-CheckSitesFunction-AbCdEf123456',
    memoryLimitInMB: '512',
    awsRequestId: 'a3f1c2d4-5b6e-4f70-8a91-b2c3d4e5f607',
    logGroupName: '/aws/lambda/kumo-dev-CheckSitesFunction-AbCdEf123456',
    logStreamName: '2025/01/15/[$LATEST]0123456789abcdef0123456789abcdef',
    getRemainingTimeInMillis: () => 120_000,
    done: () => undefined,
    fail: () => undefined,
    succeed: () => undefined,
    ...overrides,
  };
}

/** The instant most domain tests treat as "now". */
export const NOW = new Date('2025-01-15T12:00:00.000Z');

/** A monitor with every default, varied by `input` and `overrides`. */
export function makeMonitor(input: Partial<MonitorInput> = {}, overrides: Partial<Monitor> = {}): Monitor {
  return {
    ...createMonitor({ url: 'https://example.com/health', ...input }, new Date('2025-01-01T00:00:00.000Z')),
    ...overrides,
  };
}

/** A monitor state, PENDING since the monitor's creation by default. */
export function makeState(overrides: Partial<MonitorState> = {}): MonitorState {
  return { ...initialState({ createdAt: '2025-01-01T00:00:00.000Z' }), ...overrides };
}

/** A stored monitor. */
export function makeRecord(
  monitor: Monitor = makeMonitor(),
  state: Partial<MonitorState> = {},
): MonitorRecord {
  return { monitor, state: makeState(state), buckets: [] };
}

/** A probe outcome: a 200 with a small body, by default. */
export function makeOutcome(overrides: Partial<ProbeOutcome> = {}): ProbeOutcome {
  return {
    latencyMs: 120,
    redirects: 0,
    statusCode: 200,
    headers: { 'content-type': 'text/html' },
    body: '<html><body>status: ok</body></html>',
    ...overrides,
  };
}

/** A check result: UP at {@link NOW}, by default. */
export function makeResult(overrides: Partial<CheckResult> = {}): CheckResult {
  return {
    monitorId: makeMonitor().monitorId,
    checkedAt: NOW.toISOString(),
    status: 'UP',
    latencyMs: 120,
    statusCode: 200,
    attempts: 1,
    ...overrides,
  };
}

/** An ISO date `days` days after {@link NOW} (plus `hours`). */
export function daysFromNow(days: number, hours = 0): string {
  return new Date(NOW.getTime() + days * 86_400_000 + hours * 3_600_000).toISOString();
}
