/**
 * ReshardFunction: a scale-out or scale-in alarm of PostsStream, through ReshardTopic → the stream
 * resharded (or not), both alarms retargeted. One structured log line per decision (`Reshard decision`:
 * outcome, from, to, reason, utilisation...) and EMF metrics in Kumo/Resharding. On its schedule, a
 * forecast run instead (`Reshard forecast`): scale out ahead of the next hour's forecast demand.
 */
import type { Context } from 'aws-lambda';
import { cloudWatchClient } from '../../lib/clients/cloudwatch.js';
import { documentClient } from '../../lib/clients/dynamodb.js';
import { kinesisClient } from '../../lib/clients/kinesis.js';
import { withPowertools } from '../../lib/middy.js';
import { logger, MetricUnit, metrics, publishMetricsWithDimensions } from '../../lib/powertools.js';
import { annotate } from '../../lib/tracing.js';
import { CloudWatchAlarmStore } from '../adapters/cloudwatch-alarms.js';
import { CloudWatchStreamMetrics } from '../adapters/cloudwatch-metrics.js';
import { loadResharderConfig } from '../adapters/config.js';
import { DynamoReshardHistory } from '../adapters/history-table.js';
import { KinesisStreamControl } from '../adapters/kinesis-stream.js';
import { isScheduledEvent, parseAlarmNotifications } from '../domain/event.js';
import { type ForecastReport, runForecast } from '../domain/forecast-run.js';
import { handleAlarmNotification, type ReshardDeps, type ReshardReport } from '../domain/reshard.js';

const config = loadResharderConfig(process.env);
const deps: ReshardDeps = {
  stream: new KinesisStreamControl(kinesisClient, config.streamName),
  alarms: new CloudWatchAlarmStore(cloudWatchClient),
  metrics: new CloudWatchStreamMetrics(cloudWatchClient, config.streamName, config.consumerFunctionName),
  history: new DynamoReshardHistory(documentClient, config.historyTable, config.streamName),
  logger,
  now: () => new Date(),
};

/** Time kept in hand at the end of an invocation: the fallback stops splitting this long before the timeout. */
const SAFETY_MARGIN_MS = 15_000;

/** What the function returns: one report per alarm notification of the event. */
export interface ReshardResult {
  reports: ReshardReport[];
  /** Records that were not alarm notifications (logged, not retried: a retry would not parse either). */
  invalid: number;
  /** A scheduled event: what the forecast run did. */
  forecast?: ForecastReport;
}

function emitForecast(report: ForecastReport): void {
  logger.info('Reshard forecast', { ...report, dryRun: config.dryRun, streamName: config.streamName });
  publishMetricsWithDimensions({ Outcome: report.outcome }, [
    { name: 'ForecastRuns', unit: MetricUnit.Count, value: 1 },
  ]);
  if (report.forecastShards !== undefined) {
    metrics.addMetric('ForecastShards', MetricUnit.Count, Math.round(report.forecastShards * 100) / 100);
  }
  if (report.outcome === 'scaled' && report.from !== undefined && report.to !== undefined) {
    metrics.addMetric('ForecastScaleOuts', MetricUnit.Count, 1);
    metrics.addMetric('ShardCount', MetricUnit.Count, report.to);
    metrics.addMetric('ShardDelta', MetricUnit.Count, report.to - report.from);
  }
}

function emit(report: ReshardReport): void {
  logger.info('Reshard decision', { ...report, dryRun: config.dryRun, streamName: config.streamName });
  publishMetricsWithDimensions({ Outcome: report.outcome, Direction: report.direction ?? 'none' }, [
    { name: 'Decisions', unit: MetricUnit.Count, value: 1 },
  ]);
  if (report.utilisation !== undefined && Number.isFinite(report.utilisation)) {
    metrics.addMetric('PeakUtilisation', MetricUnit.Percent, Math.round(report.utilisation * 1000) / 10);
  }
  if (report.outcome === 'scaled' && report.from !== undefined && report.to !== undefined) {
    metrics.addMetric(report.to > report.from ? 'ScaleOuts' : 'ScaleIns', MetricUnit.Count, 1);
    metrics.addMetric('ShardCount', MetricUnit.Count, report.to);
    metrics.addMetric('ShardDelta', MetricUnit.Count, report.to - report.from);
  }
  if (report.operations) metrics.addMetric('FallbackOperations', MetricUnit.Count, report.operations);
}

/** The handler before middleware: validate (log, never throw), then one decision per notification. */
export async function reshard(event: unknown, context?: Context): Promise<ReshardResult> {
  annotate({ streamName: config.streamName });
  if (isScheduledEvent(event)) {
    const forecast = await runForecast(config, deps);
    emitForecast(forecast);
    return { reports: [], invalid: 0, forecast };
  }
  const { notifications, errors } = parseAlarmNotifications(event);
  for (const error of errors) logger.error('Not an alarm notification; ignored', { error });
  if (errors.length > 0) metrics.addMetric('InvalidNotifications', MetricUnit.Count, errors.length);
  const remainingMs = context?.getRemainingTimeInMillis() ?? 60_000;
  const deadline = new Date(Date.now() + Math.max(0, remainingMs - SAFETY_MARGIN_MS));
  const reports: ReshardReport[] = [];
  for (const notification of notifications) {
    const report = await handleAlarmNotification(notification, config, deps, deadline);
    emit(report);
    reports.push(report);
  }
  return { reports, invalid: errors.length };
}

/** Lambda entry point (template.yaml: `reshard.handler`). */
export const handler = withPowertools(reshard, {
  correlationId: (event) => {
    if (isScheduledEvent(event)) return event.id;
    const id = (event as { Records?: { Sns?: { MessageId?: unknown } }[] } | null)?.Records?.[0]?.Sns
      ?.MessageId;
    return typeof id === 'string' ? id : undefined;
  },
});
