/**
 * Traces shaped for the web app's Traces page (`/_kumo/traces`, `/_kumo/traces/<id>`): a summary per
 * trace, and one trace as a flat list of spans in timeline order (each with its depth in the tree).
 */
import type { StoredTrace } from './trace-store.js';
import type { SegmentDocument } from './types.js';

/** One segment or subsegment on the timeline. */
export interface TraceSpan {
  id: string;
  parentId?: string;
  name: string;
  /** `AWS::ApiGateway::Stage`, `AWS::Lambda`, `AWS::Lambda::Function` for segments; `aws`, `remote` or `local` for subsegments. */
  kind: string;
  depth: number;
  /** Epoch ms. */
  startMs: number;
  /** Epoch ms; absent while in progress. */
  endMs?: number;
  durationMs?: number;
  error: boolean;
  fault: boolean;
  throttle: boolean;
  /** HTTP method, URL and status, when the span is an HTTP call or the API request. */
  http?: { method?: string; url?: string; status?: number };
  /** `operation`, `table_name`, `request_id`... of an AWS call. */
  aws?: Record<string, unknown>;
  annotations?: Record<string, string | number | boolean>;
  /** The first exception's message, when the span failed. */
  errorMessage?: string;
}

/** A trace in the list. */
export interface TraceSummary {
  id: string;
  /** The first segment's name: `GET /monitors` for an API request, the function name otherwise. */
  name: string;
  startMs: number;
  durationMs?: number;
  status?: number;
  error: boolean;
  fault: boolean;
  spanCount: number;
  /** Names of the segments (API, functions) in the trace. */
  services: string[];
  /** `GET /monitors` when the trace starts with an API request. */
  request?: string;
}

/** One trace for the timeline. */
export interface TraceDetail extends TraceSummary {
  spans: TraceSpan[];
  /** Documents the store could not keep (the trace exceeded its limit). */
  dropped: number;
}

function ms(seconds: number | undefined): number | undefined {
  return typeof seconds === 'number' && Number.isFinite(seconds)
    ? Math.round(seconds * 1000 * 1000) / 1000
    : undefined;
}

function errorMessage(cause: SegmentDocument['cause']): string | undefined {
  if (typeof cause === 'string') return cause;
  const first = cause?.exceptions?.[0];
  if (!first) return undefined;
  return [first.type, first.message].filter(Boolean).join(': ') || undefined;
}

/** Flattens documents and their nested subsegments into spans with parent ids. */
function flatten(documents: readonly SegmentDocument[]): TraceSpan[] {
  const spans: TraceSpan[] = [];
  const visit = (doc: SegmentDocument, parentId: string | undefined, isSegment: boolean) => {
    const startMs = ms(doc.start_time) ?? 0;
    const endMs = doc.in_progress ? undefined : ms(doc.end_time);
    const span: TraceSpan = {
      id: doc.id,
      name: doc.name,
      kind: isSegment ? (doc.origin ?? 'segment') : (doc.namespace ?? 'local'),
      depth: 0,
      startMs,
      error: doc.error === true,
      fault: doc.fault === true,
      throttle: doc.throttle === true,
    };
    if (parentId !== undefined) span.parentId = parentId;
    if (endMs !== undefined) {
      span.endMs = endMs;
      span.durationMs = Math.round((endMs - startMs) * 1000) / 1000;
    }
    const request = doc.http?.request;
    const status = doc.http?.response?.status;
    if (request || status !== undefined) {
      span.http = {
        ...(request?.method ? { method: request.method } : {}),
        ...(request?.url ? { url: request.url } : {}),
        ...(status !== undefined ? { status } : {}),
      };
    }
    if (doc.aws && Object.keys(doc.aws).length > 0) span.aws = doc.aws;
    if (doc.annotations && Object.keys(doc.annotations).length > 0) span.annotations = doc.annotations;
    const message = errorMessage(doc.cause);
    if (message) span.errorMessage = message;
    spans.push(span);
    for (const child of doc.subsegments ?? []) visit(child, doc.id, false);
  };
  for (const doc of documents) visit(doc, doc.parent_id, doc.type !== 'subsegment');
  return spans;
}

/** Orders spans depth-first, children by start time; a span whose parent is missing is a root. */
function order(spans: TraceSpan[]): TraceSpan[] {
  const ids = new Set(spans.map((s) => s.id));
  const children = new Map<string | undefined, TraceSpan[]>();
  for (const span of spans) {
    const key = span.parentId !== undefined && ids.has(span.parentId) ? span.parentId : undefined;
    children.set(key, [...(children.get(key) ?? []), span]);
  }
  const ordered: TraceSpan[] = [];
  const seen = new Set<string>();
  const walk = (parent: string | undefined, depth: number) => {
    const list = [...(children.get(parent) ?? [])].sort((a, b) => a.startMs - b.startMs);
    for (const span of list) {
      if (seen.has(span.id)) continue;
      seen.add(span.id);
      ordered.push({ ...span, depth });
      walk(span.id, depth + 1);
    }
  };
  walk(undefined, 0);
  return ordered;
}

function summarise(trace: StoredTrace, spans: TraceSpan[]): TraceSummary {
  const root = spans[0];
  const startMs = Math.min(...spans.map((s) => s.startMs));
  const ends = spans.flatMap((s) => (s.endMs === undefined ? [] : [s.endMs]));
  const endMs = ends.length > 0 ? Math.max(...ends) : undefined;
  const services = [...new Set(spans.filter((s) => s.kind.startsWith('AWS::')).map((s) => s.name))];
  const summary: TraceSummary = {
    id: trace.id,
    name: root?.name ?? '(empty)',
    startMs: Number.isFinite(startMs) ? startMs : trace.firstSeenMs,
    error: spans.some((s) => s.error),
    fault: spans.some((s) => s.fault),
    spanCount: spans.length,
    services,
  };
  if (endMs !== undefined && Number.isFinite(startMs))
    summary.durationMs = Math.round((endMs - startMs) * 1000) / 1000;
  if (root?.http?.status !== undefined) summary.status = root.http.status;
  const method = root?.http?.method;
  const url = root?.http?.url;
  if (method && url) summary.request = `${method} ${URL.canParse(url) ? new URL(url).pathname : url}`;
  return summary;
}

/** The summary of every trace, newest first. */
export function traceSummaries(traces: readonly StoredTrace[]): TraceSummary[] {
  return traces.map((trace) => summarise(trace, order(flatten(trace.documents))));
}

/** One trace for the timeline. */
export function traceDetail(trace: StoredTrace): TraceDetail {
  const spans = order(flatten(trace.documents));
  return { ...summarise(trace, spans), spans, dropped: trace.dropped };
}
