import { AsyncLocalStorage } from 'node:async_hooks';
import { mkdir, rm } from 'node:fs/promises';
import { createServer } from 'node:http';
import S3rver, { type S3rverEvent } from 's3rver';
import accounts from 's3rver/lib/models/account.js';
import { FailureDestinations } from '../../events/kinesis/failure-destination.js';
import { close, listen } from '../../listen.js';
import { AsyncInvoker } from '../../runner/async-invoke.js';
import { LOCAL_CREDENTIALS } from '../../runner/lambda-env.js';
import type { TemplateModel } from '../../template/types.js';
import type { LocalService, RunningService, ServiceContext } from '../../types.js';
import { type BucketModel, bucketsFromModel, subscriptionsFromModel } from './buckets.js';
import { type RequestInfo, s3FrontListener } from './front.js';
import { type ObjectChange, type S3EventName, S3Notifier } from './notifications.js';
import { type LocalCredential, SigV4Verifier } from './sigv4.js';

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

/** The credentials functions run with (local/runner/lambda-env.ts): the only key the local S3 accepts. */
export const LOCAL_S3_CREDENTIAL: LocalCredential = {
  accessKeyId: LOCAL_CREDENTIALS.AWS_ACCESS_KEY_ID,
  secretAccessKey: LOCAL_CREDENTIALS.AWS_SECRET_ACCESS_KEY,
  sessionToken: LOCAL_CREDENTIALS.AWS_SESSION_TOKEN,
};

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

/** The S3 endpoint without its notifications: s3rver behind the front, listening. */
export interface S3Endpoint {
  url: string;
  dataDir: string;
  buckets: Record<string, string>;
  stop(): Promise<void>;
}

/**
 * The S3 endpoint: s3rver (objects in `.kumo/data/s3`) behind the front, with the template's buckets;
 * every object change goes to `onChange`. It runs where it is started: in the local cloud's S3 worker
 * thread (off-thread.ts) or in-process; it invokes no function itself.
 */
export async function startS3Endpoint(
  ctx: Pick<ServiceContext, 'model' | 'host' | 'port' | 'dataDir' | 'fresh' | 'log' | 'guard'>,
  onChange: (change: ObjectChange) => void,
): Promise<S3Endpoint> {
  const dataDir = ctx.dataDir('s3');
  if (ctx.fresh) await rm(dataDir, { recursive: true, force: true });
  await mkdir(dataDir, { recursive: true });
  const buckets: BucketModel[] = bucketsFromModel(ctx.model);

  // s3rver checks that the access key exists; the front checks the signatures it does not.
  accounts.DUMMY_ACCOUNT.createKeyPair(LOCAL_S3_CREDENTIAL.accessKeyId, LOCAL_S3_CREDENTIAL.secretAccessKey);
  const s3rver = new S3rver({ directory: dataDir, silent: true, vhostBuckets: false });
  for (const bucket of buckets) await s3rver.store.putBucket(bucket.name);

  const requests = new AsyncLocalStorage<RequestInfo>();
  s3rver.on('event', (event: S3rverEvent) => {
    const change = objectChange(event, requests.getStore());
    if (change) onChange(change);
  });
  s3rver.on('error', () => {
    // s3rver answers its own errors in XML; Koa's default handler would print them to stderr.
  });

  // Header-signed requests may use any key, as every other local service; presigned ones the local key.
  const verifier = new SigV4Verifier([LOCAL_S3_CREDENTIAL], ctx.model.region, undefined, {
    anyHeaderKey: true,
  });
  const server = createServer(
    s3FrontListener({
      s3rver: s3rver.callback(),
      verifier,
      buckets: () => buckets,
      log: ctx.log,
      requests,
      localAccessKeyId: LOCAL_S3_CREDENTIAL.accessKeyId,
    }),
  );
  const closeS3rver = () => {
    s3rver.logger.exceptions.unhandle();
    s3rver.logger.close();
  };
  let url: string;
  try {
    url = await listen(server, ctx.host, ctx.port('s3'), 's3', {
      guard: ctx.guard,
      errors: 's3',
    });
  } catch (error) {
    closeS3rver();
    throw error;
  }
  return {
    url,
    dataDir,
    buckets: Object.fromEntries(buckets.map((b) => [b.logicalId, b.name])),
    async stop() {
      await close(server);
      closeS3rver();
    },
  };
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

/** s3rver's event, with the key as stored, named as S3 names it for the request that caused it. */
function objectChange(event: S3rverEvent, info: RequestInfo | undefined): ObjectChange | undefined {
  const record = event.Records[0];
  if (!record) return undefined;
  const eventName = (
    info?.operation === 'CompleteMultipartUpload' ? 'ObjectCreated:CompleteMultipartUpload' : record.eventName
  ) as S3EventName;
  return {
    eventName,
    bucket: record.s3.bucket.name,
    key: record.s3.object.key,
    size: record.s3.object.size === undefined ? undefined : Number(record.s3.object.size),
    eTag: record.s3.object.eTag,
    sourceIp: info?.sourceIp ?? record.requestParameters.sourceIPAddress,
    requestId: info?.requestId ?? '',
    hostId: info?.hostId ?? '',
    principal: info?.principal,
  };
}
