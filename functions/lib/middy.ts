/**
 * The middleware stack every Lambda entry point uses: Tracer opens the handler segment, Metrics flushes
 * EMF at the end, Logger adds the Lambda context (and an optional correlation id) to every log line.
 */
import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import { logMetrics } from '@aws-lambda-powertools/metrics/middleware';
import { captureLambdaHandler } from '@aws-lambda-powertools/tracer/middleware';
import middy from '@middy/core';
import type { Context } from 'aws-lambda';
import { logger, metrics, tracer } from './powertools.js';

/** A plain async Lambda handler, as written in `functions/<app>/handlers/`. */
export type AsyncHandler<TEvent, TResult> = (event: TEvent, context: Context) => Promise<TResult>;

/** Options of {@link withPowertools}. */
export interface WithPowertoolsOptions<TEvent> {
  /**
   * Where the event carries its correlation id (for example `event.requestContext.requestId`), added
   * to every log line as `correlation_id`. A function rather than Powertools' JMESPath
   * `correlationIdPath`, which needs the optional `@aws-lambda-powertools/jmespath` package.
   */
  correlationId?: (event: TEvent) => string | undefined;
  /** Emit a `ColdStart` metric on the first invocation of a container. Default true. */
  captureColdStartMetric?: boolean;
  /**
   * Record the handler's result as X-Ray metadata (Tracer `captureResponse`). Default true; turn it off
   * for handlers whose results carry secrets or capabilities (presigned URLs).
   */
  captureResponse?: boolean;
}

/**
 * Wrap a handler with @middy/core and the Powertools middlewares (`captureLambdaHandler`,
 * `logMetrics`, `injectLambdaContext`). The wrapped handler keeps the original's signature, so tests
 * can call either one.
 */
export function withPowertools<TEvent, TResult>(
  handler: AsyncHandler<TEvent, TResult>,
  options: WithPowertoolsOptions<TEvent> = {},
): AsyncHandler<TEvent, TResult> {
  const { correlationId, captureColdStartMetric = true, captureResponse = true } = options;
  return middy<TEvent, TResult>(handler)
    .use(captureLambdaHandler(tracer, { captureResponse }))
    .use(logMetrics(metrics, { captureColdStartMetric }))
    .use(injectLambdaContext(logger, { resetKeys: true }))
    .use({
      before: (request) => {
        const id = correlationId?.(request.event);
        if (id !== undefined && id !== '') logger.setCorrelationId(id);
      },
    });
}
