/**
 * X-Ray annotations an operator searches traces by — in the X-Ray console or CloudWatch's trace search,
 * `annotation.monitorId = "…"`, `annotation.photoId = "…"` — and the same keys on every log line of the
 * invocation, so a trace and its logs are found from one id.
 *
 * Handlers call {@link annotate} once they know the id (after parsing the event); work done for many ids
 * in one invocation (one record per post) goes in a {@link traceSpan} each, or, where most items are
 * not worth a span (healthy probes), in a {@link recordSpan} for those that are, once they are done.
 */
import { logger, tracer } from './powertools.js';

/** The keys operators search by. Only these: X-Ray indexes at most 50 annotations per trace. */
export interface TraceAnnotations {
  /** Health checker: the monitor a request or a probe is about. */
  monitorId?: string;
  /** Health checker: the notification channel a request or a delivery is about. */
  channelId?: string;
  /** Post ingestion: the Kinesis stream a batch came from. */
  streamName?: string;
  /** Photo site: the photo an API call or a labelling run is about. */
  photoId?: string;
  /** Photo site: the Cognito user (`sub` claim) who made the request. */
  userSub?: string;
}

function entries(annotations: TraceAnnotations): [string, string][] {
  return Object.entries(annotations).filter(
    (entry): entry is [string, string] => typeof entry[1] === 'string' && entry[1] !== '',
  );
}

/**
 * Annotate the invocation: each non-empty value becomes an X-Ray annotation on the handler's subsegment
 * and a key on every later log line of this invocation (the middy stack resets log keys per invocation).
 * Does nothing to traces when tracing is off (tests, `AWS_SAM_LOCAL`).
 */
export function annotate(annotations: TraceAnnotations): void {
  const pairs = entries(annotations);
  if (pairs.length === 0) return;
  for (const [key, value] of pairs) tracer.putAnnotation(key, value);
  logger.appendKeys(Object.fromEntries(pairs));
}

/**
 * Run `work` in a subsegment of its own named `name`, annotated with `annotations`: for one item among
 * many in an invocation (concurrent items each get their own subsegment; AWS and HTTP calls made by
 * `work` nest under it). An error is recorded on the subsegment and rethrown. Without tracing, `work`
 * simply runs.
 */
export async function traceSpan<T>(
  name: string,
  annotations: TraceAnnotations,
  work: () => Promise<T>,
): Promise<T> {
  if (!tracer.isTracingEnabled()) return work();
  return (await tracer.provider.captureAsyncFunc(name, async (subsegment) => {
    for (const [key, value] of entries(annotations)) subsegment?.addAnnotation(key, value);
    try {
      return await work();
    } catch (error) {
      subsegment?.addError(error as Error);
      throw error;
    } finally {
      subsegment?.close();
    }
  })) as T;
}

/** A finished piece of work for {@link recordSpan}. */
export interface FinishedSpan {
  /** When it started (epoch ms); it ends now. */
  startedAt: number;
  /** Marks the subsegment as an error (a 4xx-like outcome: the work failed, not the function). */
  failed?: boolean;
  /** Shown with the subsegment (X-Ray metadata, not indexed). */
  metadata?: Readonly<Record<string, unknown>>;
}

/**
 * Record work that is already done as a closed subsegment `name` of the current one, annotated with
 * `annotations`, from `span.startedAt` to now. Unlike {@link traceSpan} nothing runs inside it, so a
 * caller can decide afterwards which items deserve a span: opening one around each of a thousand probes
 * (its async context, then a UDP packet each) cost about an eighth of a fan-out worker's CPU. Does
 * nothing when tracing is off or there is no segment.
 */
export function recordSpan(name: string, annotations: TraceAnnotations, span: FinishedSpan): void {
  if (!tracer.isTracingEnabled()) return;
  const parent = tracer.getSegment();
  if (parent === undefined) return;
  const subsegment = parent.addNewSubsegment(name);
  subsegment.start_time = span.startedAt / 1000;
  for (const [key, value] of entries(annotations)) subsegment.addAnnotation(key, value);
  if (span.metadata !== undefined) subsegment.addMetadata(name, span.metadata);
  if (span.failed === true) subsegment.addErrorFlag();
  subsegment.close();
}
