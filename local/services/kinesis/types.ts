import type { IncomingHttpHeaders } from 'node:http';

/** One JSON-protocol request to the local Kinesis, body parsed. */
export interface KinesisRequest {
  /** `PutRecords`, `GetRecords`...: the part of `X-Amz-Target` after `Kinesis_20131202.`. */
  operation: string;
  /** The request body; a middleware may pass a changed copy on. */
  input: Record<string, unknown>;
  /** The client's headers (kinesalite checks that a signature is present). */
  headers: IncomingHttpHeaders;
  /** When the request arrived (ms since the epoch, from the service's clock). */
  receivedAt: number;
}

/** The answer: HTTP status and JSON body (`{ __type, message }` for errors). */
export interface KinesisReply {
  status: number;
  body: Record<string, unknown>;
}

/** Passes a request on towards kinesalite. */
export type KinesisNext = (request: KinesisRequest) => Promise<KinesisReply>;

/**
 * One step of the proxy in front of kinesalite. It may answer by itself (an operation kinesalite lacks,
 * such as UpdateShardCount), change the request before passing it on (refuse records over a shard's
 * write limit), or read and amend the reply (record metrics, report encryption).
 */
export type KinesisMiddleware = (request: KinesisRequest, next: KinesisNext) => Promise<KinesisReply>;

/** Where a shard iterator points. */
export interface IteratorPosition {
  streamName: string;
  shardId: string;
}
