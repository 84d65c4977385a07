/**
 * The consumer's dead-letter queue over SQS: one message per refused record, its reason in the body
 * and in message attributes (domain/dead-letter-message.ts shapes it to fit SQS's 256 KiB), sent with
 * SendMessageBatch in groups of at most 10 messages and 256 KiB.
 */
import { SendMessageBatchCommand, type SQSClient } from '@aws-sdk/client-sqs';
import { packBatches, shapeDeadLetter } from '../domain/dead-letter-message.js';
import type { DeadLetter, DeadLetterSink } from '../domain/ports.js';

export class SqsDeadLetterSink implements DeadLetterSink {
  public constructor(
    private readonly client: SQSClient,
    private readonly queueUrl: string,
    private readonly refusedBy: string,
    private readonly now: () => Date = () => new Date(),
  ) {}

  public async send(letters: readonly DeadLetter[]): Promise<DeadLetter[]> {
    const refusedAt = this.now().toISOString();
    const shaped = letters.map((letter) => shapeDeadLetter(letter, { refusedBy: this.refusedBy, refusedAt }));
    const unsent: DeadLetter[] = [];
    for (const group of packBatches(shaped.map((message) => message.bytes))) {
      const lettersOf = group.map((index) => letters[index] as DeadLetter);
      try {
        const response = await this.client.send(
          new SendMessageBatchCommand({
            QueueUrl: this.queueUrl,
            Entries: group.map((index, position) => ({
              Id: String(position),
              MessageBody: shaped[index]?.body,
              MessageAttributes: shaped[index]?.attributes,
            })),
          }),
        );
        for (const failure of response.Failed ?? []) {
          const letter = lettersOf[Number(failure.Id)];
          if (letter) unsent.push(letter);
        }
      } catch {
        // The caller reports these records as failures, so Lambda retries them: nothing is dropped.
        unsent.push(...lettersOf);
      }
    }
    return unsent;
  }
}
