/**
 * The Kinesis client, created once per container. The endpoint comes from the environment only
 * (`AWS_ENDPOINT_URL_KINESIS`, set by the local cloud). HTTP/1.1 through NodeHttpHandler: the SDK's
 * default for Kinesis is HTTP/2, which the local kinesalite does not speak; real Kinesis accepts both
 * for everything but SubscribeToShard, which Kumo does not use.
 */
import { KinesisClient } from '@aws-sdk/client-kinesis';
import { NodeHttpHandler } from '@smithy/node-http-handler';
import { tracer } from '../powertools.js';

/** Kinesis client, traced. */
export const kinesisClient = tracer.captureAWSv3Client(
  new KinesisClient({ requestHandler: new NodeHttpHandler({ connectionTimeout: 5_000 }) }),
);
