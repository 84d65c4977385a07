/**
 * Validation of `POST /monitors/{monitorId}/maintenance` bodies (zod): the API's side of maintenance
 * windows. Apart from domain/maintenance.ts so that the scheduled checker, which only asks whether a
 * monitor is in a window, bundles no zod (docs/performance.md).
 */
import * as z from 'zod';
import { isTimeZone, nextOccurrence, parseCron } from './cron.js';
import { cronMustMatchWithinMs, dayMs, maintenanceLimits } from './maintenance.js';
import { formatIssues, type ParseResult } from './monitor.js';
import type { MaintenanceWindow } from './types.js';

const label = z
  .string({ error: 'must be a string' })
  .trim()
  .min(1, { error: 'must not be empty' })
  .max(maintenanceLimits.labelMaxLength, {
    error: `must be at most ${maintenanceLimits.labelMaxLength} characters`,
  })
  .optional();

const instant = z.iso.datetime({
  offset: true,
  error: (issue) =>
    issue.input === undefined
      ? 'is required'
      : 'must be an ISO 8601 date-time with a zone, e.g. 2026-12-24T22:00:00Z',
});

const onceSchema = z.strictObject({ start: instant, end: instant, label });

const recurringSchema = z.strictObject({
  cron: z
    .string({ error: (issue) => (issue.input === undefined ? 'is required' : 'must be a string') })
    .max(maintenanceLimits.cronMaxLength, {
      error: `must be at most ${maintenanceLimits.cronMaxLength} characters`,
    }),
  timeZone: z
    .string({ error: 'must be a string' })
    .refine(isTimeZone, { error: 'must be an IANA time zone such as Europe/Berlin, or UTC' })
    .optional(),
  durationMinutes: z
    .int({
      error: (issue) =>
        issue.input === undefined
          ? 'is required'
          : `must be an integer between 1 and ${maintenanceLimits.recurringMaxMinutes}`,
    })
    .min(1, { error: `must be an integer between 1 and ${maintenanceLimits.recurringMaxMinutes}` })
    .max(maintenanceLimits.recurringMaxMinutes, {
      error: `must be an integer between 1 and ${maintenanceLimits.recurringMaxMinutes}`,
    }),
  label,
});

const isObject = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

/**
 * Validate an untrusted `POST /monitors/{monitorId}/maintenance` body at `now` and make the window to
 * store. One-off: `start` < `end`, at most {@link maintenanceLimits.onceMaxHours} long, ending in the
 * future, starting within a year. Recurring: a valid cron expression that matches within four years, a
 * known time zone, a duration of 1 to 1440 minutes. The error names the field.
 */
export function parseMaintenanceWindow(
  body: unknown,
  now: Date,
  windowId: string,
): ParseResult<MaintenanceWindow> {
  if (!isObject(body)) return { success: false, error: 'body: must be a JSON object' };
  const createdAt = now.toISOString();
  if ('cron' in body) {
    const parsed = recurringSchema.safeParse(body);
    if (!parsed.success) return { success: false, error: formatIssues(parsed.error.issues) };
    const { cron, durationMinutes } = parsed.data;
    const schedule = parseCron(cron);
    if (!schedule.success) return { success: false, error: `cron: ${schedule.error}` };
    const timeZone = parsed.data.timeZone ?? 'UTC';
    if (
      nextOccurrence(schedule.data, timeZone, now.getTime(), now.getTime() + cronMustMatchWithinMs) ===
      undefined
    ) {
      return { success: false, error: `cron: "${cron}" never matches a date` };
    }
    const window: MaintenanceWindow = {
      kind: 'recurring',
      windowId,
      createdAt,
      cron: cron.trim().replace(/\s+/g, ' '),
      timeZone,
      durationMinutes,
    };
    if (parsed.data.label !== undefined) window.label = parsed.data.label;
    return { success: true, data: window };
  }
  if (!('start' in body) && !('end' in body)) {
    return {
      success: false,
      error: 'body: give start and end (a one-off window) or cron and durationMinutes (a recurring one)',
    };
  }
  const parsed = onceSchema.safeParse(body);
  if (!parsed.success) return { success: false, error: formatIssues(parsed.error.issues) };
  const start = Date.parse(parsed.data.start);
  const end = Date.parse(parsed.data.end);
  if (end <= start) return { success: false, error: 'end: must be after start' };
  if (end - start > maintenanceLimits.onceMaxHours * 3_600_000) {
    return { success: false, error: `end: a window lasts at most ${maintenanceLimits.onceMaxHours} hours` };
  }
  if (end <= now.getTime()) return { success: false, error: 'end: is in the past' };
  if (start > now.getTime() + maintenanceLimits.onceMaxAheadDays * dayMs) {
    return {
      success: false,
      error: `start: must be within ${maintenanceLimits.onceMaxAheadDays} days from now`,
    };
  }
  const window: MaintenanceWindow = {
    kind: 'once',
    windowId,
    createdAt,
    start: new Date(start).toISOString(),
    end: new Date(end).toISOString(),
  };
  if (parsed.data.label !== undefined) window.label = parsed.data.label;
  return { success: true, data: window };
}
