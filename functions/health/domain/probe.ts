/**
 * The judgement of one probe: from what the prober saw (status, headers, body, latency, network error,
 * certificate, redirects) and the monitor's settings, decide UP or DOWN and say precisely why.
 */
import { evaluateJsonPath, parseJsonPath } from './json-path.js';
import { isExpectedStatus } from './status-ranges.js';
import type { CertInfo, CheckStatus, DnsRecordType, Monitor, MonitorKind, ProbeMethod } from './types.js';

/** Network-level failures a prober reports instead of a response. */
export type ProbeErrorKind =
  | 'timeout'
  | 'connectionRefused'
  | 'connectionReset'
  | 'dnsError'
  | 'hostUnreachable'
  | 'tlsError'
  | 'invalidResponse'
  | 'invalidRedirect'
  /** The address guard refused the target or a redirect hop: nothing was sent. */
  | 'blocked'
  /** The run reached its deadline during the attempt: the monitor was not checked. */
  | 'aborted'
  | 'unknown';

/** What a prober is asked to do: one attempt. */
export interface ProbeRequest {
  url: string;
  method: ProbeMethod;
  /** Covers connect, redirects, response and body. */
  timeoutMs: number;
  /** Redirects to follow; a further redirect is returned as the response. */
  maxRedirects: number;
  /** Aborts the attempt at once (the run's deadline); the prober then answers `aborted`. */
  signal?: AbortSignal;
  /** What `url` is the target of (domain/kinds.ts); absent: http. */
  kind?: MonitorKind;
  /** dns: the record type queried. */
  recordType?: DnsRecordType;
}

/** The peer certificate as the prober read it. */
export interface PeerCertificate {
  /** ISO 8601. */
  validTo: string;
  issuer?: string;
}

/** What one probe attempt saw, before any judgement. */
export interface ProbeOutcome {
  /** From the start of the attempt to the end of the body (or the failure). */
  latencyMs: number;
  /** Redirects followed. */
  redirects: number;
  /** The URL of the last request. */
  finalUrl?: string;
  statusCode?: number;
  /** Response headers, names in lower case. */
  headers?: Readonly<Record<string, string | string[] | undefined>>;
  /** Body text, at most the prober's cap (1 MiB). */
  body?: string;
  /** The body was longer than the cap and was cut. */
  bodyTruncated?: boolean;
  /** Set when the attempt failed before a complete response. */
  errorKind?: ProbeErrorKind;
  /** Low-level detail of the failure (error code or message). */
  errorMessage?: string;
  cert?: PeerCertificate;
  /** dns: the records found, as text (domain/kind-judge.ts). */
  records?: string[];
  /** tls: what the handshake said of the certificate beyond its expiry. */
  tls?: TlsFindings;
}

/** tls: the certificate's chain and host name, as the handshake found them. */
export interface TlsFindings {
  /** Why the chain is not trusted (e.g. `SELF_SIGNED_CERT_IN_CHAIN`); absent when it is. */
  chainError?: string;
  /** Why the certificate does not cover the host; absent when it does. */
  hostnameError?: string;
}

/** Who a probe is for: not part of the request, but what traces and logs are searched by. */
export interface ProbeContext {
  monitorId: string;
}

/** A prober: performs one attempt and never throws for network failures. */
export type Prober = (request: ProbeRequest, context?: ProbeContext) => Promise<ProbeOutcome>;

/** The verdict on one attempt. */
export interface ProbeJudgement {
  status: CheckStatus;
  /** Why it is DOWN. */
  reason?: string;
  cert?: CertInfo;
}

/** The monitor settings the judgement reads. */
export type JudgedMonitor = Pick<
  Monitor,
  | 'expectedStatus'
  | 'keyword'
  | 'keywordAbsent'
  | 'jsonPath'
  | 'maxRedirects'
  | 'timeoutMs'
  | 'tlsWarningDays'
>;

const dayMs = 86_400_000;

/**
 * Certificate details for the state and alerts: whole days remaining (rounded down) and the tightest
 * warning threshold the certificate is within, e.g. 3 days left with thresholds [21, 14, 7] -> 7.
 */
export function certInfo(cert: PeerCertificate, now: Date, tlsWarningDays: readonly number[]): CertInfo {
  const daysRemaining = Math.floor((Date.parse(cert.validTo) - now.getTime()) / dayMs);
  const within = tlsWarningDays.filter((days) => daysRemaining <= days);
  const info: CertInfo = { validTo: cert.validTo, daysRemaining };
  if (cert.issuer !== undefined) info.issuer = cert.issuer;
  if (within.length > 0) info.warningDays = Math.min(...within);
  return info;
}

function errorReason(kind: ProbeErrorKind, outcome: ProbeOutcome, monitor: JudgedMonitor): string {
  const detail =
    outcome.errorMessage === undefined || outcome.errorMessage === '' ? '' : `: ${outcome.errorMessage}`;
  switch (kind) {
    case 'timeout':
      return `timeout after ${monitor.timeoutMs} ms`;
    case 'connectionRefused':
      return 'connection refused';
    case 'connectionReset':
      return outcome.statusCode === undefined
        ? 'connection reset'
        : `connection reset while reading the response (status ${outcome.statusCode})`;
    case 'dnsError':
      return `DNS lookup failed${detail}`;
    case 'hostUnreachable':
      return `host unreachable${detail}`;
    case 'tlsError':
      return `TLS error${detail}`;
    case 'invalidResponse':
      return `invalid HTTP response${detail}`;
    case 'invalidRedirect':
      return `invalid redirect${detail}`;
    case 'blocked':
      return `blocked${detail}`;
    case 'aborted':
      return 'not checked: the run reached its deadline';
    case 'unknown':
      return `request failed${detail}`;
  }
}

function header(outcome: ProbeOutcome, name: string): string | undefined {
  const value = outcome.headers?.[name];
  return Array.isArray(value) ? value[0] : value;
}

function show(value: unknown): string {
  const text = value === undefined ? 'undefined' : JSON.stringify(value);
  return text.length > 80 ? `${text.slice(0, 77)}...` : text;
}

/**
 * What is wrong with the body, in terms of what was expected only: nothing of the body itself goes into
 * the reason, which is stored as `lastError` and shown with the monitor (a target's answer is not ours
 * to publish).
 */
function judgeBody(outcome: ProbeOutcome, monitor: JudgedMonitor): string | undefined {
  const body = outcome.body ?? '';
  const scope = outcome.bodyTruncated === true ? 'in the first 1 MiB of the body' : 'in the body';
  if (monitor.keyword !== undefined) {
    const present = body.includes(monitor.keyword);
    if (monitor.keywordAbsent && present)
      return `keyword ${show(monitor.keyword)} found ${scope} (must be absent)`;
    if (!monitor.keywordAbsent && !present) return `keyword ${show(monitor.keyword)} not found ${scope}`;
  }
  if (monitor.jsonPath !== undefined) {
    const { path } = monitor.jsonPath;
    const segments = parseJsonPath(path);
    if (segments === undefined) return `jsonPath ${path} is not supported`;
    if (outcome.bodyTruncated === true) return `body larger than 1 MiB, cannot evaluate jsonPath ${path}`;
    let document: unknown;
    try {
      document = JSON.parse(body);
    } catch {
      return `body is not valid JSON (jsonPath ${path})`;
    }
    const found = evaluateJsonPath(document, segments);
    if (!found.found) return `jsonPath ${path} not found`;
    if ('equals' in monitor.jsonPath && monitor.jsonPath.equals !== undefined) {
      if (found.value !== monitor.jsonPath.equals) {
        return `jsonPath ${path} is not equal to ${show(monitor.jsonPath.equals)}`;
      }
    }
  }
  return undefined;
}

/**
 * Judge one probe attempt against the monitor. Checks, in order: network error, status code (a
 * redirect still pending after `maxRedirects` is "too many redirects"), expired certificate, keyword,
 * JSONPath. The certificate is reported whatever the verdict.
 */
export function judgeProbe(outcome: ProbeOutcome, monitor: JudgedMonitor, now: Date): ProbeJudgement {
  const cert = outcome.cert === undefined ? undefined : certInfo(outcome.cert, now, monitor.tlsWarningDays);
  const down = (reason: string): ProbeJudgement =>
    cert === undefined ? { status: 'DOWN', reason } : { status: 'DOWN', reason, cert };

  if (outcome.errorKind !== undefined) return down(errorReason(outcome.errorKind, outcome, monitor));
  if (outcome.statusCode === undefined) return down('no response');

  const { statusCode } = outcome;
  if (!isExpectedStatus(monitor.expectedStatus, statusCode)) {
    const isRedirect = statusCode >= 300 && statusCode < 400 && header(outcome, 'location') !== undefined;
    if (isRedirect) {
      return down(
        monitor.maxRedirects === 0
          ? `redirect (status ${statusCode}) not followed: maxRedirects is 0`
          : `too many redirects (more than ${monitor.maxRedirects})`,
      );
    }
    return down(`unexpected status ${statusCode} (expected ${monitor.expectedStatus})`);
  }

  if (cert !== undefined && Date.parse(cert.validTo) <= now.getTime()) {
    return down(`TLS certificate expired on ${cert.validTo}`);
  }

  const bodyProblem = judgeBody(outcome, monitor);
  if (bodyProblem !== undefined) return down(bodyProblem);

  return cert === undefined ? { status: 'UP' } : { status: 'UP', cert };
}
