// Mirrors docs/health-api.md, the contract between functions/health and web/. Change both together.

/** PENDING: not checked yet (or since resumed); PAUSED: not probed. */
export type MonitorStatus = 'UP' | 'DOWN' | 'PENDING' | 'PAUSED';

export type HttpMethod = 'GET' | 'HEAD' | 'POST';

export interface JsonPathAssertion {
  path: string;
  equals?: string | number | boolean | null;
}

/** Body of `POST /monitors`; unknown fields are rejected with a 400. */
export interface MonitorInput {
  url: string;
  name?: string;
  method?: HttpMethod;
  /** Codes and ranges, `200-299,301`. */
  expectedStatus?: string;
  timeoutMs?: number;
  retries?: number;
  keyword?: string;
  keywordAbsent?: boolean;
  jsonPath?: JsonPathAssertion;
  maxRedirects?: number;
  tlsWarningDays?: number[];
}

/** Body of `PATCH /monitors/{monitorId}`: any field of the input (null removes a check), and the switches. */
export interface MonitorPatch extends Partial<Omit<MonitorInput, 'keyword' | 'jsonPath'>> {
  keyword?: string | null;
  jsonPath?: JsonPathAssertion | null;
  paused?: boolean;
  public?: boolean;
}

export interface Monitor extends Required<Omit<MonitorInput, 'keyword' | 'jsonPath'>> {
  monitorId: string;
  keyword?: string;
  jsonPath?: JsonPathAssertion;
  createdAt: string;
  /** The owner's Cognito sub, or `operators`. */
  ownerId: string;
  paused: boolean;
  public: boolean;
}

export interface CertInfo {
  validTo: string;
  daysRemaining: number;
  issuer?: string;
  warningDays?: number;
}

export interface MonitorState {
  status: MonitorStatus;
  since: string;
  lastCheckedAt?: string;
  lastLatencyMs?: number;
  lastStatusCode?: number;
  lastError?: string;
  cert?: CertInfo;
}

/** A monitor as its owner (or an operator) sees it: `GET /my/monitors`. */
export interface MonitorView extends Monitor {
  state: MonitorState;
  /** 0..100, null when there is no data yet. */
  uptime24h: number | null;
  uptime7d: number | null;
  /** Start of the oldest hour with a check (7 days at most), null without any. */
  checkedSince?: string | null;
}

/** A fixed reason category: the public page never shows text that came from the target. */
export type ReasonCategory = string;

/** A public monitor as anyone sees it: `GET /monitors`. */
export interface PublicMonitorView {
  monitorId: string;
  name: string;
  /** Scheme, host, port and path only. */
  url: string;
  method: HttpMethod;
  state: {
    status: MonitorStatus;
    since: string;
    lastCheckedAt?: string;
    lastLatencyMs?: number;
    lastStatusCode?: number;
    reason?: ReasonCategory;
    cert?: Omit<CertInfo, 'issuer'>;
  };
  uptime24h: number | null;
  uptime7d: number | null;
  checkedSince?: string | null;
}

/** Either view: what a card or the detail panel shows. */
export type AnyMonitorView = MonitorView | PublicMonitorView;

/** True for the owner's full view. */
export function isFullView(monitor: AnyMonitorView): monitor is MonitorView {
  return 'ownerId' in monitor;
}

export interface CheckResult {
  monitorId?: string;
  checkedAt: string;
  status: 'UP' | 'DOWN';
  latencyMs: number;
  statusCode?: number;
  /** Full view only. */
  error?: string;
  /** Public view only: the category of a DOWN. */
  reason?: ReasonCategory;
  attempts?: number;
  cert?: CertInfo;
}

export interface MonitorPage<T> {
  monitors: T[];
  nextCursor: string | null;
}

export interface MonitorResponse {
  monitor: MonitorView;
}

export interface HistoryResponse {
  monitorId: string;
  results: CheckResult[];
}
