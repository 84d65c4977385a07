/**
 * The SQS client, created once per container. The endpoint comes from the environment only
 * (`AWS_ENDPOINT_URL_SQS`, set by the local cloud). `useQueueUrlAsEndpoint: false`: queue URLs name
 * the AWS host even locally, and the SDK would otherwise send requests to that host instead of the
 * configured endpoint; on AWS the regional endpoint and the queue URL's host are the same.
 */
import { SQSClient } from '@aws-sdk/client-sqs';
import { tracer } from '../powertools.js';

/** SQS client, traced. */
export const sqsClient = tracer.captureAWSv3Client(new SQSClient({ useQueueUrlAsEndpoint: false }));
