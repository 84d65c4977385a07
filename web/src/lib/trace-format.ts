import type { TraceSpan } from '../types/traces';

/** A span's duration: "0.4 ms", "12 ms", "1.25 s". */
export function formatSpanDuration(ms: number | undefined): string {
  if (ms === undefined) return 'in progress';
  if (ms < 1) return `${ms.toFixed(1)} ms`;
  if (ms < 1000) return `${Math.round(ms)} ms`;
  return `${(ms / 1000).toFixed(2)} s`;
}

/** What a span is, in a word: API, Lambda, Function, AWS, HTTP, code. */
export function spanKindLabel(kind: string): string {
  switch (kind) {
    case 'AWS::ApiGateway::Stage':
      return 'API';
    case 'AWS::Lambda':
      return 'Lambda';
    case 'AWS::Lambda::Function':
      return 'Function';
    case 'aws':
      return 'AWS';
    case 'remote':
      return 'HTTP';
    default:
      return 'code';
  }
}

/** ok, error (4xx), fault (5xx or a failure), throttle. */
export function spanState(
  span: Pick<TraceSpan, 'error' | 'fault'> & { throttle?: boolean },
): 'ok' | 'error' | 'fault' | 'throttle' {
  if (span.fault) return 'fault';
  if (span.throttle) return 'throttle';
  if (span.error) return 'error';
  return 'ok';
}

/** The one line of detail worth showing under a span's name. */
export function spanDetail(span: TraceSpan): string {
  const parts: string[] = [];
  const aws = span.aws ?? {};
  if (typeof aws.operation === 'string') parts.push(aws.operation);
  for (const key of [
    'table_name',
    'queue_url',
    'stream_name',
    'bucket_name',
    'function_name',
    'resource_path',
  ]) {
    if (typeof aws[key] === 'string') parts.push(aws[key] as string);
  }
  if (span.http?.method && span.http.url) parts.push(`${span.http.method} ${span.http.url}`);
  if (span.http?.status !== undefined) parts.push(String(span.http.status));
  for (const [key, value] of Object.entries(span.annotations ?? {})) {
    if (key !== 'ColdStart' && key !== 'Service') parts.push(`${key}=${value}`);
  }
  if (span.annotations?.ColdStart === true) parts.push('cold start');
  return parts.join(' · ');
}
