/**
 * The S3 client, created once per container. The endpoint comes from the environment only
 * (`AWS_ENDPOINT_URL_S3`, set by the local cloud); with such an endpoint, addressing is path-style
 * (`http://127.0.0.1:4505/<bucket>/<key>`), since a local server has no per-bucket host names.
 */
import { S3Client } from '@aws-sdk/client-s3';
import { tracer } from '../powertools.js';

/** True when requests go to an endpoint set in the environment rather than to AWS's own. */
export function hasCustomS3Endpoint(env: Readonly<Record<string, string | undefined>>): boolean {
  return Boolean(env.AWS_ENDPOINT_URL_S3 || env.AWS_ENDPOINT_URL);
}

/** S3 client, traced. */
export const s3Client = tracer.captureAWSv3Client(
  new S3Client({ forcePathStyle: hasCustomS3Endpoint(process.env) }),
);
