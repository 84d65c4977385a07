/** A message as the local SQS keeps it. */
export interface StoredMessage {
  messageId: string;
  body: string;
  md5OfBody: string;
  messageAttributes?: Record<string, unknown>;
  sentAt: number;
  /** Not receivable before this time (DelaySeconds, or a visibility timeout after a receive). */
  visibleAt: number;
  receiveCount: number;
  firstReceivedAt?: number;
  /** The receipt handle of the latest receive; only it can delete the message. */
  receiptHandle?: string;
}

/** A queue's settings (the attributes GetQueueAttributes reports). */
export interface QueueSettings {
  name: string;
  arn: string;
  createdAt: number;
  visibilityTimeoutSeconds: number;
  messageRetentionSeconds: number;
  delaySeconds: number;
  receiveWaitSeconds: number;
  maximumMessageSize: number;
  fifo: boolean;
  /** Server-side encryption is reported, not applied. */
  kmsMasterKeyId?: string;
  sqsManagedSse: boolean;
  /** Kept as given (JSON text); dead-letter moves are not emulated. */
  redrivePolicy?: string;
}

/** What is saved in `queues.json` across restarts. */
export interface SavedQueue {
  settings: QueueSettings;
  messages: StoredMessage[];
}
