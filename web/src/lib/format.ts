import type { CertInfo } from '../types/health';
import { noData } from './uptime';

export { formatExpectedStatus } from './expected-status';
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
