import { FailureDestinations } from '../../events/kinesis/failure-destination.js';
import { AsyncInvoker } from '../../runner/async-invoke.js';
import type { ServiceContext } from '../../types.js';
import { bucketsFromModel, subscriptionsFromModel } from './buckets.js';
import { type ObjectChange, S3Notifier } from './notifications.js';

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
