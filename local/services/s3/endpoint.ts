import { AsyncLocalStorage } from 'node:async_hooks';
import { mkdir, rm } from 'node:fs/promises';
import { createServer } from 'node:http';
import S3rver, { type S3rverEvent } from 's3rver';
import accounts from 's3rver/lib/models/account.js';
import { close, listen } from '../../listen.js';
import { LOCAL_CREDENTIALS } from '../../runner/lambda-env.js';
import type { ServiceContext } from '../../types.js';
import { type BucketModel, bucketsFromModel } from './buckets.js';
import { type RequestInfo, s3FrontListener } from './front.js';
import type { ObjectChange, S3EventName } from './notifications.js';
import { type LocalCredential, SigV4Verifier } from './sigv4.js';

/** The credentials functions run with (local/runner/lambda-env.ts): the only key the local S3 accepts. */
export const LOCAL_S3_CREDENTIAL: LocalCredential = {
  accessKeyId: LOCAL_CREDENTIALS.AWS_ACCESS_KEY_ID,
  secretAccessKey: LOCAL_CREDENTIALS.AWS_SECRET_ACCESS_KEY,
  sessionToken: LOCAL_CREDENTIALS.AWS_SESSION_TOKEN,
};

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
