/**
 * The same shape as `scheduledEventSchema` (scheduled-event.ts), checked by hand: a handler that only
 * logs an unexpected event (CheckSitesFunction runs its checks anyway) needs no schema library at
 * init, and zod (~98 kB of bundle) stays out of the scheduled checker. Handlers that validate with zod
 * elsewhere keep using the schema; test/unit/lib/scheduled-event-check.test.ts holds the two together.
 */

/** One thing wrong with the event: where (as zod reports a path) and what. */
export interface ScheduledEventIssue {
  path: (string | number)[];
  message: string;
}

/** The "Scheduled Event" (EventBridge rule or Scheduler) a Schedule/ScheduleV2 source delivers. */
export interface ScheduledEventShape {
  version: string;
  id: string;
  'detail-type': 'Scheduled Event';
  source: 'aws.events' | 'aws.scheduler';
  account: string;
  time: string;
  region: string;
  resources: string[];
  detail: Record<string, unknown> | string;
}

export type ScheduledEventCheck =
  | { success: true; data: ScheduledEventShape }
  | { success: false; issues: ScheduledEventIssue[] };

const STRING_FIELDS = ['version', 'id', 'account', 'time', 'region'] as const;
const SOURCES: readonly unknown[] = ['aws.events', 'aws.scheduler'];

const isRecord = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

/** Check `event` against the Scheduled Event shape; every issue is listed, none thrown. */
export function checkScheduledEvent(event: unknown): ScheduledEventCheck {
  if (!isRecord(event)) return { success: false, issues: [{ path: [], message: 'expected an object' }] };
  const issues: ScheduledEventIssue[] = [];
  for (const field of STRING_FIELDS) {
    if (typeof event[field] !== 'string') issues.push({ path: [field], message: 'expected a string' });
  }
  if (event['detail-type'] !== 'Scheduled Event') {
    issues.push({ path: ['detail-type'], message: 'expected "Scheduled Event"' });
  }
  if (!SOURCES.includes(event.source)) {
    issues.push({ path: ['source'], message: 'expected "aws.events" or "aws.scheduler"' });
  }
  const resources = event.resources;
  if (!Array.isArray(resources)) issues.push({ path: ['resources'], message: 'expected an array' });
  else {
    for (const [i, resource] of resources.entries()) {
      if (typeof resource !== 'string') issues.push({ path: ['resources', i], message: 'expected a string' });
    }
  }
  if (!isRecord(event.detail) && typeof event.detail !== 'string') {
    issues.push({ path: ['detail'], message: 'expected an object or a string' });
  }
  if (issues.length > 0) return { success: false, issues };
  return { success: true, data: event as unknown as ScheduledEventShape };
}
