import { FailureDestinations } from '../../events/kinesis/failure-destination.js';
import { AsyncInvoker } from '../../runner/async-invoke.js';
import type { TemplateModel } from '../../template/types.js';
import type { LocalService, RunningService, ServiceContext } from '../../types.js';
import { bucketsFromModel, subscriptionsFromModel } from './buckets.js';
import { startS3Endpoint } from './endpoint.js';
import { type ObjectChange, S3Notifier } from './notifications.js';

// The endpoint (s3rver behind the front) runs in the S3 worker thread: endpoint.ts imports nothing that
// invokes functions, so that thread loads no SNS or SQS client.
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
    needed: (model: TemplateModel) =>
      bucketsFromModel(model).length > 0 || subscriptionsFromModel(model).length > 0,
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

/** Delivers the local S3's object changes to the functions (on the thread that runs the functions). */
export interface S3Notifications {
  /** Logs the change and starts its deliveries; returns at once (the upload does not wait for them). */
  deliver(change: ObjectChange): void;
  stop(): Promise<void>;
}

/**
 * The object notifications of the template's `S3` event sources: each change is matched against the
 * subscriptions (bucket, event type, prefix/suffix) and delivered with Lambda's asynchronous invocation
 * (retries, event age, OnFailure destination), as S3 does.
 */
export function startS3Notifications(
  ctx: ServiceContext,
  retryDelaysMs?: readonly number[],
): S3Notifications {
  const buckets = bucketsFromModel(ctx.model);
  const subscriptions = subscriptionsFromModel(ctx.model);
  for (const { event, functionLogicalId } of subscriptions) {
    if (!buckets.some((b) => b.name === event.bucket)) {
      ctx.log.warn(
        `${functionLogicalId}: event ${event.name} listens to ${event.bucket}, not a bucket of the template`,
      );
    }
  }
  // Each subscribed function's EventInvokeConfig: retries, event age, where failed events go.
  const destinations = new FailureDestinations(ctx.endpoints, ctx.model.region);
  const asyncInvoker = new AsyncInvoker({
    model: ctx.model,
    invoker: ctx.invoker,
    log: ctx.log,
    ...(ctx.clock ? { clock: ctx.clock } : {}),
    ...(retryDelaysMs ? { retryDelaysMs } : {}),
    destinations,
  });
  try {
    // Read now, so that a bad EventInvokeConfig is reported at start.
    for (const { functionLogicalId } of subscriptions) asyncInvoker.settings(functionLogicalId);
  } catch (error) {
    destinations.close();
    throw error;
  }
  const notifier = new S3Notifier({
    region: ctx.model.region,
    accountId: ctx.model.accountId,
    subscriptions,
    asyncInvoker,
  });
  return {
    deliver(change) {
      const size = change.size === undefined ? '' : ` (${change.size} bytes)`;
      ctx.log.event('s3', `${change.eventName} ${change.bucket}/${change.key}${size}`);
      notifier.notify(change);
    },
    async stop() {
      await asyncInvoker.stop();
      destinations.close();
    },
  };
}
