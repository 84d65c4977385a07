import { createHash, randomUUID } from 'node:crypto';
import {
  type _Record,
  GetRecordsCommand,
  type GetRecordsCommandOutput,
  GetShardIteratorCommand,
  type GetShardIteratorCommandInput,
  type KinesisClient,
} from '@aws-sdk/client-kinesis';
import type { MetricStore } from '../../metrics/index.js';
import type { InvokeResult, Invoker, LocalLogger } from '../../types.js';
import type { BatchLog } from './batch-log.js';
import { readBatchResponse } from './batch-response.js';
import type { CheckpointStore } from './checkpoints.js';
import { eventBytes, kinesisLambdaEvent, MAX_EVENT_BYTES } from './event.js';
import type { FailureDestinations } from './failure-destination.js';
import { type FailureCondition, failureRecord, type LastInvocation } from './failure-record.js';
import type { MappingSettings } from './settings.js';
import { ChangeSignal, pause } from './signal.js';
import type { MappingTiming, StreamRecord } from './types.js';

/** Where a shard is read from first. */
export interface ShardStart {
  type: 'TRIM_HORIZON' | 'LATEST' | 'AFTER_SEQUENCE_NUMBER';
  sequenceNumber?: string;
  /** Records that arrived before this are skipped (LATEST and AT_TIMESTAMP resumed, AT_TIMESTAMP). */
  notBeforeMs?: number;
}

/** Everything a shard consumer uses; shared by the shards of one mapping. */
export interface ShardConsumerDeps {
  settings: MappingSettings;
  client: KinesisClient;
  invoker: Invoker;
  checkpoints: CheckpointStore;
  destinations: FailureDestinations;
  batchLog: BatchLog;
  metrics?: MetricStore;
  /** What IteratorAge samples are stamped with: the local cloud's metric clock (Date.now without one). */
  metricClock?: () => number;
  log: LocalLogger;
  timing: MappingTiming;
  signal: AbortSignal;
}

/** A batch (or half of one) on its way through retries. */
interface Attempt {
  records: StreamRecord[];
  /** Failed invocations counted against MaximumRetryAttempts (bisection does not count). */
  retries: number;
  /** Invocations that included these records so far. */
  invokes: number;
  last?: LastInvocation;
}

/**
 * Reads one shard in order and invokes the function with its records as Lambda's event source mapping
 * does: GetRecords into a bounded buffer; ParallelizationFactor lanes keyed by a hash of the partition
 * key (records of one key stay in order in one lane); batches of up to BatchSize records (and 6 MB)
 * after at most the batching window; ReportBatchItemFailures, BisectBatchOnFunctionError,
 * MaximumRetryAttempts and MaximumRecordAgeInSeconds on failure, discarded records reported to the
 * OnFailure destination. The shard's checkpoint is the last record before which every record is done.
 * `run()` resolves `ended` once the shard is closed and drained, `stopped` when the mapping stops.
 */
export class ShardConsumer {
  readonly shardId: string;
  readonly #deps: ShardConsumerDeps;
  readonly #start: ShardStart;
  readonly #lanes: StreamRecord[][];
  readonly #maxBuffered: number;
  readonly #data = new ChangeSignal();
  readonly #room = new ChangeSignal();
  /** Records read and not yet done, in read order. */
  #pending: StreamRecord[] = [];
  readonly #done = new Set<number>();
  #buffered = 0;
  #position = 0;
  #lastRead?: string;
  #readerDone = false;
  #warned = new Set<string>();

  constructor(deps: ShardConsumerDeps, shardId: string, start: ShardStart) {
    this.#deps = deps;
    this.shardId = shardId;
    this.#start = start;
    const { batchSize, parallelizationFactor } = deps.settings;
    this.#lanes = Array.from({ length: parallelizationFactor }, () => []);
    // Enough to fill every lane's next batch, bounded so a slow function does not hold the whole shard in memory.
    this.#maxBuffered = Math.max(
      batchSize,
      Math.min(20_000, Math.max(1_000, batchSize * parallelizationFactor * 2)),
    );
  }

  async run(): Promise<'ended' | 'stopped'> {
    const reader = this.#read();
    await Promise.all([reader, ...this.#lanes.map((lane) => this.#runLane(lane))]);
    if (this.#deps.signal.aborted || !this.#readerDone) return 'stopped';
    this.#deps.checkpoints.set(this.shardId, { ended: true });
    return 'ended';
  }

  // ---- reading

  async #read(): Promise<void> {
    const { client, signal, timing } = this.#deps;
    let iterator = await this.#iterator(this.#start);
    while (!signal.aborted && iterator) {
      if (this.#buffered >= this.#maxBuffered) {
        await this.#room.wait(timing.pollIntervalMs, signal);
        continue;
      }
      let output: GetRecordsCommandOutput;
      try {
        output = await client.send(
          new GetRecordsCommand({
            ShardIterator: iterator,
            Limit: Math.min(10_000, this.#maxBuffered - this.#buffered),
          }),
          { abortSignal: signal },
        );
      } catch (error) {
        if (signal.aborted) return;
        const name = (error as Error).name;
        if (name === 'ExpiredIteratorException') {
          iterator = await this.#iterator(this.#resumePoint());
        } else {
          this.#warnOnce(name, `GetRecords on ${this.shardId} failed: ${String(error)}`);
          await pause(timing.pollIntervalMs, signal);
        }
        continue;
      }
      const records = output.Records ?? [];
      this.#accept(records);
      if (!output.NextShardIterator) {
        this.#readerDone = true;
        this.#data.notify();
        return;
      }
      iterator = output.NextShardIterator;
      if (records.length === 0) await pause(timing.pollIntervalMs, signal);
    }
  }

  /** Buffers what GetRecords returned: into the lane of its partition key, and into the pending list. */
  #accept(records: _Record[]): void {
    const now = Date.now();
    const notBefore = this.#start.notBeforeMs ?? Number.NEGATIVE_INFINITY;
    for (const r of records) {
      this.#lastRead = r.SequenceNumber;
      const arrivalMs = r.ApproximateArrivalTimestamp?.getTime() ?? now;
      if (arrivalMs < notBefore) continue;
      const record: StreamRecord = {
        shardId: this.shardId,
        sequenceNumber: r.SequenceNumber ?? '',
        partitionKey: r.PartitionKey ?? '',
        data: Buffer.from(r.Data ?? new Uint8Array()).toString('base64'),
        arrivalMs,
        position: this.#position++,
        readAt: now,
      };
      this.#pending.push(record);
      this.#laneOf(record.partitionKey).push(record);
      this.#buffered += 1;
    }
    if (records.length > 0) this.#data.notify();
  }

  #laneOf(partitionKey: string): StreamRecord[] {
    if (this.#lanes.length === 1) return this.#lanes[0] as StreamRecord[];
    const hash = createHash('md5').update(partitionKey).digest().readUInt32BE(0);
    return this.#lanes[hash % this.#lanes.length] as StreamRecord[];
  }

  /** A shard iterator for `start`; an invalid saved position falls back to the shard's start. */
  async #iterator(start: ShardStart): Promise<string | undefined> {
    const { client, settings, signal, timing } = this.#deps;
    const input: GetShardIteratorCommandInput = {
      StreamName: settings.streamName,
      ShardId: this.shardId,
      ShardIteratorType: start.type,
      StartingSequenceNumber: start.type === 'AFTER_SEQUENCE_NUMBER' ? start.sequenceNumber : undefined,
    };
    while (!signal.aborted) {
      try {
        return (await client.send(new GetShardIteratorCommand(input), { abortSignal: signal })).ShardIterator;
      } catch (error) {
        if (signal.aborted) return undefined;
        if (
          (error as Error).name === 'InvalidArgumentException' &&
          input.ShardIteratorType === 'AFTER_SEQUENCE_NUMBER'
        ) {
          this.#deps.log.warn(
            `kinesis ${settings.id}: checkpoint ${input.StartingSequenceNumber} of ${this.shardId} is not in the stream; reading it from its start`,
          );
          input.ShardIteratorType = 'TRIM_HORIZON';
          input.StartingSequenceNumber = undefined;
          continue;
        }
        this.#warnOnce('iterator', `GetShardIterator on ${this.shardId} failed: ${String(error)}`);
        await pause(timing.pollIntervalMs, signal);
      }
    }
    return undefined;
  }

  /** After an expired iterator: just after the last record read, or where reading started. */
  #resumePoint(): ShardStart {
    return this.#lastRead ? { type: 'AFTER_SEQUENCE_NUMBER', sequenceNumber: this.#lastRead } : this.#start;
  }

  // ---- processing

  async #runLane(lane: StreamRecord[]): Promise<void> {
    const { settings, signal, timing } = this.#deps;
    while (!signal.aborted) {
      const head = lane[0];
      if (!head) {
        if (this.#readerDone) return;
        await this.#data.wait(timing.pollIntervalMs, signal);
        continue;
      }
      const waited = Date.now() - head.readAt;
      const full = lane.length >= settings.batchSize || this.#laneBytes(lane) >= MAX_EVENT_BYTES;
      if (!full && !this.#readerDone && waited < settings.batchingWindowMs) {
        await this.#data.wait(settings.batchingWindowMs - waited, signal);
        continue;
      }
      const batch = this.#take(lane);
      this.#room.notify();
      const completed = await this.#process(batch);
      if (!completed) return;
      this.#markDone(batch);
    }
  }

  #laneBytes(lane: StreamRecord[]): number {
    let bytes = 0;
    for (const r of lane) {
      bytes += eventBytes(r);
      if (bytes >= MAX_EVENT_BYTES) break;
    }
    return bytes;
  }

  /** Up to BatchSize records from the lane's head, within the payload limit (at least one). */
  #take(lane: StreamRecord[]): StreamRecord[] {
    let count = 0;
    let bytes = 0;
    while (count < lane.length && count < this.#deps.settings.batchSize) {
      const size = eventBytes(lane[count] as StreamRecord);
      if (count > 0 && bytes + size > MAX_EVENT_BYTES) break;
      bytes += size;
      count += 1;
    }
    this.#buffered -= count;
    return lane.splice(0, count);
  }

  /**
   * Delivers a batch until every record in it is done (processed, or given up on and reported);
   * false when the mapping stopped first (the records stay after the checkpoint and come again).
   */
  async #process(batch: StreamRecord[]): Promise<boolean> {
    const { settings, signal } = this.#deps;
    const work: Attempt[] = [{ records: batch, retries: 0, invokes: 0 }];
    while (work.length > 0) {
      if (signal.aborted) return false;
      const attempt = work.shift() as Attempt;
      const fresh = await this.#dropExpired(attempt);
      if (fresh.length === 0) continue;
      attempt.records = fresh;

      const result = await this.#invoke(fresh);
      // Stopping: whatever the answer, the records stay after the checkpoint and come again.
      if (!result || signal.aborted) return false;
      attempt.invokes += 1;
      attempt.last = { requestId: result.requestId, functionError: !result.ok, invokeCount: attempt.invokes };

      if (result.ok) {
        const verdict = settings.reportBatchItemFailures
          ? readBatchResponse(result.payload, fresh)
          : ({ kind: 'success' } as const);
        if (verdict.kind === 'success') {
          this.#logBatch(fresh.length, 0, false, 0);
          continue;
        }
        if (verdict.kind === 'partial') {
          // Checkpoint before the lowest failed record; retry from it (a bisected batch splits there).
          const rest = fresh.slice(verdict.index);
          this.#markDone(fresh.slice(0, verdict.index));
          const retries = attempt.retries + 1;
          if (retries > settings.maximumRetryAttempts) {
            this.#logBatch(fresh.length, verdict.failed, false, rest.length);
            await this.#discard(rest, 'RetryAttemptsExhausted', attempt.last);
            continue;
          }
          this.#logBatch(fresh.length, verdict.failed, false, 0);
          await pause(this.#backoff(retries), signal);
          work.unshift({ ...attempt, records: rest, retries });
          continue;
        }
        this.#warnOnce(
          verdict.reason,
          `${settings.functionLogicalId}: ${verdict.reason}; the whole batch failed`,
        );
      }

      // The function failed (or its partial response was invalid): the whole batch failed.
      if (settings.bisectOnError && fresh.length > 1) {
        const middle = Math.ceil(fresh.length / 2);
        this.#logBatch(fresh.length, 0, true, 0);
        work.unshift(
          { ...attempt, records: fresh.slice(0, middle) },
          { ...attempt, records: fresh.slice(middle) },
        );
        continue;
      }
      const retries = attempt.retries + 1;
      if (retries > settings.maximumRetryAttempts) {
        this.#logBatch(fresh.length, 0, true, fresh.length);
        await this.#discard(fresh, 'RetryAttemptsExhausted', attempt.last);
        continue;
      }
      this.#logBatch(fresh.length, 0, true, 0);
      await pause(this.#backoff(retries), signal);
      work.unshift({ ...attempt, retries });
    }
    return !signal.aborted || work.length === 0;
  }

  async #invoke(records: StreamRecord[]): Promise<InvokeResult | undefined> {
    const { settings, invoker, metrics } = this.#deps;
    const last = records.at(-1);
    if (metrics && last) {
      metrics.put(
        'AWS/Lambda',
        'IteratorAge',
        { FunctionName: settings.functionName },
        (this.#deps.metricClock ?? Date.now)(),
        Date.now() - last.arrivalMs,
        'Milliseconds',
      );
    }
    try {
      return await invoker.invoke(settings.functionLogicalId, kinesisLambdaEvent(records, settings), {
        source: 'kinesis',
      });
    } catch (error) {
      // The runner refuses only when the local cloud is stopping or misconfigured.
      if (this.#deps.signal.aborted) return undefined;
      return {
        requestId: randomUUID(),
        ok: false,
        durationMs: 0,
        error: { errorType: 'InvokeError', errorMessage: String(error) },
      };
    }
  }

  /** Drops (and reports) records older than MaximumRecordAgeInSeconds; returns the rest. */
  async #dropExpired(attempt: Attempt): Promise<StreamRecord[]> {
    const limit = this.#deps.settings.maximumRecordAgeMs;
    if (!Number.isFinite(limit)) return attempt.records;
    const oldest = Date.now() - limit;
    const expired = attempt.records.filter((r) => r.arrivalMs < oldest);
    if (expired.length === 0) return attempt.records;
    this.#logBatch(0, 0, false, expired.length);
    await this.#discard(expired, 'RecordAgeExceeded', attempt.last);
    return attempt.records.filter((r) => r.arrivalMs >= oldest);
  }

  /** Gives up on records: the failure record goes to the OnFailure destination; they count as done. */
  async #discard(records: StreamRecord[], condition: FailureCondition, last: LastInvocation | undefined) {
    const { settings, destinations, log } = this.#deps;
    const document = failureRecord(records, condition, settings, last);
    const range = `${records[0]?.sequenceNumber}…${records.at(-1)?.sequenceNumber}`;
    if (!settings.onFailure) {
      log.warn(
        `kinesis ${settings.id}: ${condition}: ${records.length} record(s) of ${this.shardId} dropped (${range}); no OnFailure destination`,
      );
    } else {
      try {
        await destinations.deliver(settings.onFailure, document);
      } catch (error) {
        log.error(
          `kinesis ${settings.id}: could not deliver the failure record of ${range} to ${settings.onFailure.arn}: ${String(error)}`,
        );
      }
    }
    this.#markDone(records);
  }

  /** Marks records done and moves the checkpoint over every done record at the head of the pending list. */
  #markDone(records: readonly StreamRecord[]): void {
    const floor = this.#pending[0]?.position ?? this.#position;
    for (const r of records) if (r.position >= floor) this.#done.add(r.position);
    let checkpoint: string | undefined;
    let advanced = 0;
    while (
      advanced < this.#pending.length &&
      this.#done.has((this.#pending[advanced] as StreamRecord).position)
    ) {
      const record = this.#pending[advanced] as StreamRecord;
      this.#done.delete(record.position);
      checkpoint = record.sequenceNumber;
      advanced += 1;
    }
    if (advanced > 0) this.#pending = this.#pending.slice(advanced);
    if (checkpoint) this.#deps.checkpoints.set(this.shardId, { sequenceNumber: checkpoint });
  }

  #backoff(retries: number): number {
    const { retryBaseMs, retryMaxMs } = this.#deps.timing;
    return Math.min(retryMaxMs, retryBaseMs * 2 ** (retries - 1));
  }

  #logBatch(records: number, failedItems: number, error: boolean, discarded: number): void {
    this.#deps.batchLog.record(this.#deps.settings.functionLogicalId, {
      shardId: this.shardId,
      records,
      failedItems,
      error,
      discarded,
    });
  }

  #warnOnce(key: string, message: string): void {
    if (this.#warned.has(key)) return;
    this.#warned.add(key);
    this.#deps.log.warn(`kinesis ${this.#deps.settings.id}: ${message}`);
  }
}
