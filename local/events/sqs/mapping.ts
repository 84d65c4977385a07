import { setMaxListeners } from 'node:events';
import {
  DeleteMessageBatchCommand,
  type Message,
  ReceiveMessageCommand,
  type SQSClient,
} from '@aws-sdk/client-sqs';
import type { InvokeResult, Invoker, LocalLogger } from '../../types.js';
import type { SqsBatchLog } from './batch-log.js';
import { readSqsBatchResponse, type SqsBatchVerdict } from './batch-response.js';
import { sqsLambdaEvent } from './event.js';
import type { SqsMappingSettings } from './settings.js';

/** How the mapping polls; tests shorten them. */
export interface SqsMappingTiming {
  /** Long poll of an idle queue (Lambda's pollers wait 20 s). */
  idleWaitSeconds: number;
  /** Between short polls inside a batching window that has not filled. */
  windowPollMs: number;
  /** After a failed ReceiveMessage (the queue is gone, the emulator stopping). */
  errorBackoffMs: number;
  /**
   * Received messages stay hidden this long instead of the queue's VisibilityTimeout (tests: a failed
   * slice comes back in a second, not in 12 minutes). Lambda never sets it.
   */
  visibilityTimeoutSeconds?: number;
}

export const DEFAULT_SQS_TIMING: SqsMappingTiming = {
  idleWaitSeconds: 20,
  windowPollMs: 100,
  errorBackoffMs: 1_000,
};

/** What the mapping did, for tests and the bench. */
export interface SqsMappingStats {
  invocations: number;
  /** Messages deleted after their invocation succeeded for them. */
  deleted: number;
  /** Messages left for a retry (reported failed, or in a failed invocation). */
  retried: number;
  /** The most invocations in flight at once. */
  maxInFlight: number;
  /** Sizes of the batches delivered, in order. */
  batchSizes: number[];
}

export interface SqsMappingDeps {
  settings: SqsMappingSettings;
  client: SQSClient;
  queueUrl: string;
  invoker: Invoker;
  log: LocalLogger;
  batchLog: SqsBatchLog;
  timing: SqsMappingTiming;
}

/** How long stop() waits for invocations in flight before leaving their messages to come back. */
const STOP_GRACE_MS = 3_000;

const sleep = (ms: number, signal: AbortSignal) =>
  new Promise<void>((resolve) => {
    const timer = setTimeout(done, ms);
    function done() {
      clearTimeout(timer);
      signal.removeEventListener('abort', done);
      resolve();
    }
    signal.addEventListener('abort', done, { once: true });
  });

/**
 * One SQS event source mapping, as Lambda runs it: MaximumConcurrency pollers, each long-polling the
 * queue, gathering a batch (up to BatchSize messages, for at most MaximumBatchingWindowInSeconds after
 * the first), invoking the function synchronously with the `aws:sqs` event and then deleting what
 * succeeded: the whole batch after a success, all but the reported `batchItemFailures` with
 * ReportBatchItemFailures, nothing after an error. What is not deleted becomes visible again after
 * the visibility timeout and is received again; the queue's own RedrivePolicy (the local SQS applies
 * it) moves a message received more than maxReceiveCount times to its dead-letter queue.
 */
export class SqsMapping {
  readonly #deps: SqsMappingDeps;
  readonly #abort = new AbortController();
  readonly #loops: Promise<void>[] = [];
  #inFlight = 0;
  readonly stats: SqsMappingStats = {
    invocations: 0,
    deleted: 0,
    retried: 0,
    maxInFlight: 0,
    batchSizes: [],
  };

  constructor(deps: SqsMappingDeps) {
    this.#deps = deps;
    setMaxListeners(0, this.#abort.signal);
  }

  get id(): string {
    return this.#deps.settings.id;
  }

  /** Invocations in flight now. */
  get inFlight(): number {
    return this.#inFlight;
  }

  start(): void {
    for (let i = 0; i < this.#deps.settings.maximumConcurrency; i += 1) this.#loops.push(this.#poll());
  }

  /** Stops polling and waits briefly for invocations in flight (their messages come back otherwise). */
  async stop(): Promise<void> {
    this.#abort.abort();
    await Promise.race([
      Promise.allSettled(this.#loops),
      new Promise((resolve) => setTimeout(resolve, STOP_GRACE_MS).unref()),
    ]);
  }

  async #poll(): Promise<void> {
    const { signal } = this.#abort;
    while (!signal.aborted) {
      let batch: Message[];
      try {
        batch = await this.#collect(signal);
      } catch (error) {
        if (signal.aborted) return;
        this.#deps.log.warn(`sqs ${this.id}: ReceiveMessage failed: ${String(error)}`);
        await sleep(this.#deps.timing.errorBackoffMs, signal);
        continue;
      }
      if (batch.length > 0) await this.#deliver(batch);
    }
  }

  /** One batch: a long poll for the first message, then more until BatchSize or the window's end. */
  async #collect(signal: AbortSignal): Promise<Message[]> {
    const { settings, timing } = this.#deps;
    const batch: Message[] = [];
    let windowEnd: number | undefined;
    while (!signal.aborted && batch.length < settings.batchSize) {
      const waiting = windowEnd === undefined;
      const received = await this.#receive(
        Math.min(10, settings.batchSize - batch.length),
        waiting ? timing.idleWaitSeconds : 0,
        signal,
      );
      batch.push(...received);
      if (batch.length === 0) continue;
      windowEnd ??= Date.now() + settings.batchingWindowMs;
      const left = windowEnd - Date.now();
      if (left <= 0 || batch.length >= settings.batchSize) break;
      if (received.length === 0) await sleep(Math.min(timing.windowPollMs, left), signal);
    }
    return batch;
  }

  async #receive(max: number, waitSeconds: number, signal: AbortSignal): Promise<Message[]> {
    const { client, queueUrl, timing } = this.#deps;
    const { Messages } = await client.send(
      new ReceiveMessageCommand({
        QueueUrl: queueUrl,
        MaxNumberOfMessages: max,
        WaitTimeSeconds: waitSeconds,
        MessageSystemAttributeNames: ['All'],
        MessageAttributeNames: ['All'],
        ...(timing.visibilityTimeoutSeconds === undefined
          ? {}
          : { VisibilityTimeout: timing.visibilityTimeoutSeconds }),
      }),
      { abortSignal: signal },
    );
    return Messages ?? [];
  }

  async #deliver(batch: Message[]): Promise<void> {
    const { settings, invoker, batchLog } = this.#deps;
    this.#inFlight += 1;
    this.stats.maxInFlight = Math.max(this.stats.maxInFlight, this.#inFlight);
    this.stats.invocations += 1;
    this.stats.batchSizes.push(batch.length);
    let result: InvokeResult | undefined;
    let thrown: unknown;
    try {
      result = await invoker.invoke(settings.functionLogicalId, sqsLambdaEvent(batch, settings), {
        source: 'sqs',
      });
    } catch (error) {
      thrown = error;
    } finally {
      this.#inFlight -= 1;
    }
    const ids = batch.map((m) => m.MessageId ?? '');
    const verdict: SqsBatchVerdict =
      result === undefined
        ? { kind: 'failure', reason: String(thrown) }
        : !result.ok
          ? { kind: 'failure', reason: result.error?.errorMessage ?? 'the function failed' }
          : readSqsBatchResponse(result.payload, ids, settings.reportBatchItemFailures);
    const done =
      verdict.kind === 'success'
        ? batch
        : verdict.kind === 'partial'
          ? batch.filter((m) => !verdict.failed.has(m.MessageId ?? ''))
          : [];
    if (verdict.kind === 'failure' && result?.ok) {
      this.#deps.log.warn(`sqs ${this.id}: ${verdict.reason}; the whole batch will be retried`);
    }
    await this.#delete(done);
    this.stats.retried += batch.length - done.length;
    batchLog.record(this.id, {
      messages: batch.length,
      failedItems: verdict.kind === 'partial' ? verdict.failed.size : 0,
      error: verdict.kind === 'failure',
    });
  }

  /** Deletes the messages that are done, 10 per DeleteMessageBatch (as Lambda does after a batch). */
  async #delete(messages: readonly Message[]): Promise<void> {
    const { client, queueUrl } = this.#deps;
    for (let start = 0; start < messages.length; start += 10) {
      const chunk = messages.slice(start, start + 10);
      try {
        const { Failed } = await client.send(
          new DeleteMessageBatchCommand({
            QueueUrl: queueUrl,
            Entries: chunk.map((m, i) => ({ Id: String(i), ReceiptHandle: m.ReceiptHandle ?? '' })),
          }),
        );
        this.stats.deleted += chunk.length - (Failed?.length ?? 0);
      } catch (error) {
        // Not deleted: the messages come back after the visibility timeout, as on AWS.
        this.#deps.log.warn(`sqs ${this.id}: DeleteMessageBatch failed: ${String(error)}`);
      }
    }
  }
}
