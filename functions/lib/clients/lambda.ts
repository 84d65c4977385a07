/**
 * Lambda clients, one per region, created on first use: the health checker invokes its probe regions'
 * ProbeFunction (functions/health/adapters/probe-regions.ts). The endpoint comes from the environment
 * only (`AWS_ENDPOINT_URL_LAMBDA`, set by the local cloud).
 */
import { InvokeCommand, LambdaClient } from '@aws-sdk/client-lambda';
import { tracer } from '../powertools.js';

const clients = new Map<string, LambdaClient>();

/** The traced Lambda client of `region`. */
export function lambdaClientFor(region: string): LambdaClient {
  let client = clients.get(region);
  if (client === undefined) {
    client = tracer.captureAWSv3Client(new LambdaClient({ region }));
    clients.set(region, client);
  }
  return client;
}

export { InvokeCommand };
