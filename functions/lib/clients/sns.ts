/**
 * The SNS client, created once per container. The endpoint comes from the environment only
 * (`AWS_ENDPOINT_URL_SNS`, set by the local cloud).
 */
import { SNSClient } from '@aws-sdk/client-sns';
import { tracer } from '../powertools.js';

/** SNS client, traced. */
export const snsClient = tracer.captureAWSv3Client(new SNSClient({}));
