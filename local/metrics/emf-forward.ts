import { CloudWatchClient, type MetricDatum, PutMetricDataCommand } from '@aws-sdk/client-cloudwatch';
import type { EmfSample } from './emf.js';

/** PutMetricData takes at most this many data per request. */
const MAX_DATA_PER_REQUEST = 1000;

/**
 * EMF samples as PutMetricData data, by namespace: what CloudWatch Logs does with the lines of a
 * function on AWS, done by a client of the local CloudWatch (`npm run invoke` beside a running cloud).
 * The samples keep the function's own (wall-clock) timestamps; the local CloudWatch places them on its
 * metric clock as it does every client's.
 */
export function metricDataOf(samples: readonly EmfSample[]): Map<string, MetricDatum[]> {
  const byNamespace = new Map<string, MetricDatum[]>();
  for (const sample of samples) {
    const data = byNamespace.get(sample.namespace) ?? [];
    data.push({
      MetricName: sample.name,
      Dimensions: Object.entries(sample.dimensions).map(([Name, Value]) => ({ Name, Value })),
      Timestamp: new Date(sample.timestamp),
      Unit: sample.unit,
      Values: sample.values,
    });
    byNamespace.set(sample.namespace, data);
  }
  return byNamespace;
}

/** Sends the samples to the CloudWatch at `endpoint`; resolves with how many data it took. */
export async function putEmfMetrics(
  samples: readonly EmfSample[],
  endpoint: string,
  region: string,
): Promise<number> {
  const client = new CloudWatchClient({
    endpoint,
    region,
    credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
    maxAttempts: 2,
  });
  let sent = 0;
  try {
    for (const [Namespace, data] of metricDataOf(samples)) {
      for (let i = 0; i < data.length; i += MAX_DATA_PER_REQUEST) {
        const MetricData = data.slice(i, i + MAX_DATA_PER_REQUEST);
        await client.send(new PutMetricDataCommand({ Namespace, MetricData }));
        sent += MetricData.length;
      }
    }
  } finally {
    client.destroy();
  }
  return sent;
}

/**
 * One line per metric the samples name (namespace, name, dimensions), with how many values, their sum
 * and unit: what `npm run invoke` prints when no local CloudWatch keeps them.
 */
export function summariseEmf(samples: readonly EmfSample[]): string[] {
  const metrics = new Map<string, { values: number; sum: number; unit: string }>();
  for (const sample of samples) {
    const dimensions = Object.entries(sample.dimensions)
      .map(([name, value]) => `${name}=${value}`)
      .join(', ');
    const key = `${sample.namespace} ${sample.name}${dimensions === '' ? '' : ` {${dimensions}}`}`;
    const metric = metrics.get(key) ?? { values: 0, sum: 0, unit: sample.unit };
    metric.values += sample.values.length;
    metric.sum += sample.values.reduce((a, b) => a + b, 0);
    metrics.set(key, metric);
  }
  return [...metrics].map(
    ([key, m]) => `${key}: ${m.values === 1 ? '' : `${m.values} values, sum `}${m.sum} ${m.unit}`,
  );
}
