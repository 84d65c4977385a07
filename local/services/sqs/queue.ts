import { createHash, randomBytes, randomUUID } from 'node:crypto';
import { ReceiptHandleIsInvalidError } from './errors.js';
import type { QueueSettings, StoredMessage } from './types.js';

/** `<message id>#<32 base64url characters>`: the shape of every receipt handle `receive()` issues. */
const RECEIPT_HANDLE = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}#[A-Za-z0-9_-]{32}$/;

/** Whether a receipt handle has the shape the local queue issues (else SQS's ReceiptHandleIsInvalid). */
export function isReceiptHandle(handle: string): boolean {
  return RECEIPT_HANDLE.test(handle);
}

/** One received message, as ReceiveMessage returns it before attribute selection. */
export interface ReceivedMessage {
  message: StoredMessage;
  receiptHandle: string;
}

/** Where a queue's messages go once received too often (its RedrivePolicy). */
export interface Redrive {
  maxReceiveCount: number;
  /** The dead-letter queue, looked up at the move (it may be created after this queue). */
  target: () => LocalQueue | undefined;
  /** Called after `count` messages moved (the registry saves both queues and says so). */
  moved: (count: number, from: LocalQueue, to: LocalQueue) => void;
}

/**
 * A standard queue: messages become visible after their delay, a receive hides them for the visibility
 * timeout, only the latest receipt handle deletes, and messages older than the retention period are
 * dropped. Order is kept (best effort, as SQS does). With a redrive policy, a message that would be
 * received more than `maxReceiveCount` times is moved to the dead-letter queue instead (as SQS does,
 * at the receive that would exceed it), keeping its id, body, attributes and sent time.
 */
export class LocalQueue {
  readonly settings: QueueSettings;
  #messages: StoredMessage[];
  readonly #waiters = new Set<() => void>();
  #redrive: Redrive | undefined;

  constructor(settings: QueueSettings, messages: StoredMessage[] = []) {
    this.settings = settings;
    this.#messages = messages;
  }

  get messages(): readonly StoredMessage[] {
    return this.#messages;
  }

  /** Sets (or clears) the dead-letter queue messages move to. */
  setRedrive(redrive: Redrive | undefined): void {
    this.#redrive = redrive;
  }

  /** Takes a message moved here from a source queue's redrive: visible at once. */
  adopt(message: StoredMessage, now: number): void {
    const { receiptHandle: _handle, ...kept } = message;
    this.#messages.push({ ...kept, visibleAt: now });
    for (const wake of this.#waiters) wake();
  }

  send(
    body: string,
    options: { delaySeconds?: number; messageAttributes?: Record<string, unknown> },
    now: number,
  ) {
    const message: StoredMessage = {
      messageId: randomUUID(),
      body,
      md5OfBody: createHash('md5').update(body, 'utf8').digest('hex'),
      messageAttributes: options.messageAttributes,
      sentAt: now,
      visibleAt: now + (options.delaySeconds ?? this.settings.delaySeconds) * 1000,
      receiveCount: 0,
    };
    this.#messages.push(message);
    for (const wake of this.#waiters) wake();
    return message;
  }

  /** Takes up to `max` visible messages and hides them for `visibilitySeconds`. */
  receive(max: number, visibilitySeconds: number, now: number): ReceivedMessage[] {
    this.#expire(now);
    const received: ReceivedMessage[] = [];
    const target = this.#redrive?.target();
    const moved = new Set<StoredMessage>();
    for (const message of this.#messages) {
      if (received.length >= max) break;
      if (message.visibleAt > now) continue;
      if (
        this.#redrive &&
        target &&
        target !== this &&
        message.receiveCount >= this.#redrive.maxReceiveCount
      ) {
        target.adopt(message, now);
        moved.add(message);
        continue;
      }
      message.receiveCount += 1;
      message.firstReceivedAt ??= now;
      message.visibleAt = now + visibilitySeconds * 1000;
      message.receiptHandle = `${message.messageId}#${randomBytes(24).toString('base64url')}`;
      received.push({ message, receiptHandle: message.receiptHandle });
    }
    if (moved.size > 0) {
      this.#messages = this.#messages.filter((m) => !moved.has(m));
      if (target) this.#redrive?.moved(moved.size, this, target);
    }
    return received;
  }

  delete(receiptHandle: string): void {
    // A handle this queue never could have issued is refused, as SQS refuses one it cannot decode.
    if (!isReceiptHandle(receiptHandle)) throw new ReceiptHandleIsInvalidError(receiptHandle);
    const messageId = receiptHandle.split('#')[0];
    // A stale handle of a message still in the queue deletes nothing, without error, as SQS does.
    this.#messages = this.#messages.filter(
      (m) => !(m.messageId === messageId && m.receiptHandle === receiptHandle),
    );
  }

  /** Wakes every long poll (the queue is being deleted: they answer empty at once). */
  wakeAll(): void {
    for (const wake of this.#waiters) wake();
  }

  changeVisibility(receiptHandle: string, visibilitySeconds: number, now: number): void {
    const message = this.#messages.find((m) => m.receiptHandle === receiptHandle);
    if (!message) throw new ReceiptHandleIsInvalidError(receiptHandle);
    message.visibleAt = now + visibilitySeconds * 1000;
    if (visibilitySeconds === 0) for (const wake of this.#waiters) wake();
  }

  purge(): void {
    this.#messages = [];
  }

  /** ApproximateNumberOfMessages, …NotVisible and …Delayed. */
  counts(now: number): { visible: number; notVisible: number; delayed: number } {
    this.#expire(now);
    let visible = 0;
    let notVisible = 0;
    let delayed = 0;
    for (const m of this.#messages) {
      if (m.visibleAt <= now) visible += 1;
      else if (m.receiveCount > 0) notVisible += 1;
      else delayed += 1;
    }
    return { visible, notVisible, delayed };
  }

  /** Resolves when a message may have become visible, or after `ms` (long polling); `signal` ends it early. */
  waitForMessage(ms: number, signal: AbortSignal): Promise<void> {
    return new Promise((resolve) => {
      const done = () => {
        clearTimeout(timer);
        this.#waiters.delete(done);
        signal.removeEventListener('abort', done);
        resolve();
      };
      const nextVisible = Math.min(...this.#messages.map((m) => m.visibleAt).filter((t) => t > Date.now()));
      const timer = setTimeout(
        done,
        Math.min(ms, Number.isFinite(nextVisible) ? nextVisible - Date.now() + 5 : ms),
      );
      this.#waiters.add(done);
      signal.addEventListener('abort', done);
    });
  }

  #expire(now: number): void {
    const oldest = now - this.settings.messageRetentionSeconds * 1000;
    if (this.#messages.some((m) => m.sentAt < oldest)) {
      this.#messages = this.#messages.filter((m) => m.sentAt >= oldest);
    }
  }
}
