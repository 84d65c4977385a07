import { describe, expect, it } from 'vitest';
import { MetricStore } from '../../../local/metrics/index.js';

const STREAM = { StreamName: 'posts' };
const T0 = Date.UTC(2026, 0, 1, 12, 0, 0);

describe('Class: MetricStore', () => {
  it('returns Sum, Average, Maximum, Minimum and SampleCount per period, oldest first, periods with data only', () => {
    const store = new MetricStore();
    store.put('AWS/Kinesis', 'IncomingRecords', STREAM, T0 + 1_000, 500, 'Count');
    store.put('AWS/Kinesis', 'IncomingRecords', STREAM, T0 + 30_000, 100, 'Count');
    store.put('AWS/Kinesis', 'IncomingRecords', STREAM, T0 + 3 * 60_000, 7, 'Count');
    const points = store.query({
      namespace: 'AWS/Kinesis',
      name: 'IncomingRecords',
      dimensions: STREAM,
      start: T0,
      end: T0 + 5 * 60_000,
      periodSeconds: 60,
    });
    expect(points).toEqual([
      {
        timestamp: new Date(T0),
        Sum: 600,
        Average: 300,
        Maximum: 500,
        Minimum: 100,
        SampleCount: 2,
        unit: 'Count',
      },
      {
        timestamp: new Date(T0 + 180_000),
        Sum: 7,
        Average: 7,
        Maximum: 7,
        Minimum: 7,
        SampleCount: 1,
        unit: 'Count',
      },
    ]);
  });

  it('matches dimensions exactly and lists metrics like ListMetrics', () => {
    const store = new MetricStore();
    store.put('AWS/Kinesis', 'IncomingBytes', STREAM, T0, 10, 'Bytes');
    store.put('AWS/Kinesis', 'IncomingBytes', { ...STREAM, ShardId: 'shardId-000000000000' }, T0, 4, 'Bytes');
    const sum = (dimensions: Record<string, string>) =>
      store.query({
        namespace: 'AWS/Kinesis',
        name: 'IncomingBytes',
        dimensions,
        start: T0,
        end: T0 + 1,
        periodSeconds: 60,
      })[0]?.Sum;
    expect(sum(STREAM)).toBe(10);
    expect(sum({ ShardId: 'shardId-000000000000', StreamName: 'posts' })).toBe(4);
    expect(sum({ StreamName: 'other' })).toBeUndefined();
    expect(store.list({ namespace: 'AWS/Kinesis', dimensions: { ShardId: undefined } })).toEqual([
      {
        namespace: 'AWS/Kinesis',
        name: 'IncomingBytes',
        dimensions: { StreamName: 'posts', ShardId: 'shardId-000000000000' },
      },
    ]);
  });

  it('keeps one-second resolution for short periods, takes late samples, and drops what is older than the retention', () => {
    const store = new MetricStore({ retentionSeconds: 60 });
    store.put('A', 'm', {}, T0 + 2_500, 1);
    store.put('A', 'm', {}, T0 + 500, 2);
    const perSecond = store.query({
      namespace: 'A',
      name: 'm',
      dimensions: {},
      start: T0,
      end: T0 + 10_000,
      periodSeconds: 1,
    });
    expect(perSecond.map((p) => [p.timestamp.getTime() - T0, p.Sum])).toEqual([
      [0, 2],
      [2_000, 1],
    ]);
    store.put('A', 'm', {}, T0 + 120_000, 3);
    const all = store.query({
      namespace: 'A',
      name: 'm',
      dimensions: {},
      start: 0,
      end: T0 + 200_000,
      periodSeconds: 3600,
    });
    expect(all.map((p) => p.Sum)).toEqual([3]);
  });
});
