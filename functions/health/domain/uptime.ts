/**
 * Uptime from per-hour buckets kept in the monitor's own item: each check adds to the bucket of its
 * UTC hour and buckets older than 7 days are dropped, so listing monitors never scans the results.
 */
import type { HourBucket } from './types.js';

/** Hours of buckets kept: 7 days. */
export const bucketRetentionHours = 168;

const hourMs = 3_600_000;

/** The bucket key of `date`: `YYYY-MM-DDTHH` (UTC). */
export function hourOf(date: Date): string {
  return date.toISOString().slice(0, 13);
}

function hourStart(hour: string): number {
  return Date.parse(`${hour}:00:00.000Z`);
}

/** Start (epoch ms) of the oldest hour inside a window of `hours` hours ending with the hour of `now`. */
function windowStart(now: Date, hours: number): number {
  return hourStart(hourOf(now)) - (hours - 1) * hourMs;
}

/**
 * The buckets after one more check at `checkedAt`: counted in its hour, buckets more than 7 days older
 * than it dropped, oldest first. The input is not modified.
 */
export function recordCheck(buckets: readonly HourBucket[], checkedAt: string, up: boolean): HourBucket[] {
  const at = new Date(checkedAt);
  const key = hourOf(at);
  const oldest = windowStart(at, bucketRetentionHours);
  const kept = buckets.filter((bucket) => hourStart(bucket.hour) >= oldest).map((bucket) => ({ ...bucket }));
  const current = kept.find((bucket) => bucket.hour === key);
  if (current === undefined) {
    kept.push({ hour: key, up: up ? 1 : 0, total: 1 });
  } else {
    current.total += 1;
    if (up) current.up += 1;
  }
  return kept.sort((a, b) => (a.hour < b.hour ? -1 : a.hour > b.hour ? 1 : 0));
}

/**
 * Percentage of UP checks (0..100, two decimals) in the `hours` clock hours ending with the current
 * one; `null` when there was no check.
 */
export function uptimePercent(buckets: readonly HourBucket[], now: Date, hours: number): number | null {
  const from = windowStart(now, hours);
  const to = hourStart(hourOf(now));
  let up = 0;
  let total = 0;
  for (const bucket of buckets) {
    const start = hourStart(bucket.hour);
    if (start < from || start > to) continue;
    up += bucket.up;
    total += bucket.total;
  }
  if (total === 0) return null;
  return Math.round((up / total) * 10_000) / 100;
}

/**
 * Start (ISO 8601) of the oldest hour with a check among the kept buckets (7 days at most), `null`
 * without any. With it a reader can tell a figure from a full window from one over its first hours:
 * one check an hour ago makes `uptime7d` 100%, but says nothing about the rest of the week.
 */
export function checkedSince(buckets: readonly HourBucket[], now: Date): string | null {
  const from = windowStart(now, bucketRetentionHours);
  let oldest: string | undefined;
  for (const bucket of buckets) {
    if (bucket.total === 0 || hourStart(bucket.hour) < from) continue;
    if (oldest === undefined || bucket.hour < oldest) oldest = bucket.hour;
  }
  return oldest === undefined ? null : new Date(hourStart(oldest)).toISOString();
}
