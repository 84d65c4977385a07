import type { Dimensions, MetricStore, MetricUnit } from '../../metrics/index.js';
import { KINESIS_NAMESPACE } from './constants.js';
import { iteratorPosition } from './shard-iterator.js';
import type { KinesisMiddleware, KinesisReply, KinesisRequest } from './types.js';

/** The throttling error of a record or a request (issue 4's per-shard write limits use it). */
const THROTTLED = 'ProvisionedThroughputExceededException';

/**
 * Records the stream-level and shard-level metrics Kinesis publishes to `AWS/Kinesis`, from every
 * PutRecord, PutRecords and GetRecords that goes through the proxy: IncomingRecords, IncomingBytes,
 * PutRecord.*, PutRecords.* (TotalRecords, SuccessfulRecords, FailedRecords, ThrottledRecords, Bytes,
 * Success, Latency), WriteProvisionedThroughputExceeded, GetRecords.* (Records, Bytes, Success, Latency,
 * IteratorAgeMilliseconds), ReadProvisionedThroughputExceeded; per shard IncomingRecords,
 * IncomingBytes, OutgoingRecords, OutgoingBytes and IteratorAgeMilliseconds. It sits outside any
 * middleware that refuses records, so throttled records are counted.
 *
 * Samples are stamped with `clock` (the local cloud's metric clock). With a time scale, one period of
 * that clock holds 1/`scale` of the traffic a real period would, so traffic volumes (records, bytes,
 * throttled records) are multiplied by `scale`: rates per second read the same on either clock, and
 * match the per-shard limits, which are per wall-clock second. Latencies and ages are wall-clock
 * milliseconds.
 */
export function kinesisMetrics(store: MetricStore, clock: () => number, scale = 1): KinesisMiddleware {
  return async (request, next) => {
    const reply = await next(request);
    const now = clock();
    const at: Moment = { latencyMs: (now - request.receivedAt) / scale, wallNow: Date.now() };
    const put = (dimensions: Dimensions, name: string, value: number, unit: MetricUnit) =>
      store.put(KINESIS_NAMESPACE, name, dimensions, now, VOLUMES.has(name) ? value * scale : value, unit);
    switch (request.operation) {
      case 'PutRecords':
        recordPutRecords(request, reply, at, put);
        break;
      case 'PutRecord':
        recordPutRecord(request, reply, at, put);
        break;
      case 'GetRecords':
        recordGetRecords(request, reply, at, put);
        break;
    }
    return reply;
  };
}

/** Metrics that count traffic (scaled with the clock); the others are latencies, ages and 0/1 flags. */
const VOLUMES: ReadonlySet<string> = new Set([
  'IncomingRecords',
  'IncomingBytes',
  'OutgoingRecords',
  'OutgoingBytes',
  'PutRecord.Bytes',
  'PutRecords.TotalRecords',
  'PutRecords.SuccessfulRecords',
  'PutRecords.FailedRecords',
  'PutRecords.ThrottledRecords',
  'PutRecords.Bytes',
  'GetRecords.Records',
  'GetRecords.Bytes',
  'WriteProvisionedThroughputExceeded',
  'ReadProvisionedThroughputExceeded',
]);

/** When a reply came back: the request's latency and the wall clock (records carry wall-clock arrival times). */
interface Moment {
  latencyMs: number;
  wallNow: number;
}

type Put = (dimensions: Dimensions, name: string, value: number, unit: MetricUnit) => void;

function recordPutRecords(request: KinesisRequest, reply: KinesisReply, at: Moment, put: Put): void {
  const streamName = request.input.StreamName;
  if (typeof streamName !== 'string') return;
  const stream = { StreamName: streamName };
  if (reply.status !== 200) {
    if (errorType(reply) === THROTTLED) put(stream, 'WriteProvisionedThroughputExceeded', 1, 'Count');
    return;
  }
  const sent = Array.isArray(request.input.Records) ? request.input.Records : [];
  const results = Array.isArray(reply.body.Records) ? reply.body.Records : [];
  let ok = 0;
  let bytes = 0;
  let throttled = 0;
  let failed = 0;
  const perShard = new Map<string, { records: number; bytes: number }>();
  results.forEach((result, i) => {
    const r = object(result);
    if (typeof r.SequenceNumber === 'string') {
      const size = recordBytes(sent[i]);
      ok += 1;
      bytes += size;
      const shardId = typeof r.ShardId === 'string' ? r.ShardId : 'unknown';
      const shard = perShard.get(shardId) ?? { records: 0, bytes: 0 };
      shard.records += 1;
      shard.bytes += size;
      perShard.set(shardId, shard);
    } else if (r.ErrorCode === THROTTLED) {
      throttled += 1;
    } else {
      failed += 1;
    }
  });
  put(stream, 'IncomingRecords', ok, 'Count');
  put(stream, 'IncomingBytes', bytes, 'Bytes');
  put(stream, 'PutRecords.TotalRecords', sent.length, 'Count');
  put(stream, 'PutRecords.SuccessfulRecords', ok, 'Count');
  put(stream, 'PutRecords.FailedRecords', failed, 'Count');
  put(stream, 'PutRecords.ThrottledRecords', throttled, 'Count');
  put(stream, 'PutRecords.Bytes', bytes, 'Bytes');
  put(stream, 'PutRecords.Success', ok > 0 ? 1 : 0, 'Count');
  put(stream, 'PutRecords.Latency', at.latencyMs, 'Milliseconds');
  put(stream, 'WriteProvisionedThroughputExceeded', throttled, 'Count');
  for (const [shardId, shard] of perShard) {
    const dims = { StreamName: streamName, ShardId: shardId };
    put(dims, 'IncomingRecords', shard.records, 'Count');
    put(dims, 'IncomingBytes', shard.bytes, 'Bytes');
  }
}

function recordPutRecord(request: KinesisRequest, reply: KinesisReply, at: Moment, put: Put): void {
  const streamName = request.input.StreamName;
  if (typeof streamName !== 'string') return;
  const stream = { StreamName: streamName };
  if (reply.status !== 200) {
    if (errorType(reply) === THROTTLED) {
      put(stream, 'WriteProvisionedThroughputExceeded', 1, 'Count');
      put(stream, 'PutRecord.Success', 0, 'Count');
    }
    return;
  }
  const size = recordBytes(request.input);
  put(stream, 'IncomingRecords', 1, 'Count');
  put(stream, 'IncomingBytes', size, 'Bytes');
  put(stream, 'PutRecord.Success', 1, 'Count');
  put(stream, 'PutRecord.Bytes', size, 'Bytes');
  put(stream, 'PutRecord.Latency', at.latencyMs, 'Milliseconds');
  put(stream, 'WriteProvisionedThroughputExceeded', 0, 'Count');
  if (typeof reply.body.ShardId === 'string') {
    const dims = { StreamName: streamName, ShardId: reply.body.ShardId };
    put(dims, 'IncomingRecords', 1, 'Count');
    put(dims, 'IncomingBytes', size, 'Bytes');
  }
}

function recordGetRecords(request: KinesisRequest, reply: KinesisReply, at: Moment, put: Put): void {
  const position = iteratorPosition(request.input.ShardIterator);
  if (!position) return;
  const stream = { StreamName: position.streamName };
  const shard = { StreamName: position.streamName, ShardId: position.shardId };
  if (reply.status !== 200) {
    if (errorType(reply) === THROTTLED) put(stream, 'ReadProvisionedThroughputExceeded', 1, 'Count');
    put(stream, 'GetRecords.Success', 0, 'Count');
    return;
  }
  const records = (Array.isArray(reply.body.Records) ? reply.body.Records : []).map(object);
  const bytes = records.reduce((total, r) => total + base64Bytes(r.Data), 0);
  const last = records.at(-1);
  // The age of the last record returned; a consumer that is caught up reads nothing and is 0 behind.
  const age =
    last && typeof last.ApproximateArrivalTimestamp === 'number'
      ? Math.max(0, at.wallNow - last.ApproximateArrivalTimestamp * 1000)
      : Number(reply.body.MillisBehindLatest ?? 0);
  put(stream, 'GetRecords.Records', records.length, 'Count');
  put(stream, 'GetRecords.Bytes', bytes, 'Bytes');
  put(stream, 'GetRecords.Success', 1, 'Count');
  put(stream, 'GetRecords.Latency', at.latencyMs, 'Milliseconds');
  put(stream, 'GetRecords.IteratorAgeMilliseconds', age, 'Milliseconds');
  put(stream, 'ReadProvisionedThroughputExceeded', 0, 'Count');
  put(shard, 'OutgoingRecords', records.length, 'Count');
  put(shard, 'OutgoingBytes', bytes, 'Bytes');
  put(shard, 'IteratorAgeMilliseconds', age, 'Milliseconds');
}

/** A record's size as Kinesis counts it against a shard: data blob plus partition key. */
export function recordBytes(record: unknown): number {
  const r = object(record);
  const key = typeof r.PartitionKey === 'string' ? Buffer.byteLength(r.PartitionKey, 'utf8') : 0;
  return base64Bytes(r.Data) + key;
}

function base64Bytes(data: unknown): number {
  return typeof data === 'string' ? Buffer.byteLength(data, 'base64') : 0;
}

function errorType(reply: KinesisReply): string {
  const type = String(reply.body.__type ?? '');
  return type.slice(type.lastIndexOf('#') + 1);
}

function object(value: unknown): Record<string, unknown> {
  return typeof value === 'object' && value !== null ? (value as Record<string, unknown>) : {};
}
