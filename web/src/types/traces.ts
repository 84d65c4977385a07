/** What the local cloud serves at /_kumo/traces and /_kumo/traces/<id> (local/tracing/trace-view.ts). */
export interface TraceSpan {
  id: string;
  parentId?: string;
  name: string;
  /** `AWS::ApiGateway::Stage`, `AWS::Lambda`, `AWS::Lambda::Function`; `aws`, `remote`, `local` for subsegments. */
  kind: string;
  depth: number;
  startMs: number;
  endMs?: number;
  durationMs?: number;
  error: boolean;
  fault: boolean;
  throttle: boolean;
  http?: { method?: string; url?: string; status?: number };
  aws?: Record<string, unknown>;
  annotations?: Record<string, string | number | boolean>;
  errorMessage?: string;
}

export interface TraceSummary {
  id: string;
  name: string;
  startMs: number;
  durationMs?: number;
  status?: number;
  error: boolean;
  fault: boolean;
  spanCount: number;
  services: string[];
  /** `GET /monitors` when the trace starts with an API request. */
  request?: string;
}

export interface TraceDetail extends TraceSummary {
  spans: TraceSpan[];
  dropped: number;
}

export interface TraceListResponse {
  /** False when the local cloud runs without tracing. */
  enabled: boolean;
  traces: TraceSummary[];
}
