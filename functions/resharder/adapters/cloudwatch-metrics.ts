/**
 * {@link StreamMetrics} over CloudWatch GetMetricData:
 * - stream demand: AWS/Kinesis IncomingBytes, IncomingRecords and WriteProvisionedThroughputExceeded
 *   (records refused by throttling), Sum per period, dimension StreamName;
 * - the consumer's lag: AWS/Lambda IteratorAge (Maximum) of the consumer function, or, without one,
 *   AWS/Kinesis GetRecords.IteratorAgeMilliseconds of the stream;
 * - per-shard traffic: AWS/Kinesis IncomingBytes/IncomingRecords with dimensions StreamName and ShardId
 *   (enhanced shard-level metrics; absent when they are off).
 */
import {
  type CloudWatchClient,
  GetMetricDataCommand,
  type MetricDataQuery,
  type MetricDataResult,
} from '@aws-sdk/client-cloudwatch';
import type { DemandSample } from '../domain/demand.js';
import type { ShardTraffic, StreamMetrics } from '../domain/ports.js';

/** GetMetricData takes at most 500 queries per call. */
const MAX_QUERIES = 500;

function query(
  id: string,
  namespace: string,
  metricName: string,
  dimensions: Record<string, string>,
  stat: string,
  period: number,
): MetricDataQuery {
  return {
    Id: id,
    ReturnData: true,
    MetricStat: {
      Metric: {
        Namespace: namespace,
        MetricName: metricName,
        Dimensions: Object.entries(dimensions).map(([Name, Value]) => ({ Name, Value })),
      },
      Period: period,
      Stat: stat,
    },
  };
}

/** Values by timestamp (ms) of one result. */
function series(result: MetricDataResult | undefined): Map<number, number> {
  const values = new Map<number, number>();
  const timestamps = result?.Timestamps ?? [];
  for (const [i, timestamp] of timestamps.entries()) {
    const value = result?.Values?.[i];
    if (value !== undefined) values.set(timestamp.getTime(), (values.get(timestamp.getTime()) ?? 0) + value);
  }
  return values;
}

export class CloudWatchStreamMetrics implements StreamMetrics {
  public constructor(
    private readonly client: CloudWatchClient,
    private readonly streamName: string,
    /** The Kinesis consumer function; undefined to use the stream's GetRecords iterator age. */
    private readonly consumerFunctionName: string | undefined,
  ) {}

  async #results(queries: MetricDataQuery[], start: Date, end: Date): Promise<Map<string, MetricDataResult>> {
    const results = new Map<string, MetricDataResult>();
    for (let i = 0; i < queries.length; i += MAX_QUERIES) {
      let nextToken: string | undefined;
      do {
        const page = await this.client.send(
          new GetMetricDataCommand({
            MetricDataQueries: queries.slice(i, i + MAX_QUERIES),
            StartTime: start,
            EndTime: end,
            ScanBy: 'TimestampAscending',
            ...(nextToken ? { NextToken: nextToken } : {}),
          }),
        );
        for (const result of page.MetricDataResults ?? []) {
          if (!result.Id) continue;
          const previous = results.get(result.Id);
          results.set(
            result.Id,
            previous
              ? {
                  ...previous,
                  Timestamps: [...(previous.Timestamps ?? []), ...(result.Timestamps ?? [])],
                  Values: [...(previous.Values ?? []), ...(result.Values ?? [])],
                }
              : result,
          );
        }
        nextToken = page.NextToken;
      } while (nextToken);
    }
    return results;
  }

  public async streamDemand(start: Date, end: Date, periodSeconds: number): Promise<DemandSample[]> {
    const stream = { StreamName: this.streamName };
    const results = await this.#results(
      [
        query('bytes', 'AWS/Kinesis', 'IncomingBytes', stream, 'Sum', periodSeconds),
        query('records', 'AWS/Kinesis', 'IncomingRecords', stream, 'Sum', periodSeconds),
        query('throttled', 'AWS/Kinesis', 'WriteProvisionedThroughputExceeded', stream, 'Sum', periodSeconds),
      ],
      start,
      end,
    );
    const bytes = series(results.get('bytes'));
    const records = series(results.get('records'));
    const throttled = series(results.get('throttled'));
    const times = [...new Set([...bytes.keys(), ...records.keys(), ...throttled.keys()])].sort(
      (a, b) => a - b,
    );
    return times.map((time) => ({
      start: new Date(time),
      periodSeconds,
      bytes: bytes.get(time) ?? 0,
      records: records.get(time) ?? 0,
      throttledRecords: throttled.get(time) ?? 0,
    }));
  }

  public async maxIteratorAgeMs(start: Date, end: Date): Promise<number | undefined> {
    const age = this.consumerFunctionName
      ? query('age', 'AWS/Lambda', 'IteratorAge', { FunctionName: this.consumerFunctionName }, 'Maximum', 60)
      : query(
          'age',
          'AWS/Kinesis',
          'GetRecords.IteratorAgeMilliseconds',
          { StreamName: this.streamName },
          'Maximum',
          60,
        );
    const values = [...series((await this.#results([age], start, end)).get('age')).values()];
    return values.length === 0 ? undefined : Math.max(...values);
  }

  public async shardTraffic(
    shardIds: readonly string[],
    start: Date,
    end: Date,
  ): Promise<Map<string, ShardTraffic>> {
    // One period covering the whole range (a multiple of 60 s, as CloudWatch requires beyond 60).
    const period = Math.max(60, Math.ceil((end.getTime() - start.getTime()) / 60_000) * 60);
    const queries = shardIds.flatMap((shardId, i) => {
      const dimensions = { StreamName: this.streamName, ShardId: shardId };
      return [
        query(`b${i}`, 'AWS/Kinesis', 'IncomingBytes', dimensions, 'Sum', period),
        query(`r${i}`, 'AWS/Kinesis', 'IncomingRecords', dimensions, 'Sum', period),
      ];
    });
    const results = await this.#results(queries, start, end);
    const traffic = new Map<string, ShardTraffic>();
    for (const [i, shardId] of shardIds.entries()) {
      const bytes = [...series(results.get(`b${i}`)).values()];
      const records = [...series(results.get(`r${i}`)).values()];
      if (bytes.length === 0 && records.length === 0) continue;
      traffic.set(shardId, {
        bytes: bytes.reduce((sum, value) => sum + value, 0),
        records: records.reduce((sum, value) => sum + value, 0),
      });
    }
    return traffic;
  }
}
