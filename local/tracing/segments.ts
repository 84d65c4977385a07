/**
 * The segments the local cloud records itself, as AWS's own services do on a traced request: API
 * Gateway's stage segment (with its Lambda integration subsegment), and Lambda's service and function
 * segments. A function's own subsegments (AWS calls, HTTP calls, `## handler`) arrive through the
 * daemon with the function segment as parent, which the function finds in `_X_AMZN_TRACE_ID`.
 */
import { epochSeconds, formatTraceHeader, newSegmentId, newTraceId, parseTraceHeader } from './ids.js';
import type { TraceStore } from './trace-store.js';
import type { SegmentDocument } from './types.js';

/** An API request being traced. */
export interface ApiRequestTrace {
  /** The `X-Amzn-Trace-Id` API Gateway returns: `Root=<trace id>`. */
  readonly responseHeader: string;
  /** Names the route once matched (`resource_path`). */
  route(resource: string): void;
  /** Opens the Lambda integration subsegment; its header goes with the invocation. */
  integration(functionName: string): { header: string; end(ok: boolean): void };
  /** Closes and records the stage segment. */
  end(status: number): void;
}

export interface ApiRequestInput {
  store: TraceStore;
  /** `<api name>/<stage>`, the stage segment's name in X-Ray. */
  name: string;
  method: string;
  url: string;
  clientIp?: string;
  userAgent?: string;
  apiId: string;
  stage: string;
  /** An incoming `X-Amzn-Trace-Id`: its Root continues that trace. */
  incomingHeader?: string;
}

/** Starts the trace of one API request (API Gateway with `TracingEnabled`). */
export function traceApiRequest(input: ApiRequestInput): ApiRequestTrace {
  const incoming = parseTraceHeader(input.incomingHeader);
  const traceId = incoming?.root ?? newTraceId();
  const segment: SegmentDocument = {
    id: newSegmentId(),
    trace_id: traceId,
    name: input.name,
    origin: 'AWS::ApiGateway::Stage',
    start_time: epochSeconds(Date.now()),
    http: {
      request: {
        method: input.method,
        url: input.url,
        ...(input.clientIp ? { client_ip: input.clientIp } : {}),
        ...(input.userAgent ? { user_agent: input.userAgent } : {}),
      },
    },
    aws: { api_id: input.apiId, stage: input.stage },
    subsegments: [],
  };
  if (incoming?.parent) segment.parent_id = incoming.parent;
  let ended = false;
  return {
    responseHeader: `Root=${traceId}`,
    route(resource) {
      segment.aws = { ...segment.aws, resource_path: resource };
    },
    integration(functionName) {
      const sub: SegmentDocument = {
        id: newSegmentId(),
        name: 'Lambda',
        namespace: 'aws',
        start_time: epochSeconds(Date.now()),
        aws: { operation: 'Invoke', function_name: functionName },
      };
      segment.subsegments?.push(sub);
      return {
        header: formatTraceHeader({ root: traceId, parent: sub.id, sampled: true }),
        end(ok) {
          sub.end_time = epochSeconds(Date.now());
          if (!ok) sub.fault = true;
        },
      };
    },
    end(status) {
      if (ended) return;
      ended = true;
      segment.end_time = epochSeconds(Date.now());
      segment.http = { ...segment.http, response: { status } };
      if (status >= 500) segment.fault = true;
      else if (status === 429) segment.throttle = true;
      else if (status >= 400) segment.error = true;
      input.store.add(segment);
    },
  };
}

/** One Lambda invocation being traced. */
export interface InvocationTrace {
  /** `_X_AMZN_TRACE_ID` for the function: Parent is the function segment, Sampled=1. */
  readonly functionHeader: string;
  /** The function code starts running (after any cold start). */
  started(initDurationMs?: number): void;
  /** Records the service and function segments. */
  end(outcome: { ok: boolean; requestId: string; errorType?: string; errorMessage?: string }): void;
}

export interface InvocationInput {
  store: TraceStore;
  functionName: string;
  functionArn: string;
  region: string;
  /** The caller's header (API Gateway's integration subsegment); none starts a new trace. */
  incomingHeader?: string;
}

/** Starts the trace of one invocation (a function with `Tracing: Active`), as Lambda records it. */
export function traceInvocation(input: InvocationInput): InvocationTrace {
  const incoming = parseTraceHeader(input.incomingHeader);
  const traceId = incoming?.root ?? newTraceId();
  const serviceId = newSegmentId();
  const functionId = newSegmentId();
  const calledAt = Date.now();
  let startedAt = calledAt;
  let initMs: number | undefined;
  return {
    functionHeader: formatTraceHeader({ root: traceId, parent: functionId, sampled: true }),
    started(initDurationMs) {
      startedAt = Date.now();
      initMs = initDurationMs;
    },
    end(outcome) {
      const endedAt = Date.now();
      const service: SegmentDocument = {
        id: serviceId,
        trace_id: traceId,
        name: input.functionName,
        origin: 'AWS::Lambda',
        start_time: epochSeconds(calledAt),
        end_time: epochSeconds(endedAt),
        http: { response: { status: 200 } },
        aws: { request_id: outcome.requestId, function_arn: input.functionArn, region: input.region },
      };
      if (incoming?.parent) service.parent_id = incoming.parent;
      const subsegments: SegmentDocument[] = [];
      if (initMs !== undefined) {
        subsegments.push({
          id: newSegmentId(),
          name: 'Initialization',
          start_time: epochSeconds(startedAt - initMs),
          end_time: epochSeconds(startedAt),
        });
      }
      subsegments.push({
        id: newSegmentId(),
        name: 'Invocation',
        start_time: epochSeconds(startedAt),
        end_time: epochSeconds(endedAt),
        ...(outcome.ok ? {} : { fault: true }),
      });
      const fn: SegmentDocument = {
        id: functionId,
        trace_id: traceId,
        parent_id: serviceId,
        name: input.functionName,
        origin: 'AWS::Lambda::Function',
        start_time: epochSeconds(initMs === undefined ? startedAt : startedAt - initMs),
        end_time: epochSeconds(endedAt),
        aws: { function_arn: input.functionArn, resource_names: [input.functionName] },
        subsegments,
      };
      if (!outcome.ok) {
        fn.fault = true;
        fn.cause = { exceptions: [{ type: outcome.errorType, message: outcome.errorMessage }] };
      }
      input.store.add(service);
      input.store.add(fn);
    },
  };
}
