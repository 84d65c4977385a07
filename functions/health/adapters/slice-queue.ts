/**
 * The fan-out's slice queue over SQS (domain/fan-out.ts): one message per slice, 10 per
 * SendMessageBatch (8 requests at once), entries SQS refused retried with backoff. A slice holds ids
 * only (a few kB), far under SQS's message size limit.
 */
import {
  SendMessageBatchCommand,
  type SendMessageBatchRequestEntry,
  type SQSClient,
} from '@aws-sdk/client-sqs';
import type { SliceMessage, SliceQueue } from '../domain/fan-out.js';
import { mapWithConcurrency } from '../domain/run.js';

/** SendMessageBatch takes at most 10 entries. */
const sendBatchLimit = 10;

const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/** Options of {@link SqsSliceQueue}. */
export interface SqsSliceQueueOptions {
  /** Attempts per entry (the first included). Default 4. */
  attempts?: number;
  /** First retry delay, doubled each round. Default 50 ms. */
  retryDelayMs?: number;
}

export class SqsSliceQueue implements SliceQueue {
  private readonly attempts: number;
  private readonly retryDelayMs: number;

  public constructor(
    private readonly client: SQSClient,
    private readonly queueUrl: string,
    options: SqsSliceQueueOptions = {},
  ) {
    this.attempts = options.attempts ?? 4;
    this.retryDelayMs = options.retryDelayMs ?? 50;
  }

  public async send(messages: readonly SliceMessage[]): Promise<void> {
    const entries = messages.map((message, index) => ({
      Id: String(index),
      MessageBody: JSON.stringify(message),
    }));
    const batches: SendMessageBatchRequestEntry[][] = [];
    for (let start = 0; start < entries.length; start += sendBatchLimit) {
      batches.push(entries.slice(start, start + sendBatchLimit));
    }
    const settled = await mapWithConcurrency(batches, 8, (batch) => this.sendBatch(batch));
    const failed = settled.filter((entry) => entry.status === 'rejected');
    if (failed.length > 0) {
      throw new Error(`${failed.length} of ${batches.length} slice batches not queued`, {
        cause: (failed[0] as PromiseRejectedResult).reason,
      });
    }
  }

  private async sendBatch(batch: SendMessageBatchRequestEntry[]): Promise<void> {
    let pending = batch;
    for (let attempt = 1; ; attempt += 1) {
      const { Failed } = await this.client.send(
        new SendMessageBatchCommand({ QueueUrl: this.queueUrl, Entries: pending }),
      );
      const failedIds = new Set((Failed ?? []).map((failure) => failure.Id));
      if (failedIds.size === 0) return;
      const senderFault = (Failed ?? []).find((failure) => failure.SenderFault === true);
      if (senderFault !== undefined || attempt >= this.attempts) {
        const first = senderFault ?? Failed?.[0];
        throw new Error(
          `${failedIds.size} slices not queued: ${first?.Code ?? 'unknown'} ${first?.Message ?? ''}`,
        );
      }
      pending = pending.filter((entry) => failedIds.has(entry.Id));
      await sleep(this.retryDelayMs * 2 ** (attempt - 1));
    }
  }
}
