import { createHash } from 'node:crypto';
import type { AsyncInvoker } from '../../runner/async-invoke.js';
import type { BucketSubscription } from './buckets.js';

/** What happened to an object, as S3 names it in notifications (without the `s3:` prefix). */
export type S3EventName =
  | 'ObjectCreated:Put'
  | 'ObjectCreated:Post'
  | 'ObjectCreated:Copy'
  | 'ObjectCreated:CompleteMultipartUpload'
  | 'ObjectRemoved:Delete';

/** One change to an object, as the local S3 observed it. */
export interface ObjectChange {
  eventName: S3EventName;
  bucket: string;
  /** The key as stored (not encoded). */
  key: string;
  size?: number;
  /** MD5 hex without quotes. */
  eTag?: string;
  sourceIp: string;
  requestId: string;
  hostId: string;
  /** The access key that signed the request, or undefined for an anonymous one. */
  principal?: string;
}

/**
 * The key as S3 writes it in notifications: URL-encoded as a form value (space as `+`), slashes kept.
 * Handlers must decode it (`decodeURIComponent(key.replace(/\+/g, ' '))`).
 */
export function encodeEventKey(key: string): string {
  return key
    .split('/')
    .map((segment) =>
      encodeURIComponent(segment)
        .replace(/[!'()~]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`)
        .replace(/%20/g, '+'),
    )
    .join('/');
}

/** True when a SAM `Events` entry (`s3:ObjectCreated:*`, `s3:ObjectRemoved:Delete`...) covers the event. */
export function matchesEventType(patterns: string[], eventName: S3EventName): boolean {
  return patterns.some((pattern) => {
    const p = pattern.replace(/^s3:/, '');
    return p.endsWith(':*') ? eventName.startsWith(p.slice(0, -1)) : p === eventName;
  });
}

/** True when the (unencoded) key passes the subscription's prefix and suffix rules. */
export function matchesFilter(filter: { prefix?: string; suffix?: string }, key: string): boolean {
  return (
    (filter.prefix === undefined || key.startsWith(filter.prefix)) &&
    (filter.suffix === undefined || key.endsWith(filter.suffix))
  );
}

/** The S3 → Lambda event for one change, exactly in the shape S3 delivers (eventVersion 2.1). */
export function s3LambdaEvent(
  change: ObjectChange,
  options: { region: string; configurationId: string; sequencer: string; ownerId: string; eventTime?: Date },
) {
  const object: Record<string, string | number> = { key: encodeEventKey(change.key) };
  if (change.eventName.startsWith('ObjectCreated')) {
    object.size = change.size ?? 0;
    if (change.eTag !== undefined) object.eTag = change.eTag;
  }
  object.sequencer = options.sequencer;
  const principal = change.principal ? `AWS:${change.principal}` : 'Anonymous';
  return {
    Records: [
      {
        eventVersion: '2.1',
        eventSource: 'aws:s3',
        awsRegion: options.region,
        eventTime: (options.eventTime ?? new Date()).toISOString(),
        eventName: change.eventName,
        userIdentity: { principalId: principal },
        requestParameters: { sourceIPAddress: change.sourceIp },
        responseElements: { 'x-amz-request-id': change.requestId, 'x-amz-id-2': change.hostId },
        s3: {
          s3SchemaVersion: '1.0',
          configurationId: options.configurationId,
          bucket: {
            name: change.bucket,
            ownerIdentity: { principalId: options.ownerId },
            arn: `arn:aws:s3:::${change.bucket}`,
          },
          object,
        },
      },
    ],
  };
}

export interface NotifierDeps {
  region: string;
  accountId: string;
  subscriptions: BucketSubscription[];
  /** Lambda's asynchronous invocation (retries, event age, OnFailure destination, dead-letter queue). */
  asyncInvoker: AsyncInvoker;
}

/**
 * Delivers object changes to the functions whose S3 event sources match them (bucket, event type,
 * prefix/suffix), asynchronously as S3 invokes Lambda, with Lambda's retries for asynchronous invocations.
 */
export class S3Notifier {
  readonly #deps: NotifierDeps;
  readonly #ownerId: string;
  #sequence = 0n;

  constructor(deps: NotifierDeps) {
    this.#deps = deps;
    this.#ownerId = createHash('sha256').update(deps.accountId).digest('hex').slice(0, 14).toUpperCase();
  }

  /** Starts deliveries for a change and returns at once: the upload does not wait for them. */
  notify(change: ObjectChange): void {
    for (const subscription of this.#deps.subscriptions) {
      const { event, functionLogicalId } = subscription;
      if (event.bucket !== change.bucket) continue;
      if (!matchesEventType(event.events, change.eventName) || !matchesFilter(event.filter, change.key))
        continue;
      const s3Event = s3LambdaEvent(change, {
        region: this.#deps.region,
        configurationId: configurationId(functionLogicalId, event.name),
        sequencer: this.#nextSequencer(),
        ownerId: this.#ownerId,
      });
      void this.#deps.asyncInvoker.invoke(functionLogicalId, s3Event, {
        source: 's3',
        what: `${change.eventName} ${change.bucket}/${change.key}`,
      });
    }
  }

  /** A sequencer that grows with every event, as S3's does per key (16 hex digits). */
  #nextSequencer(): string {
    this.#sequence += 1n;
    const base = BigInt(Date.now()) * 1_000_000n + (this.#sequence % 1_000_000n);
    return base.toString(16).toUpperCase().padStart(16, '0');
  }
}

/** The notification configuration id S3 generates for a SAM event (stable per function and event). */
function configurationId(functionLogicalId: string, eventName: string): string {
  const digest = createHash('sha256').update(`${functionLogicalId}/${eventName}`).digest();
  return Buffer.from(digest.subarray(0, 27)).toString('base64').replace(/[+/=]/g, '');
}
