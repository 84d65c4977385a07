/**
 * The producers' count of records PostsStream refused (ProvisionedThroughputExceeded), published the
 * moment a PutRecords answer refuses any: a high-resolution EMF metric (`Kumo/Posts` `RecordsRefused`,
 * dimension `service`) that ScaleOutRefusedAlarm judges every 10 seconds. The stream's own one-minute
 * metrics show the same refusals a minute or two later (docs/resharding.md, "Refused writes").
 */
import { MetricResolution } from '@aws-lambda-powertools/metrics';
import { MetricUnit, metrics } from '../../lib/powertools.js';

/** Publishes `count` refused records now, in its own EMF document (not at the end of the invocation). */
export function publishRefusedRecords(count: number): void {
  if (count <= 0) return;
  // A single metric is written as soon as it is added: a streaming producer runs for many minutes, and
  // the invocation's metrics are flushed only when it ends.
  metrics.singleMetric().addMetric('RecordsRefused', MetricUnit.Count, count, MetricResolution.High);
}
