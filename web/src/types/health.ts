// Mirrors docs/health-api.md, the contract between functions/health and web/. Change both together.

export type MonitorStatus = 'UP' | 'DOWN' | 'PENDING';

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
  expectedStatus?: number[];
  timeoutMs?: number;
  retries?: number;
  keyword?: string;
  keywordAbsent?: boolean;
  jsonPath?: JsonPathAssertion;
  maxRedirects?: number;
  tlsWarningDays?: number[];
}

export interface Monitor extends Required<Omit<MonitorInput, 'keyword' | 'jsonPath'>> {
  monitorId: string;
  keyword?: string;
  jsonPath?: JsonPathAssertion;
  createdAt: string;
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

export interface MonitorView extends Monitor {
  state: MonitorState;
  /** 0..100, null when there is no data yet. */
  uptime24h: number | null;
  uptime7d: number | null;
}

export interface CheckResult {
  monitorId: string;
  checkedAt: string;
  status: 'UP' | 'DOWN';
  latencyMs: number;
  statusCode?: number;
  error?: string;
  attempts: number;
  cert?: CertInfo;
}

export interface MonitorListResponse {
  monitors: MonitorView[];
}

export interface MonitorResponse {
  monitor: MonitorView;
}

export interface HistoryResponse {
  monitorId: string;
  results: CheckResult[];
}
