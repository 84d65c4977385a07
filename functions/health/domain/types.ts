/**
 * Data shapes of the website health checker, as documented in docs/health-api.md (the contract with
 * the web app). Pure types: no AWS, no Node.
 */

import type { RegionCheck } from './quorum.js';

/** State of a monitor. `PENDING`: never checked yet (or not since it was resumed); `PAUSED`: not probed. */
export type MonitorStatus = 'UP' | 'DOWN' | 'PENDING' | 'PAUSED';

/** Outcome of one check. */
export type CheckStatus = 'UP' | 'DOWN';

/** HTTP methods a monitor may probe with. */
export type ProbeMethod = 'GET' | 'HEAD' | 'POST';

/** A JSONPath check on the response body, e.g. `{ path: '$.status', equals: 'ok' }`. */
export interface JsonPathCheck {
  path: string;
  /** Expected value; when absent the path only has to exist. */
  equals?: string | number | boolean | null;
}

/**
 * What a monitor checks (domain/kinds.ts): `http` a URL (the default), `tcp` that a port accepts a
 * connection, `dns` that a record equals an expected value, `tls` a certificate only, `push` that a
 * heartbeat came in time (nothing is probed).
 */
export type MonitorKind = 'http' | 'push' | 'tcp' | 'dns' | 'tls';

/** The record types a `dns` monitor may check. */
export type DnsRecordType = 'A' | 'AAAA' | 'CNAME' | 'MX' | 'TXT';

/** Minutes between two checks of a monitor (domain/schedule.ts). */
export type IntervalMinutes = 1 | 5 | 15 | 60;

/** Body of `POST /monitors`. */
export interface MonitorInput {
  /**
   * The target, written for its kind: `https://...` (http), `tcp://host:port`, `tls://host[:port]`,
   * `dns://name`. A push monitor has none (it is given `push://<monitorId>`); required for the others.
   */
  url?: string;
  /** Default `http`. */
  kind?: MonitorKind;
  /** Default 1. */
  intervalMinutes?: IntervalMinutes;
  /** dns: the record type queried (default `A`). */
  recordType?: DnsRecordType;
  /** dns: the value one of the records must equal (required for dns). */
  expectedValue?: string;
  /** push: minutes expected between two pings (default 60). */
  periodMinutes?: number;
  /** push: minutes a late ping is still on time (default 5). */
  graceMinutes?: number;
  name?: string;
  method?: ProbeMethod;
  /**
   * Expected statuses as codes and ranges, canonical: `200-299,301` (status-ranges.ts). The API also
   * accepts the older array of codes on input.
   */
  expectedStatus?: string;
  timeoutMs?: number;
  retries?: number;
  keyword?: string;
  keywordAbsent?: boolean;
  jsonPath?: JsonPathCheck;
  maxRedirects?: number;
  tlsWarningDays?: number[];
  /** Notification channels of the owner that this monitor alerts (domain/channels.ts); none by default. */
  channelIds?: string[];
}

/** Body of `PATCH /monitors/{monitorId}`: any field of {@link MonitorInput}, plus the two switches. */
export interface MonitorPatch extends Partial<MonitorInput> {
  paused?: boolean;
  public?: boolean;
}

/** Owner of the monitors seeded from `HealthCheckTargets` and of those stored before monitors had owners. */
export const OPERATORS_OWNER = 'operators';

/** Fields of {@link MonitorInput} a monitor may lack: the kinds' own, and those of items stored before kinds. */
type KindFields =
  | 'kind'
  | 'intervalMinutes'
  | 'recordType'
  | 'expectedValue'
  | 'periodMinutes'
  | 'graceMinutes';

/** A monitor with every default applied. */
export interface Monitor
  extends Required<Omit<MonitorInput, 'keyword' | 'jsonPath' | 'channelIds' | KindFields>> {
  monitorId: string;
  /** The owner's channels alerted besides the operators' topic; absent (or empty): the topic only. */
  channelIds?: string[];
  /** Absent on monitors stored before kinds: `http` (domain/kinds.ts kindOf). */
  kind?: MonitorKind;
  /** Absent on monitors stored before intervals: 1. */
  intervalMinutes?: IntervalMinutes;
  recordType?: DnsRecordType;
  expectedValue?: string;
  periodMinutes?: number;
  graceMinutes?: number;
  keyword?: string;
  jsonPath?: JsonPathCheck;
  createdAt: string;
  /** The Cognito `sub` of its owner, or {@link OPERATORS_OWNER} for the seeded (and legacy) ones. */
  ownerId: string;
  /** Not probed while true. */
  paused: boolean;
  /** Listed on the public status page (redacted, see {@link PublicMonitorView}). */
  public: boolean;
}

/** The TLS certificate of an https monitor. */
export interface CertInfo {
  /** ISO 8601. */
  validTo: string;
  /** Whole days until `validTo` (negative once expired). */
  daysRemaining: number;
  issuer?: string;
  /** The tightest warning threshold (from `Monitor.tlsWarningDays`) the certificate is within. */
  warningDays?: number;
}

/** Current state of a monitor. */
export interface MonitorState {
  status: MonitorStatus;
  /** When the current status began (ISO 8601). */
  since: string;
  lastCheckedAt?: string;
  lastLatencyMs?: number;
  lastStatusCode?: number;
  /** Human-readable reason when DOWN. */
  lastError?: string;
  cert?: CertInfo;
  /**
   * The status the last alert announced, kept only while it differs from `status` because a
   * maintenance window held the alert back (domain/maintenance.ts); cleared by the first check after
   * the window, which alerts once if the status still differs.
   */
  alertedStatus?: MonitorStatus;
}

/** Checks counted in one clock hour (UTC), kept with the monitor so uptime needs no scan of results. */
export interface HourBucket {
  /** `YYYY-MM-DDTHH` (UTC). */
  hour: string;
  up: number;
  total: number;
}

/**
 * What every run writes for a monitor (batched, with its result): its latest check and the counter of
 * the check's hour. The views read the last check from it; the monitor's `state` changes only on a
 * transition (see domain/write-plan.ts).
 */
export interface LatestCheck {
  result: CheckResult;
  hour: HourBucket;
}

/**
 * A monitor as stored: its settings, its state (as of its last transition), the uptime buckets of its
 * finished hours and its latest check. The views read {@link currentState} and {@link uptimeBuckets}
 * (domain/write-plan.ts), which fold the latest check in.
 */
export interface MonitorRecord {
  monitor: Monitor;
  state: MonitorState;
  buckets: HourBucket[];
  latest?: LatestCheck;
  /** A push monitor's token hash and last ping (domain/push.ts); never shown. */
  push?: PushRecord;
  /** Its maintenance windows (domain/maintenance.ts), stored on the monitor item; none when absent. */
  maintenance?: MaintenanceWindow[];
}

/** What a push monitor stores besides its settings: never part of a view. */
export interface PushRecord {
  /** SHA-256 (hex) of the secret part of its push token. */
  tokenHash?: string;
  /** ISO 8601 of the last ping. */
  lastPingAt?: string;
  /** The last ping reported a failure (`/fail` or `?status=fail`). */
  lastPingFailed?: boolean;
}

/** A monitor as its owner (or an operator) sees it: `GET /my/monitors`. */
export interface MonitorView extends Monitor {
  state: MonitorState;
  /** 0..100, `null` when there is no data. */
  uptime24h: number | null;
  uptime7d: number | null;
  /** Start of the oldest hour with a check (7 days at most), `null` without any: how much of each window the figures cover. */
  checkedSince: string | null;
  /** Present (true) only inside one of its maintenance windows: probed, but not alerted, not in uptime. */
  inMaintenance?: true;
}

/** The reason categories of the public views: fixed strings, never text that came from the target. */
export type ReasonCategory =
  | 'timeout'
  | 'connection refused'
  | 'connection reset'
  | 'DNS error'
  | 'TLS error'
  | 'certificate expired'
  | `HTTP ${number}`
  | 'keyword check failed'
  | 'JSON check failed'
  | 'redirect error'
  | 'private address refused'
  | 'check failed';

/** The state of a public monitor: no target text, no certificate issuer. */
export interface PublicMonitorState {
  status: MonitorStatus;
  since: string;
  lastCheckedAt?: string;
  lastLatencyMs?: number;
  lastStatusCode?: number;
  /** Why it is DOWN, as a category. */
  reason?: ReasonCategory;
  cert?: Omit<CertInfo, 'issuer'>;
}

/** A public monitor as anyone sees it (`GET /monitors`): no check settings, no query string, no owner. */
export interface PublicMonitorView {
  monitorId: string;
  name: string;
  /** Scheme, host, port and path only. */
  url: string;
  method: ProbeMethod;
  state: PublicMonitorState;
  uptime24h: number | null;
  uptime7d: number | null;
  /** As in {@link MonitorView}. */
  checkedSince: string | null;
  /** As in {@link MonitorView}. */
  inMaintenance?: true;
}

/** One check of a public monitor. */
export interface PublicCheckResult {
  checkedAt: string;
  status: CheckStatus;
  latencyMs: number;
  statusCode?: number;
  reason?: ReasonCategory;
  /** Made inside a maintenance window. */
  maintenance?: boolean;
}

/** One check of one monitor. */
export interface CheckResult {
  monitorId: string;
  /** ISO 8601; sort key of the results table. */
  checkedAt: string;
  status: CheckStatus;
  latencyMs: number;
  statusCode?: number;
  error?: string;
  attempts: number;
  cert?: CertInfo;
  /** With probe regions (ProbeRegions): what each region saw, home first (domain/quorum.ts). */
  regions?: RegionCheck[];
  /** Made inside a maintenance window: not counted in uptime, never alerted. */
  maintenance?: boolean;
}

/** Kinds of alert published on the alerts topic. */
export type AlertType = 'MONITOR_DOWN' | 'MONITOR_UP' | 'CERT_EXPIRING';

/** The SNS alert message. */
export interface Alert {
  type: AlertType;
  monitorId: string;
  name: string;
  url: string;
  status: MonitorStatus;
  previousStatus: MonitorStatus;
  reason: string;
  /** ISO 8601. */
  at: string;
  cert?: CertInfo;
}

/** A one-off maintenance window: from `start` to `end` (ISO 8601). */
export interface OnceWindowInput {
  start: string;
  end: string;
  label?: string;
}

/**
 * A recurring maintenance window: each time the five-field `cron` expression matches the wall clock of
 * `timeZone` (an IANA name, `UTC` by default), for `durationMinutes`.
 */
export interface RecurringWindowInput {
  cron: string;
  timeZone?: string;
  durationMinutes: number;
  label?: string;
}

/** Body of `POST /monitors/{monitorId}/maintenance`. */
export type MaintenanceWindowInput = OnceWindowInput | RecurringWindowInput;

/** A stored maintenance window. */
export type MaintenanceWindow =
  | ({ kind: 'once'; windowId: string; createdAt: string } & OnceWindowInput)
  | ({ kind: 'recurring'; windowId: string; createdAt: string } & Required<
      Omit<RecurringWindowInput, 'label'>
    > &
      Pick<RecurringWindowInput, 'label'>);

/** One occurrence of a window. */
export interface WindowOccurrence {
  windowId: string;
  /** ISO 8601. */
  start: string;
  end: string;
}

/** A DOWN stretch of a monitor: open (no `end`) while it is DOWN, closed when it is UP again. */
export interface Incident {
  monitorId: string;
  /** The stretch's start (ISO 8601), unique per monitor. */
  incidentId: string;
  start: string;
  end?: string;
  durationMs?: number;
  /** The failing check's error. */
  reason: string;
  /** Regions that saw it down: the home region until probes run from several. */
  regions: string[];
  /** It began inside a maintenance window (no alert was sent for it). */
  maintenance?: boolean;
}

/** An incident as the public status page shows it: the reason as a category. */
export interface PublicIncident extends Omit<Incident, 'reason' | 'monitorId'> {
  reason: ReasonCategory;
}

/** Response-time percentiles over a window, from the checks that got a response. */
export interface LatencyPercentiles {
  /** Milliseconds; `null` without samples. */
  p50: number | null;
  p95: number | null;
  samples: number;
}
