import type { CertInfo } from '../types/health';
import { noData } from './uptime';

export { coveredHours, formatUptime, noData, type UptimeCoverage, uptimeNote } from './uptime';

export function formatLatency(ms: number | undefined): string {
  if (ms === undefined) return noData;
  if (ms < 1000) return `${Math.round(ms)} ms`;
  return `${(ms / 1000).toFixed(ms < 10_000 ? 2 : 1)} s`;
}

/** A coarse duration: "12 s", "5 min", "3 h", "2 d". */
export function formatDuration(ms: number): string {
  const seconds = Math.max(0, Math.floor(ms / 1000));
  if (seconds < 60) return `${seconds} s`;
  const minutes = Math.floor(seconds / 60);
  if (minutes < 60) return `${minutes} min`;
  const hours = Math.floor(minutes / 60);
  if (hours < 48) return `${hours} h`;
  return `${Math.floor(hours / 24)} d`;
}

export function formatAgo(thenMs: number, nowMs: number): string {
  if (nowMs - thenMs < 5_000) return 'just now';
  return `${formatDuration(nowMs - thenMs)} ago`;
}

export function formatTime(iso: string): string {
  return new Date(iso).toLocaleTimeString(undefined, {
    hour: '2-digit',
    minute: '2-digit',
    second: '2-digit',
  });
}

export function formatDateTime(iso: string): string {
  return new Date(iso).toLocaleString(undefined, { dateStyle: 'medium', timeStyle: 'short' });
}

/**
 * The API's expected statuses (`200-299,301`) as shown: the ranges themselves, a space after each
 * comma. Older answers carried an array of codes; they are shown as ranges too.
 */
export function formatExpectedStatus(expected: string | readonly number[]): string {
  if (typeof expected === 'string') return expected.split(',').join(', ');
  const sorted = [...new Set(expected)].sort((a, b) => a - b);
  const parts: string[] = [];
  for (let i = 0; i < sorted.length; ) {
    let j = i;
    while (j + 1 < sorted.length && sorted[j + 1] === (sorted[j] ?? 0) + 1) j++;
    parts.push(i === j ? `${sorted[i]}` : `${sorted[i]}-${sorted[j]}`);
    i = j + 1;
  }
  return parts.join(', ');
}

export type CertLevel = 'ok' | 'warning' | 'expired';

/** The warning threshold: the API's own, else the largest of the monitor's warning days. */
export function certLevel(cert: CertInfo, tlsWarningDays: number[]): CertLevel {
  if (cert.daysRemaining < 0) return 'expired';
  const threshold = cert.warningDays ?? Math.max(0, ...tlsWarningDays);
  return cert.daysRemaining <= threshold ? 'warning' : 'ok';
}

export function formatCertDays(cert: CertInfo): string {
  const days = cert.daysRemaining;
  if (days < 0) return `expired ${-days} ${-days === 1 ? 'day' : 'days'} ago`;
  if (days === 0) return 'expires today';
  return `${days} ${days === 1 ? 'day' : 'days'} left`;
}
