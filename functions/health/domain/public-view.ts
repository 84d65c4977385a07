/**
 * The public status page's view of a monitor: what anyone may see of a monitor its owner made public.
 * No check settings (keyword, JSON path, expected statuses), no owner, a URL without credentials, query
 * string or fragment, and no text that came from the target: the reason of a DOWN is a fixed category.
 */

import { inMaintenance } from './maintenance.js';
import type {
  CheckResult,
  MonitorRecord,
  PublicCheckResult,
  PublicMonitorState,
  PublicMonitorView,
  ReasonCategory,
} from './types.js';
import { checkedSince, uptimePercent } from './uptime.js';
import { currentState, uptimeBuckets } from './write-plan.js';

/** `url` as scheme, host, port and path only (no user, password, query string or fragment). */
export function redactUrl(url: string): string {
  if (!URL.canParse(url)) return '';
  const parsed = new URL(url);
  return `${parsed.protocol}//${parsed.host}${parsed.pathname}`;
}

/** Prefixes of the checker's own reason sentences (domain/probe.ts) and their category. */
const categories: readonly [RegExp, ReasonCategory][] = [
  [/^timeout/i, 'timeout'],
  [/^connection refused/i, 'connection refused'],
  [/^connection reset/i, 'connection reset'],
  [/^DNS /i, 'DNS error'],
  [/^TLS certificate expired/i, 'certificate expired'],
  [/^TLS /i, 'TLS error'],
  [/^keyword/i, 'keyword check failed'],
  [/^(jsonPath|body is not valid JSON|body larger than)/i, 'JSON check failed'],
  [/^(too many redirects|redirect|invalid redirect)/i, 'redirect error'],
  [/^blocked/i, 'private address refused'],
];

/**
 * The category of a reason: only fixed strings come out (an HTTP status is three digits read from the
 * checker's own sentence), so nothing a target sent can reach the public page.
 */
export function reasonCategory(reason: string | undefined): ReasonCategory | undefined {
  if (reason === undefined) return undefined;
  const status = /^unexpected status (\d{3})\b/.exec(reason)?.[1];
  if (status !== undefined) return `HTTP ${Number(status)}`;
  for (const [pattern, category] of categories) if (pattern.test(reason)) return category;
  return 'check failed';
}

/** A public monitor as anyone sees it, uptime computed at `now`. */
export function toPublicView(record: MonitorRecord, now: Date): PublicMonitorView {
  const { monitor } = record;
  const stored = currentState(record);
  const buckets = uptimeBuckets(record);
  const state: PublicMonitorState = { status: stored.status, since: stored.since };
  if (stored.lastCheckedAt !== undefined) state.lastCheckedAt = stored.lastCheckedAt;
  if (stored.lastLatencyMs !== undefined) state.lastLatencyMs = stored.lastLatencyMs;
  if (stored.lastStatusCode !== undefined) state.lastStatusCode = stored.lastStatusCode;
  if (stored.status === 'DOWN') state.reason = reasonCategory(stored.lastError) ?? 'check failed';
  if (stored.cert !== undefined) {
    const { issuer: _issuer, ...cert } = stored.cert;
    state.cert = cert;
  }
  return {
    monitorId: monitor.monitorId,
    name: monitor.name,
    url: redactUrl(monitor.url),
    method: monitor.method,
    state,
    uptime24h: uptimePercent(buckets, now, 24),
    uptime7d: uptimePercent(buckets, now, 168),
    checkedSince: checkedSince(buckets, now),
    // Only while true: most monitors are in no window, and their views stay as they were.
    ...(inMaintenance(record.maintenance, now) ? { inMaintenance: true } : {}),
  };
}

/** One check as the public history shows it. */
export function toPublicResult(result: CheckResult): PublicCheckResult {
  const view: PublicCheckResult = {
    checkedAt: result.checkedAt,
    status: result.status,
    latencyMs: result.latencyMs,
  };
  if (result.statusCode !== undefined) view.statusCode = result.statusCode;
  if (result.status === 'DOWN') view.reason = reasonCategory(result.error) ?? 'check failed';
  if (result.maintenance === true) view.maintenance = true;
  return view;
}
