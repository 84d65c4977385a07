/**
 * The SSM client, created once per container. The endpoint comes from the environment only
 * (`AWS_ENDPOINT_URL_SSM`, set by the local cloud).
 */
import { SSMClient } from '@aws-sdk/client-ssm';
import { tracer } from '../powertools.js';

/** SSM client, traced. */
export const ssmClient = tracer.captureAWSv3Client(new SSMClient({}));
