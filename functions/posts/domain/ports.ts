/**
 * What the post-ingestion domain needs from the outside world. Adapters implement these over X, Kinesis,
 * DynamoDB and SQS; tests hand in memory implementations.
 */
import type { CheckpointState } from './checkpoint.js';
import type { PostEnvelope } from './post.js';
import type { RateLimit } from './search.js';

/** One recent-search call. */
export interface RecentSearchRequest {
  query: string;
  sinceId?: string;
  untilId?: string;
  nextToken?: string;
  maxResults: number;
}

/** The answer of one recent-search call: a body to parse, or a refusal. */
export type RecentSearchResponse =
  | { kind: 'ok'; body: unknown; rateLimit: RateLimit }
  | { kind: 'rate-limited'; rateLimit: RateLimit }
  | { kind: 'error'; status: number; message: string; rateLimit: RateLimit };

export interface RecentSearch {
  search(request: RecentSearchRequest): Promise<RecentSearchResponse>;
}

/** Where the poller's checkpoint lives. */
export interface CheckpointStore {
  load(): Promise<CheckpointState>;
  /** Save if the stored version is still `state.version` (then store version + 1); false otherwise. */
  save(state: CheckpointState): Promise<boolean>;
}

/**
 * Who holds the filtered stream (X allows one connection per app): the hand-over between scheduled
 * runs of the stream producer. The newest run wins; the holder it displaces notices, disconnects and
 * says so with `release`, and the new holder waits for that before it connects.
 */
export interface StreamLease {
  /**
   * Take the stream for run `runId` that started at `startedAt`, unless a run that started later holds
   * it. Resolves with the lease as it was before (to wait for its holder) or, when refused, as it is.
   */
  claim(runId: string, startedAt: Date): Promise<{ claimed: boolean; before: LeaseState }>;
  read(): Promise<LeaseState>;
  /** Run `runId` has disconnected (it may have lost the lease already: this does not take it back). */
  release(runId: string, at: Date): Promise<void>;
}

export interface LeaseState {
  holderId?: string;
  holderStartedAt?: Date;
  /** The last run that disconnected, and when. */
  releasedId?: string;
  releasedAt?: Date;
}

/** The filtered stream's rules: the producer makes them follow its query. */
export interface StreamRules {
  /** Make `query` a rule tagged `tag`, and remove other rules with that tag (an older query). */
  ensure(query: string, tag: string): Promise<{ added: number; deleted: number }>;
}

/** Sends envelopes to the stream; reports the ones that could not be sent. */
export interface PostPublisher {
  publish(envelopes: readonly PostEnvelope[]): Promise<{ sent: number; failed: number; firstError?: string }>;
}

/** Where records that can never be processed go, with their reason. */
export interface DeadLetterSink {
  /** Send every letter; resolve with the ones that could not be sent (the caller retries them). */
  send(letters: readonly DeadLetter[]): Promise<DeadLetter[]>;
}

/** A Kinesis record the consumer refused, and why. */
export interface DeadLetter {
  reason: string;
  /** Stable: a RecordRejection code, an ItemLimitCode, or `WriteRefused` (DynamoDB said no). */
  code: string;
  /** The post the record carried, when it could be read. */
  postId?: string;
  /** The error DynamoDB answered, when it refused the write itself. */
  error?: { name: string; message: string };
  eventSourceArn?: string;
  shardId?: string;
  sequenceNumber: string;
  partitionKey: string;
  approximateArrivalTimestamp?: number;
  /** The record data as it arrived (base64). */
  data: string;
}

/** The logging the domain does; Powertools' Logger fits. */
export interface DomainLogger {
  info(message: string, ...extra: Record<string, unknown>[]): void;
  warn(message: string, ...extra: Record<string, unknown>[]): void;
  error(message: string, ...extra: Record<string, unknown>[]): void;
}

export const silentLogger: DomainLogger = {
  info: () => undefined,
  warn: () => undefined,
  error: () => undefined,
};
