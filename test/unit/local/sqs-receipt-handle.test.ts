import { describe, expect, it } from 'vitest';
import { isReceiptHandle, LocalQueue } from '../../../local/services/sqs/queue.js';
import type { QueueSettings } from '../../../local/services/sqs/types.js';

const settings: QueueSettings = {
  name: 'q',
  arn: 'arn:aws:sqs:us-east-1:000000000000:q',
  createdAt: 0,
  visibilityTimeoutSeconds: 30,
  messageRetentionSeconds: 345_600,
  delaySeconds: 0,
  receiveWaitSeconds: 0,
  maximumMessageSize: 262_144,
  fifo: false,
  sqsManagedSse: true,
};

describe('Function: isReceiptHandle()', () => {
  it('knows the handles the local queue issues, and nothing else', () => {
    const queue = new LocalQueue(settings);
    queue.send('m', {}, 1_000);
    const [received] = queue.receive(1, 30, 1_000);
    expect(isReceiptHandle(received?.receiptHandle ?? '')).toBe(true);
    for (const garbage of [
      '',
      'garbage',
      `${received?.message.messageId}#`,
      'a#b',
      `${received?.receiptHandle}x`,
    ]) {
      expect(isReceiptHandle(garbage)).toBe(false);
    }
  });
});

describe('Class: LocalQueue', () => {
  it('refuses to delete with a garbage handle; a stale well-formed one deletes nothing', () => {
    const queue = new LocalQueue(settings);
    queue.send('m', {}, 1_000);
    const first = queue.receive(1, 0, 1_000)[0]?.receiptHandle ?? '';
    const second = queue.receive(1, 30, 1_000)[0]?.receiptHandle ?? '';
    expect(() => queue.delete('garbage')).toThrow(
      expect.objectContaining({ shape: 'ReceiptHandleIsInvalid' }),
    );
    queue.delete(first);
    expect(queue.messages).toHaveLength(1);
    queue.delete(second);
    expect(queue.messages).toHaveLength(0);
  });
});
