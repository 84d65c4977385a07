import { createHash } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import type { FailureDestination } from '../../events/kinesis/settings.js';
import type { InvokeResult, Invoker, LocalLogger } from '../../types.js';
import { type AsyncInvokeSettings, asyncFailureRecord } from './async-invoke.js';
import type { BucketSubscription } from './buckets.js';

/** Lambda's asynchronous invocation retries: two more attempts after a failure (AWS waits 1 and 2 minutes). */
export const DEFAULT_RETRY_DELAYS_MS: readonly number[] = [1_000, 2_000];

/** How long stop() waits for invocations in flight. */
const STOP_GRACE_MS = 2_000;

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
  invoker: Invoker;
  log: LocalLogger;
  region: string;
  accountId: string;
  subscriptions: BucketSubscription[];
  /** Delays before each retry; a function retries as many times as its settings say (at most 2). */
  retryDelaysMs: readonly number[];
  /** A function's `EventInvokeConfig`; absent: Lambda's defaults (two retries, no destination). */
  asyncSettings?: (functionLogicalId: string) => AsyncInvokeSettings | undefined;
  /** Sends an invocation record to an OnFailure destination. Rejects when it cannot. */
  sendFailure?: (destination: FailureDestination, document: unknown) => Promise<void>;
}

/**
 * Delivers object changes to the functions whose S3 event sources match them (bucket, event type,
 * prefix/suffix), asynchronously as S3 invokes Lambda, with Lambda's retries for asynchronous invocations.
 */
export class S3Notifier {
  readonly #deps: NotifierDeps;
  readonly #inFlight = new Set<Promise<void>>();
  readonly #stopping = new AbortController();
  readonly #ownerId: string;
  #sequence = 0n;

  constructor(deps: NotifierDeps) {
    this.#deps = deps;
    this.#ownerId = createHash('sha256').update(deps.accountId).digest('hex').slice(0, 14).toUpperCase();
  }

  /** Starts deliveries for a change and returns at once: the upload does not wait for them. */
  notify(change: ObjectChange): void {
    for (const subscription of this.#deps.subscriptions) {
      const { event } = subscription;
      if (event.bucket !== change.bucket) continue;
      if (!matchesEventType(event.events, change.eventName) || !matchesFilter(event.filter, change.key))
        continue;
      this.#track(this.#deliver(subscription, change));
    }
  }

  /** Cancels pending retries and waits briefly for deliveries in flight. */
  async stop(): Promise<void> {
    this.#stopping.abort();
    await Promise.race([
      Promise.allSettled([...this.#inFlight]),
      sleep(STOP_GRACE_MS, undefined, { ref: false }),
    ]);
  }

  #track(work: Promise<void>): void {
    const delivery = work
      .catch((error: unknown) => this.#deps.log.error(`s3 delivery failed: ${String(error)}`))
      .finally(() => this.#inFlight.delete(delivery));
    this.#inFlight.add(delivery);
  }

  /** A sequencer that grows with every event, as S3's does per key (16 hex digits). */
  #nextSequencer(): string {
    this.#sequence += 1n;
    const base = BigInt(Date.now()) * 1_000_000n + (this.#sequence % 1_000_000n);
    return base.toString(16).toUpperCase().padStart(16, '0');
  }

  async #deliver(subscription: BucketSubscription, change: ObjectChange): Promise<void> {
    const { invoker, log, retryDelaysMs, region } = this.#deps;
    const { functionLogicalId, event } = subscription;
    const event3 = s3LambdaEvent(change, {
      region,
      configurationId: configurationId(functionLogicalId, event.name),
      sequencer: this.#nextSequencer(),
      ownerId: this.#ownerId,
    });
    const settings = this.#deps.asyncSettings?.(functionLogicalId);
    const retries = Math.min(settings?.maximumRetryAttempts ?? retryDelaysMs.length, retryDelaysMs.length);
    const attempts = retries + 1;
    for (let attempt = 1; attempt <= attempts; attempt += 1) {
      const result = await invoker.invoke(functionLogicalId, event3, { source: 's3' }).catch(
        (error: unknown): Pick<InvokeResult, 'ok' | 'error'> => ({
          ok: false,
          error: { errorType: 'InvokeError', errorMessage: String(error) },
        }),
      );
      if (result.ok) return;
      const delay = attempt < attempts ? retryDelaysMs[attempt - 1] : undefined;
      if (delay === undefined) {
        const what =
          `s3 → ${functionLogicalId}: ${change.eventName} ${change.bucket}/${change.key} failed ${attempts} times ` +
          `(${result.error?.errorType ?? 'Error'}: ${result.error?.errorMessage ?? 'unknown'})`;
        const destination = settings?.onFailure;
        if (destination === undefined || this.#deps.sendFailure === undefined) {
          log.error(`${what}; dropped`);
          return;
        }
        const document = asyncFailureRecord({
          requestId: 'requestId' in result ? result.requestId : '',
          functionArn: settings?.functionArn ?? functionLogicalId,
          attempts,
          event: event3,
          error: result.error,
        });
        try {
          await this.#deps.sendFailure(destination, document);
          log.warn(`${what}; sent to OnFailure ${destination.arn}`);
        } catch (error) {
          log.error(`${what}; OnFailure ${destination.arn} refused it (${String(error)}); dropped`);
        }
        return;
      }
      try {
        await sleep(delay, undefined, { signal: this.#stopping.signal });
      } catch {
        return; // stopped while waiting to retry
      }
    }
  }
}

/** The notification configuration id S3 generates for a SAM event (stable per function and event). */
function configurationId(functionLogicalId: string, eventName: string): string {
  const digest = createHash('sha256').update(`${functionLogicalId}/${eventName}`).digest();
  return Buffer.from(digest.subarray(0, 27)).toString('base64').replace(/[+/=]/g, '');
}
