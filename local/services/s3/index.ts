import type { LocalService, RunningService, ServiceContext } from '../../types.js';
import { usesS3 } from './buckets.js';
import { startS3Notifications } from './deliveries.js';
import { startS3Endpoint } from './endpoint.js';

// The endpoint (s3rver behind the front) runs in the S3 worker thread and the deliveries on the main
// thread: neither module imports the other's packages (no SNS or SQS client in the S3 thread, no s3rver
// on the main thread).
export { type S3Notifications, startS3Notifications } from './deliveries.js';
export { LOCAL_S3_CREDENTIAL, type S3Endpoint, startS3Endpoint } from './endpoint.js';
export { encodeEventKey, type ObjectChange, s3LambdaEvent } from './notifications.js';

/** Options of the S3 service (tests shorten the retry delays). */
export interface S3Options {
  /** Delays (local clock) before the second and third attempt of a failed invocation; 1 s and 2 s by default. */
  retryDelaysMs?: readonly number[];
}

/** The running S3 emulator. */
export interface S3Service extends RunningService {
  /** The template's buckets, by logical id, with their local names. */
  buckets: Readonly<Record<string, string>>;
  /** The folder s3rver keeps buckets and objects in. */
  dataDir: string;
}

/**
 * S3 for the local cloud: s3rver in-process (objects in `.kumo/data/s3`) behind a front that applies the
 * template's CORS rules, verifies SigV4 signatures, presigned URLs and presigned POST policies with the
 * local secret, and delivers object notifications to the functions' `S3` event sources as S3 does.
 */
export function createS3Service(options: S3Options = {}): LocalService {
  return {
    name: 's3',
    needed: usesS3,
    start: (ctx) => startS3(ctx, options.retryDelaysMs),
  };
}

/** The S3 service with default options, for the orchestrator. */
export const s3Service: LocalService = createS3Service();

async function startS3(ctx: ServiceContext, retryDelaysMs?: readonly number[]): Promise<S3Service> {
  const notifications = startS3Notifications(ctx, retryDelaysMs);
  try {
    const endpoint = await startS3Endpoint(ctx, (change) => notifications.deliver(change));
    return {
      name: 's3',
      endpointKey: 's3',
      url: endpoint.url,
      dataDir: endpoint.dataDir,
      buckets: endpoint.buckets,
      async stop() {
        await endpoint.stop();
        await notifications.stop();
      },
    };
  } catch (error) {
    await notifications.stop();
    throw error;
  }
}
