/**
 * The consumer's dead-letter queue over SQS: one message per refused record, its reason in the body and
 * in message attributes, SendMessageBatch 10 at a time.
 */
import { SendMessageBatchCommand, type SQSClient } from '@aws-sdk/client-sqs';
import { chunk } from '../domain/batch-writer.js';
import type { DeadLetter, DeadLetterSink } from '../domain/ports.js';

/** SendMessageBatch takes at most 10 messages. */
const SQS_BATCH_LIMIT = 10;

/** The message body of a dead letter. */
export interface DeadLetterMessage extends DeadLetter {
  /** Who wrote it (the consumer's function name). */
  refusedBy: string;
  refusedAt: string;
}

export class SqsDeadLetterSink implements DeadLetterSink {
  public constructor(
    private readonly client: SQSClient,
    private readonly queueUrl: string,
    private readonly refusedBy: string,
    private readonly now: () => Date = () => new Date(),
  ) {}

  public async send(letters: readonly DeadLetter[]): Promise<DeadLetter[]> {
    const unsent: DeadLetter[] = [];
    for (const group of chunk(letters, SQS_BATCH_LIMIT)) {
      try {
        const response = await this.client.send(
          new SendMessageBatchCommand({
            QueueUrl: this.queueUrl,
            Entries: group.map((letter, index) => {
              const body: DeadLetterMessage = {
                ...letter,
                refusedBy: this.refusedBy,
                refusedAt: this.now().toISOString(),
              };
              return {
                Id: String(index),
                MessageBody: JSON.stringify(body),
                MessageAttributes: {
                  reasonCode: { DataType: 'String', StringValue: letter.code },
                  sequenceNumber: { DataType: 'String', StringValue: letter.sequenceNumber },
                },
              };
            }),
          }),
        );
        for (const failure of response.Failed ?? []) {
          const letter = group[Number(failure.Id)];
          if (letter) unsent.push(letter);
        }
      } catch {
        // The caller reports these records as failures, so Lambda retries them: nothing is dropped.
        unsent.push(...group);
      }
    }
    return unsent;
  }
}
