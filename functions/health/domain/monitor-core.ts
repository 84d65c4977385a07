/**
 * What the health checker needs of a monitor, without the API's zod schemas (monitor.ts, which
 * re-exports all of this): defaults, the check budget, ids, the watch key, a monitor from validated
 * input. CheckSitesFunction imports this module, not monitor.ts, so zod (~98 kB) stays out of its bundle.
 */
import { createHash } from 'node:crypto';
import { canonicalTarget, kindDefaults, pushTargetUrl } from './kinds.js';
import { defaultIntervalMinutes } from './schedule.js';
import { DEFAULT_EXPECTED_STATUS } from './status-ranges.js';
import { type Monitor, type MonitorInput, type MonitorState, OPERATORS_OWNER } from './types.js';

/** Defaults applied by {@link createMonitor}. */
export const monitorDefaults = {
  method: 'GET',
  /** Any 2xx. */
  expectedStatus: DEFAULT_EXPECTED_STATUS,
  timeoutMs: 10_000,
  retries: 1,
  keywordAbsent: false,
  maxRedirects: 5,
  tlsWarningDays: [21, 14, 7],
} as const satisfies Partial<Monitor>;

/**
 * The longest a check of one monitor may take, all attempts included (`timeoutMs x (retries + 1)`): a
 * run must finish inside CheckSitesFunction's 120-second timeout, and a monitor that could hold a slot
 * for longer would be skipped by every run (see run.ts).
 */
export const maxCheckBudgetMs = 60_000;

/** The worst-case time of one check: every attempt times out. */
export function checkBudgetMs(monitor: Pick<Monitor, 'timeoutMs' | 'retries'>): number {
  return monitor.timeoutMs * (monitor.retries + 1);
}

/** The URL as monitored: parsed and re-serialised (lower-case host, default port dropped), no fragment. */
export function normalizeUrl(url: string): string {
  const parsed = new URL(url);
  parsed.hash = '';
  return parsed.href;
}

/** 64-bit FNV-1a of the UTF-8 bytes, as 16 hex digits: stable across runtimes, no crypto needed. */
function fnv1a64(text: string): string {
  let hash = 0xcbf29ce484222325n;
  for (const byte of new TextEncoder().encode(text)) {
    hash ^= BigInt(byte);
    hash = (hash * 0x100000001b3n) & 0xffffffffffffffffn;
  }
  return hash.toString(16).padStart(16, '0');
}

function hostSlug(url: string): string {
  const host = new URL(url).hostname.toLowerCase();
  return (
    host
      .replace(/[^a-z0-9]+/g, '-')
      .replace(/^-+|-+$/g, '')
      .slice(0, 40)
      .replace(/-+$/, '') || 'monitor'
  );
}

/**
 * The id of the operators' monitor of `method url`: a slug of the host plus a hash of method and
 * normalised URL. Deterministic, so seeding `HealthCheckTargets` is idempotent.
 */
export function monitorIdFor(url: string, method: Monitor['method'] = monitorDefaults.method): string {
  const normalized = normalizeUrl(url);
  return `${hostSlug(normalized)}-${fnv1a64(`${method} ${normalized}`)}`;
}

/**
 * The id of a monitor a user adds: the host slug and 16 random hex digits (`randomHex`, from the
 * handler's CSPRNG), so an id says nothing about its owner and cannot be derived from a URL.
 */
export function newMonitorId(url: string, randomHex: string): string {
  if (!/^[0-9a-f]{16}$/.test(randomHex)) throw new Error('randomHex must be 16 hex digits');
  return `${hostSlug(url)}-${randomHex}`;
}

/**
 * Key of the claim "owner `ownerId` watches `method url`": one per owner, URL and method, so the same
 * owner cannot add the same check twice while another owner can.
 */
export function watchKeyFor(ownerId: string, url: string, method: Monitor['method']): string {
  // SHA-256, not FNV: a user must not be able to craft a URL whose claim collides with another's.
  return createHash('sha256')
    .update(`${ownerId}\n${method}\n${normalizeUrl(url)}`)
    .digest('base64url');
}

/** Who owns a new monitor and how it is identified and shown; defaults are the operators' seeding. */
export interface CreateMonitorOptions {
  /** Default {@link OPERATORS_OWNER}. */
  ownerId?: string;
  /** Default {@link monitorIdFor} of the URL and method. */
  monitorId?: string;
  /** Default false. */
  public?: boolean;
}

/**
 * The id of a monitor a user adds, of any kind: {@link newMonitorId} of its target, `heartbeat-<hex>`
 * for a push monitor (which has no target until it has an id).
 */
export function newMonitorIdFor(input: MonitorInput, randomHex: string): string {
  const kind = input.kind ?? 'http';
  return newMonitorId(
    kind === 'push' ? pushTargetUrl('heartbeat') : targetUrlOf(input, undefined),
    randomHex,
  );
}

/** A complete {@link Monitor} from validated input, with every default applied. */
export function createMonitor(
  input: MonitorInput,
  createdAt: Date,
  options: CreateMonitorOptions = {},
): Monitor {
  const kind = input.kind ?? 'http';
  const url = targetUrlOf(input, options.monitorId);
  const method = input.method ?? monitorDefaults.method;
  const monitor: Monitor = {
    monitorId: options.monitorId ?? monitorIdFor(url, method),
    url,
    name: input.name ?? new URL(url).host,
    method,
    expectedStatus: input.expectedStatus ?? monitorDefaults.expectedStatus,
    timeoutMs: input.timeoutMs ?? monitorDefaults.timeoutMs,
    retries: input.retries ?? monitorDefaults.retries,
    keywordAbsent: input.keywordAbsent ?? monitorDefaults.keywordAbsent,
    maxRedirects: input.maxRedirects ?? monitorDefaults.maxRedirects,
    tlsWarningDays: [...new Set(input.tlsWarningDays ?? monitorDefaults.tlsWarningDays)].sort(
      (a, b) => b - a,
    ),
    createdAt: createdAt.toISOString(),
    ownerId: options.ownerId ?? OPERATORS_OWNER,
    paused: false,
    public: options.public ?? false,
  };
  if (input.keyword !== undefined) monitor.keyword = input.keyword;
  if (input.jsonPath !== undefined) monitor.jsonPath = { ...input.jsonPath };
  // Kept when empty: a PATCH to [] must overwrite the stored list.
  if (input.channelIds !== undefined) monitor.channelIds = [...input.channelIds];
  monitor.kind = kind;
  monitor.intervalMinutes = input.intervalMinutes ?? defaultIntervalMinutes;
  if (kind === 'dns') {
    monitor.recordType = input.recordType ?? kindDefaults.recordType;
    if (input.expectedValue !== undefined) monitor.expectedValue = input.expectedValue;
  }
  if (kind === 'push') {
    monitor.periodMinutes = input.periodMinutes ?? kindDefaults.periodMinutes;
    monitor.graceMinutes = input.graceMinutes ?? kindDefaults.graceMinutes;
  }
  return monitor;
}

/** The stored target of validated input: an http URL normalised, another kind's canonical, a push one made. */
function targetUrlOf(input: MonitorInput, monitorId: string | undefined): string {
  const kind = input.kind ?? 'http';
  if (kind === 'push') {
    if (monitorId === undefined) throw new Error('a push monitor needs its monitorId to make its target');
    return pushTargetUrl(monitorId);
  }
  if (input.url === undefined) throw new Error(`a ${kind} monitor needs a url`);
  return kind === 'http' ? normalizeUrl(input.url) : canonicalTarget(kind, input.url);
}

/** The state of a monitor that has never been checked. */
export function initialState(monitor: Pick<Monitor, 'createdAt'>): MonitorState {
  return { status: 'PENDING', since: monitor.createdAt };
}
