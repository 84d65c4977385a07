import { type LocalClock, wallClock } from '../clock.js';
import type { Resolved, TemplateModel } from '../template/types.js';
import type { InvokeError, InvokeResult, Invoker, LocalLogger } from '../types.js';

/** Lambda's waits before the retries of a failed asynchronous invocation: about 1 and 2 minutes. */
export const LAMBDA_RETRY_DELAYS_MS: readonly number[] = [60_000, 120_000];

/**
 * Local asynchronous invocation waits this many times less than Lambda before a retry: 1 s and 2 s
 * after a failure rather than 1 and 2 minutes (on the local clock, which `--time-scale` speeds up
 * further). Each wait still ages the event by Lambda's length, so `MaximumEventAgeInSeconds` keeps its
 * meaning: with 60, an event is not retried, as on AWS where the first retry comes about a minute later.
 */
export const ASYNC_TIME_DIVISOR = 60;

/** The local retry delays (ms of the local clock): Lambda's, divided by ASYNC_TIME_DIVISOR. */
export const DEFAULT_RETRY_DELAYS_MS: readonly number[] = LAMBDA_RETRY_DELAYS_MS.map(
  (ms) => ms / ASYNC_TIME_DIVISOR,
);

/** Lambda's default for asynchronous invocations: two retries after the first attempt. */
export const DEFAULT_MAXIMUM_RETRY_ATTEMPTS = 2;

/** Lambda's default (and largest) maximum event age: 6 hours. */
export const DEFAULT_MAXIMUM_EVENT_AGE_SECONDS = 21_600;

/** How long stop() waits for invocations in flight. */
const STOP_GRACE_MS = 2_000;

/** A queue or topic that failed events can be sent to. */
export interface QueueOrTopic {
  kind: 'sqs' | 'sns';
  arn: string;
}

/** Where an asynchronous invocation's record goes once Lambda gives up on the event. */
export interface AsyncDestination {
  kind: 'sqs' | 'sns' | 'lambda';
  arn: string;
}

/** How Lambda invokes a function asynchronously: its `EventInvokeConfig` and `DeadLetterQueue`, defaults applied. */
export interface AsyncInvokeSettings {
  functionArn: string;
  /** 0..2. */
  maximumRetryAttempts: number;
  /** 60..21600 (each local back-off counts at Lambda's length, see ASYNC_TIME_DIVISOR). */
  maximumEventAgeSeconds: number;
  /** `DestinationConfig.OnFailure`: gets Lambda's invocation record. */
  onFailure?: AsyncDestination;
  /** `DeadLetterQueue`: gets the event itself, with the error in message attributes. */
  deadLetter?: QueueOrTopic;
}

/** Why Lambda gave up on an event (the record's `requestContext.condition`). */
export type AsyncFailureCondition = 'RetriesExhausted' | 'EventAgeExceeded';

function record(value: Resolved | undefined): Record<string, Resolved> {
  return typeof value === 'object' && value !== null && !Array.isArray(value) ? value : {};
}

function serviceOf(arn: string): string | undefined {
  return arn.split(':')[2];
}

/**
 * The asynchronous invocation settings of a function from its SAM `EventInvokeConfig`
 * (`MaximumRetryAttempts`, `MaximumEventAgeInSeconds`, `DestinationConfig.OnFailure` to an SQS queue,
 * SNS topic or function) and `DeadLetterQueue` (SQS or SNS). `warn` gets what is out of Lambda's
 * limits or not emulated (OnSuccess, EventBridge destinations).
 */
export function asyncInvokeSettings(
  model: TemplateModel,
  functionLogicalId: string,
  warn: (message: string) => void,
): AsyncInvokeSettings {
  const fn = model.functions.find((f) => f.logicalId === functionLogicalId);
  const properties = model.resources.get(functionLogicalId)?.properties ?? {};
  const config = record(properties.EventInvokeConfig);
  const where = `${functionLogicalId} EventInvokeConfig`;
  const retries = Number(config.MaximumRetryAttempts ?? DEFAULT_MAXIMUM_RETRY_ATTEMPTS);
  const age = Number(config.MaximumEventAgeInSeconds ?? DEFAULT_MAXIMUM_EVENT_AGE_SECONDS);
  const settings: AsyncInvokeSettings = {
    functionArn: fn?.arn ?? functionLogicalId,
    maximumRetryAttempts:
      Number.isInteger(retries) && retries >= 0 && retries <= 2 ? retries : DEFAULT_MAXIMUM_RETRY_ATTEMPTS,
    maximumEventAgeSeconds:
      Number.isInteger(age) && age >= 60 && age <= DEFAULT_MAXIMUM_EVENT_AGE_SECONDS
        ? age
        : DEFAULT_MAXIMUM_EVENT_AGE_SECONDS,
  };
  if (settings.maximumRetryAttempts !== retries) {
    warn(`${where}: MaximumRetryAttempts must be 0, 1 or 2 (got ${String(config.MaximumRetryAttempts)})`);
  }
  if (settings.maximumEventAgeSeconds !== age) {
    warn(
      `${where}: MaximumEventAgeInSeconds must be 60 to 21600 (got ${String(config.MaximumEventAgeInSeconds)})`,
    );
  }
  const destinations = record(config.DestinationConfig);
  if (destinations.OnSuccess !== undefined) warn(`${where}: OnSuccess is not delivered locally`);
  const destination = record(destinations.OnFailure).Destination;
  if (typeof destination === 'string' && destination !== '') {
    const service = serviceOf(destination);
    if (service === 'sqs' || service === 'sns' || service === 'lambda') {
      settings.onFailure = { kind: service, arn: destination };
    } else {
      warn(
        `${where}: OnFailure destination ${destination} is not delivered locally (SQS, SNS and Lambda are)`,
      );
    }
  }
  const dlq = record(properties.DeadLetterQueue);
  const target = dlq.TargetArn;
  if (typeof target === 'string' && target !== '') {
    const service = serviceOf(target);
    if (service === 'sqs' || service === 'sns') settings.deadLetter = { kind: service, arn: target };
    else warn(`${functionLogicalId} DeadLetterQueue: ${target} is neither an SQS queue nor an SNS topic`);
  }
  return settings;
}

/**
 * The invocation record Lambda sends to an OnFailure destination of an asynchronous invocation, with
 * the event in `requestPayload` and the error the function answered in `responsePayload`.
 */
export function asyncFailureRecord(input: {
  requestId: string;
  functionArn: string;
  attempts: number;
  event: unknown;
  error: InvokeError | undefined;
  condition?: AsyncFailureCondition;
  now?: Date;
}) {
  return {
    version: '1.0',
    timestamp: (input.now ?? new Date()).toISOString(),
    requestContext: {
      requestId: input.requestId,
      functionArn: `${input.functionArn}:$LATEST`,
      condition: input.condition ?? 'RetriesExhausted',
      approximateInvokeCount: input.attempts,
    },
    requestPayload: input.event,
    responseContext: { statusCode: 200, executedVersion: '$LATEST', functionError: 'Unhandled' },
    responsePayload: {
      errorType: input.error?.errorType ?? 'Error',
      errorMessage: input.error?.errorMessage ?? 'unknown',
    },
  };
}

/** Sends a document to a queue or topic (local/events/kinesis/failure-destination.ts). Rejects when it cannot. */
export interface QueueOrTopicSender {
  deliver(destination: QueueOrTopic, document: unknown, attributes?: Record<string, string>): Promise<void>;
}

export interface AsyncInvokerOptions {
  model: TemplateModel;
  invoker: Invoker;
  log: LocalLogger;
  /** The clock the back-off and the event age are measured on (default: the wall clock). */
  clock?: LocalClock;
  /** Waits before each retry, in ms of the local clock (default DEFAULT_RETRY_DELAYS_MS: 1 s, 2 s). */
  retryDelaysMs?: readonly number[];
  /** Sends to SQS and SNS destinations and dead-letter queues; without it, failed events are dropped. */
  destinations?: QueueOrTopicSender;
}

/** What the caller names the event by, for the console line when Lambda gives up on it. */
export interface AsyncInvocation {
  /** The trigger: `s3`, `sns`, `schedule`... (the invocation line's source too). */
  source: string;
  /** The event in a few words: `ObjectCreated:Put bucket/key`, `message <id>`. */
  what: string;
}

/** How an asynchronous invocation ended. */
export type AsyncOutcome =
  | { status: 'succeeded'; attempts: number }
  | {
      status: 'failed';
      attempts: number;
      condition: AsyncFailureCondition;
      /** The ARNs of the destinations that took the event (none: dropped). */
      sentTo: string[];
    }
  | { status: 'stopped'; attempts: number };

/**
 * Lambda's asynchronous invocation, shared by every local event source that invokes asynchronously
 * (S3 notifications, SNS, schedules): the first attempt at once, up to `MaximumRetryAttempts` retries
 * after a back-off on the local clock, no attempt once the event is older than
 * `MaximumEventAgeInSeconds`; then the invocation record to the OnFailure destination and the event to
 * the dead-letter queue, or one error line saying it was dropped.
 */
export class AsyncInvoker {
  readonly #options: AsyncInvokerOptions;
  readonly #clock: LocalClock;
  readonly #retryDelaysMs: readonly number[];
  readonly #settings = new Map<string, AsyncInvokeSettings>();
  readonly #inFlight = new Set<Promise<AsyncOutcome>>();
  readonly #stopping = new AbortController();

  constructor(options: AsyncInvokerOptions) {
    this.#options = options;
    this.#clock = options.clock ?? wallClock;
    this.#retryDelaysMs = options.retryDelaysMs ?? DEFAULT_RETRY_DELAYS_MS;
  }

  /** A function's settings, read from the template once (its warnings are logged then). */
  settings(functionLogicalId: string): AsyncInvokeSettings {
    let settings = this.#settings.get(functionLogicalId);
    if (!settings) {
      settings = asyncInvokeSettings(this.#options.model, functionLogicalId, (m) =>
        this.#options.log.warn(m),
      );
      this.#settings.set(functionLogicalId, settings);
    }
    return settings;
  }

  /**
   * Queues an event for a function and returns at once, as Lambda's `Event` invocation type does. The
   * promise (which never rejects) tells how it ended; callers that only fire may ignore it.
   */
  invoke(functionLogicalId: string, event: unknown, invocation: AsyncInvocation): Promise<AsyncOutcome> {
    const run = this.#run(functionLogicalId, event, invocation).catch((error: unknown): AsyncOutcome => {
      this.#options.log.error(`${invocation.source} → ${functionLogicalId}: ${String(error)}`);
      return { status: 'failed', attempts: 0, condition: 'RetriesExhausted', sentTo: [] };
    });
    const tracked = run.finally(() => this.#inFlight.delete(tracked));
    this.#inFlight.add(tracked);
    return tracked;
  }

  /** Cancels pending retries and waits briefly for invocations in flight. */
  async stop(): Promise<void> {
    this.#stopping.abort();
    let timer: NodeJS.Timeout | undefined;
    await Promise.race([
      Promise.allSettled([...this.#inFlight]),
      new Promise<void>((resolve) => {
        timer = setTimeout(resolve, STOP_GRACE_MS);
        timer.unref();
      }),
    ]);
    clearTimeout(timer);
  }

  async #run(logicalId: string, event: unknown, invocation: AsyncInvocation): Promise<AsyncOutcome> {
    const settings = this.settings(logicalId);
    const maxAgeMs = settings.maximumEventAgeSeconds * 1000;
    const retries = Math.min(settings.maximumRetryAttempts, this.#retryDelaysMs.length);
    // The event's age as Lambda would count it: the attempts' time on the local clock, and each
    // back-off at Lambda's length (the local wait times ASYNC_TIME_DIVISOR), so that a local retry
    // 1 s after a failure ages the event by a minute, as Lambda's retry does.
    let ageMs = 0;
    let attempts = 0;
    let last: Pick<InvokeResult, 'ok' | 'error'> & { requestId?: string } = { ok: false };
    for (;;) {
      attempts += 1;
      const started = this.#clock.now();
      last = await this.#options.invoker
        .invoke(logicalId, event, { source: invocation.source })
        .catch((error: unknown) => ({
          ok: false,
          error: { errorType: 'InvokeError', errorMessage: String(error) },
        }));
      ageMs += Math.max(0, this.#clock.now() - started);
      if (last.ok) return { status: 'succeeded', attempts };
      if (attempts > retries)
        return this.#giveUp(logicalId, event, invocation, attempts, last, 'RetriesExhausted');
      const delay = this.#retryDelaysMs[attempts - 1] ?? 0;
      try {
        await this.#clock.sleep(delay, this.#stopping.signal);
      } catch {
        return { status: 'stopped', attempts }; // stopped while waiting to retry
      }
      ageMs += delay * ASYNC_TIME_DIVISOR;
      // Lambda keeps an event no longer than its maximum age: too old, it is not tried again.
      if (ageMs > maxAgeMs)
        return this.#giveUp(logicalId, event, invocation, attempts, last, 'EventAgeExceeded');
    }
  }

  async #giveUp(
    logicalId: string,
    event: unknown,
    invocation: AsyncInvocation,
    attempts: number,
    last: Pick<InvokeResult, 'ok' | 'error'> & { requestId?: string },
    condition: AsyncFailureCondition,
  ): Promise<AsyncOutcome> {
    const { log } = this.#options;
    const settings = this.settings(logicalId);
    const error = `${last.error?.errorType ?? 'Error'}: ${last.error?.errorMessage ?? 'unknown'}`;
    const times = attempts === 1 ? 'once' : `${attempts} times`;
    const why =
      condition === 'RetriesExhausted'
        ? `failed ${times} (${error})`
        : `failed ${times} (${error}) and is older than its MaximumEventAgeInSeconds (${settings.maximumEventAgeSeconds})`;
    const what = `${invocation.source} → ${logicalId}: ${invocation.what} ${why}`;
    const requestId = last.requestId ?? '';
    const sends: { label: string; arn: string; send: () => Promise<void> }[] = [];
    const onFailure = settings.onFailure;
    if (onFailure) {
      const document = asyncFailureRecord({
        requestId,
        functionArn: settings.functionArn,
        attempts,
        event,
        error: last.error,
        condition,
        now: new Date(this.#clock.now()),
      });
      sends.push({ label: 'OnFailure', arn: onFailure.arn, send: () => this.#send(onFailure, document) });
    }
    const deadLetter = settings.deadLetter;
    if (deadLetter) {
      // A dead-letter queue gets the event itself; the error rides in message attributes.
      const attributes = {
        RequestID: requestId,
        ErrorCode: '200',
        ErrorMessage: last.error?.errorMessage ?? 'unknown',
      };
      sends.push({
        label: 'DeadLetterQueue',
        arn: deadLetter.arn,
        send: () => this.#sendTo(deadLetter, event, attributes),
      });
    }
    if (sends.length === 0) {
      log.error(`${what}; dropped`);
      return { status: 'failed', attempts, condition, sentTo: [] };
    }
    const sentTo: string[] = [];
    for (const { label, arn, send } of sends) {
      try {
        await send();
        sentTo.push(arn);
        log.warn(`${what}; sent to ${label} ${arn}`);
      } catch (failure) {
        log.error(`${what}; ${label} ${arn} refused it (${String(failure)}); dropped`);
      }
    }
    return { status: 'failed', attempts, condition, sentTo };
  }

  /** An OnFailure destination: a queue or topic, or a function of the template invoked asynchronously. */
  async #send(destination: AsyncDestination, document: unknown): Promise<void> {
    if (destination.kind !== 'lambda')
      return this.#sendTo({ kind: destination.kind, arn: destination.arn }, document);
    const target = this.#options.model.functions.find(
      (f) => destination.arn === f.arn || destination.arn.startsWith(`${f.arn}:`),
    );
    if (!target) throw new Error(`${destination.arn} is not a function of the template`);
    void this.invoke(target.logicalId, document, { source: 'destination', what: 'an OnFailure record' });
  }

  async #sendTo(
    destination: QueueOrTopic,
    document: unknown,
    attributes?: Record<string, string>,
  ): Promise<void> {
    const sender = this.#options.destinations;
    if (!sender) throw new Error(`no local ${destination.kind.toUpperCase()} to send to`);
    await sender.deliver(destination, document, attributes);
  }
}
