/** The `hours` window of `GET /monitors/{monitorId}/history`. */
import type { ParseResult } from './monitor.js';

/** Default and bounds of the history window, in hours. */
export const historyHours = { default: 24, min: 1, max: 168 } as const;

/** Parse the `hours` query parameter: an integer 1..168, default 24. */
export function parseHistoryHours(value: string | undefined | null): ParseResult<number> {
  if (value === undefined || value === null || value === '')
    return { success: true, data: historyHours.default };
  const hours = /^\d+$/.test(value) ? Number.parseInt(value, 10) : Number.NaN;
  if (!Number.isInteger(hours) || hours < historyHours.min || hours > historyHours.max) {
    return {
      success: false,
      error: `hours: must be an integer between ${historyHours.min} and ${historyHours.max}`,
    };
  }
  return { success: true, data: hours };
}

/** Start of the window (ISO 8601): `hours` before `now`. */
export function historySince(now: Date, hours: number): string {
  return new Date(now.getTime() - hours * 3_600_000).toISOString();
}
