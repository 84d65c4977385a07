/**
 * The Powertools instances every handler shares, created once per container. All configuration comes
 * from the standard environment variables (`POWERTOOLS_SERVICE_NAME`, `POWERTOOLS_METRICS_NAMESPACE`,
 * `POWERTOOLS_LOG_LEVEL`, `POWERTOOLS_TRACE_ENABLED`, ...), which template.yaml sets per function.
 */
import { Logger } from '@aws-lambda-powertools/logger';
import { Metrics, MetricUnit } from '@aws-lambda-powertools/metrics';
import { Tracer } from '@aws-lambda-powertools/tracer';
import { keepPortsInHttpSegmentNames } from './http-segment-names.js';

/** Structured JSON logger; `injectLambdaContext` adds the request id and cold start to every line. */
export const logger = new Logger();

/** X-Ray tracer; wrap every SDK client with `tracer.captureAWSv3Client`. */
export const tracer = new Tracer();

// HTTP subsegments named `host:port` when the port is not the default (the SDK names them by host only).
if (tracer.isTracingEnabled()) keepPortsInHttpSegmentNames(tracer);

/**
 * Metrics' own diagnostics go through the Logger (JSON, with the request's context). Its notice that an
 * invocation added no metrics is expected for handlers that only sometimes emit (every API request
 * would log it), so it is logged at DEBUG; every other warning stays a WARN.
 */
const metricsDiagnostics = {
  debug: (message: string) => logger.debug(message),
  info: (message: string) => logger.info(message),
  warn: (message: string) =>
    message.startsWith('No application metrics to publish') ? logger.debug(message) : logger.warn(message),
  error: (message: string) => logger.error(message),
};

/** EMF metrics, flushed by the `logMetrics` middleware at the end of each invocation. */
export const metrics = new Metrics({ logger: metricsDiagnostics });

export { MetricUnit };

/** Unit names accepted by {@link publishMetricsWithDimensions}. */
export type MetricUnitName = (typeof MetricUnit)[keyof typeof MetricUnit];

/** One metric value for {@link publishMetricsWithDimensions}. */
export interface MetricValue {
  name: string;
  unit: MetricUnitName;
  value: number;
}

/**
 * Emit one EMF document holding `values` under its own `dimensions` (for example one document per
 * monitored site), immediately and apart from the invocation's buffered metrics. The shared
 * {@link metrics} instance cannot do this: its dimensions apply to every metric it buffers.
 *
 * One instance serves every call: publishing clears its metrics and dimensions (not its defaults). A
 * new Metrics per call built its own Console each time, about a tenth of the CPU of a slice that emits
 * one document per monitor.
 */
export function publishMetricsWithDimensions(
  dimensions: Readonly<Record<string, string>>,
  values: readonly MetricValue[],
): void {
  if (values.length === 0) return;
  dimensionMetrics ??= new Metrics({ logger: metricsDiagnostics });
  const scoped = dimensionMetrics;
  try {
    for (const [name, value] of Object.entries(dimensions)) scoped.addDimension(name, value);
    for (const { name, unit, value } of values) scoped.addMetric(name, unit, value);
  } catch (error) {
    // Nothing of a refused document may leak into the next one.
    scoped.clearMetrics();
    scoped.clearDimensions();
    throw error;
  }
  scoped.publishStoredMetrics();
}

let dimensionMetrics: Metrics | undefined;
