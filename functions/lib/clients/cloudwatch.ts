/**
 * The CloudWatch client, created once per container. The endpoint comes from the environment only
 * (`AWS_ENDPOINT_URL_CLOUDWATCH`, set by the local cloud).
 */
import { CloudWatchClient } from '@aws-sdk/client-cloudwatch';
import { tracer } from '../powertools.js';

/** CloudWatch client, traced. */
export const cloudWatchClient = tracer.captureAWSv3Client(new CloudWatchClient({}));
