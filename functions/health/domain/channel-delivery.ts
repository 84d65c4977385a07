/**
 * Delivering to channels. On a state change the run makes one attempt per channel of the monitor, all
 * at once and each time-boxed ({@link fanOut}), so a slow or failing channel never holds the others or
 * the run. A failure worth retrying goes to the retry worker (handlers/channel-retry.ts, through SNS:
 * an asynchronous Lambda invocation), which retries with exponential backoff and jitter
 * ({@link deliverWithRetries}). Every final outcome is recorded on the channel, so its owner sees the
 * last failure.
 */

import { type ChannelEvent, eventType } from './channel-messages.js';
import type { Channel, DeliveryRecord } from './channels.js';
import type { AlertPublisher, DomainLogger } from './ports.js';
import type { Alert, Monitor } from './types.js';

/** One attempt's outcome. */
export type DeliveryOutcome =
  | { ok: true; statusCode?: number }
  | {
      ok: false;
      error: string;
      statusCode?: number;
      /** False when trying again cannot help (a 4xx, a refused address, a redirect). */
      retryable: boolean;
    };

/** Sends one event to one channel, once. Must settle when `signal` aborts. */
export type ChannelSender = (
  channel: Channel,
  event: ChannelEvent,
  signal: AbortSignal,
) => Promise<DeliveryOutcome>;

/** Channels by id, and the outcomes recorded on them. */
export interface ChannelStore {
  get(channelId: string): Promise<Channel | undefined>;
  /** The stored channels among `channelIds` (missing ones left out), in no particular order. */
  getMany(channelIds: readonly string[]): Promise<Channel[]>;
  listByOwner(ownerId: string): Promise<Channel[]>;
  create(channel: Channel): Promise<void>;
  /** Replace name and target (and hint) if the channel still has owner `ownerId`; false if not. */
  update(channel: Channel, ownerId: string): Promise<boolean>;
  /** Delete if it still has owner `ownerId`; false if not. */
  remove(channelId: string, ownerId: string): Promise<boolean>;
  /** Record a final outcome: `lastDelivery`, and on failure `lastFailure` and one more `failureCount`. */
  recordDelivery(channelId: string, record: DeliveryRecord): Promise<void>;
}

/** A delivery handed to the retry worker. */
export interface RetryJob {
  channelId: string;
  ownerId: string;
  event: ChannelEvent;
  /** Attempts already made. */
  attempts: number;
  /** The last attempt's error. */
  error: string;
}

/** Where failed first attempts go to be retried. */
export interface RetryQueue {
  enqueue(job: RetryJob): Promise<void>;
}

/** How long the run waits for one channel's first attempt. */
export const FIRST_ATTEMPT_TIMEOUT_MS = 3_000;

/** How long each retry may take. */
export const RETRY_ATTEMPT_TIMEOUT_MS = 5_000;

/** Backoff of the retries: 2 s, 4 s, 8 s, 16 s (each with jitter): 5 attempts in about 30 s. */
export const retryPolicy = { retries: 4, baseMs: 2_000, factor: 2, maxMs: 16_000 } as const;

/**
 * The wait before each retry: `baseMs x factor^n`, capped at `maxMs`, then "equal jitter" (half fixed,
 * half random), so channels that failed together do not retry in lockstep.
 */
export function backoffDelays(
  policy: { retries: number; baseMs: number; factor: number; maxMs: number } = retryPolicy,
  random: () => number = Math.random,
): number[] {
  return Array.from({ length: policy.retries }, (_, n) => {
    const ceiling = Math.min(policy.maxMs, policy.baseMs * policy.factor ** n);
    return Math.round(ceiling / 2 + random() * (ceiling / 2));
  });
}

function errorMessage(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

/**
 * One attempt of `send`, settled within `timeoutMs`: a timeout (or a sender that throws) is a
 * retryable failure, and the sender's request is aborted.
 */
export async function attemptDelivery(
  send: ChannelSender,
  channel: Channel,
  event: ChannelEvent,
  timeoutMs: number,
): Promise<DeliveryOutcome> {
  const controller = new AbortController();
  let timer: ReturnType<typeof setTimeout> | undefined;
  const expiry = new Promise<DeliveryOutcome>((resolve) => {
    timer = setTimeout(() => {
      controller.abort();
      resolve({ ok: false, error: `no answer within ${timeoutMs} ms`, retryable: true });
    }, timeoutMs);
  });
  try {
    return await Promise.race([
      send(channel, event, controller.signal).catch(
        (error: unknown): DeliveryOutcome => ({ ok: false, error: errorMessage(error), retryable: true }),
      ),
      expiry,
    ]);
  } finally {
    clearTimeout(timer);
  }
}

/** What {@link deliverWithRetries} ends with. */
export interface FinalOutcome {
  outcome: DeliveryOutcome;
  attempts: number;
}

/**
 * Attempts after the `alreadyMade` ones, waiting `delaysMs[i]` before each, until one succeeds, a
 * failure is not retryable, or the delays run out.
 */
export async function deliverWithRetries(
  attempt: () => Promise<DeliveryOutcome>,
  options: {
    delaysMs: readonly number[];
    sleep?: (ms: number) => Promise<void>;
    alreadyMade?: number;
    onFailure?: (outcome: DeliveryOutcome, attempts: number) => void;
  },
): Promise<FinalOutcome> {
  const sleep = options.sleep ?? ((ms) => new Promise<void>((resolve) => setTimeout(resolve, ms)));
  let attempts = options.alreadyMade ?? 0;
  let outcome: DeliveryOutcome = { ok: false, error: 'not attempted', retryable: true };
  for (const delay of options.delaysMs) {
    await sleep(delay);
    attempts += 1;
    outcome = await attempt();
    if (outcome.ok || !outcome.retryable) break;
    options.onFailure?.(outcome, attempts);
  }
  return { outcome, attempts };
}

/** The record of a final outcome. */
export function deliveryRecord(event: ChannelEvent, final: FinalOutcome, at: Date): DeliveryRecord {
  const { outcome, attempts } = final;
  const record: DeliveryRecord = { at: at.toISOString(), ok: outcome.ok, attempts, event: eventType(event) };
  if (outcome.statusCode !== undefined) record.statusCode = outcome.statusCode;
  if (!outcome.ok) record.error = outcome.error.slice(0, 300);
  return record;
}

/** One channel's part of a fan-out. */
export interface ChannelDelivery {
  channelId: string;
  outcome: DeliveryOutcome;
  /** Handed to the retry worker. */
  retrying: boolean;
}

/** What {@link fanOut} needs. */
export interface FanOutDependencies {
  channels: ChannelStore;
  send: ChannelSender;
  retries: RetryQueue;
  logger: DomainLogger;
  clock?: () => Date;
  timeoutMs?: number;
}

/**
 * Deliver `event` to the channels `channelIds` of a monitor of `ownerId`: one time-boxed attempt each,
 * all at once. Channels that are gone, or not the owner's, are skipped (logged). A retryable failure
 * goes to the retry queue (recorded there once it is final); any other outcome is recorded now.
 * Never throws: every failure is logged and returned.
 */
export async function fanOut(
  channelIds: readonly string[],
  ownerId: string,
  event: ChannelEvent,
  deps: FanOutDependencies,
): Promise<ChannelDelivery[]> {
  if (channelIds.length === 0) return [];
  const clock = deps.clock ?? (() => new Date());
  let channels: Channel[];
  try {
    channels = await deps.channels.getMany(channelIds);
  } catch (error) {
    deps.logger.error('Could not read the channels of an alert', { channelIds, error: errorMessage(error) });
    return [];
  }
  const usable = channels.filter((channel) => channel.ownerId === ownerId);
  if (usable.length < channelIds.length) {
    deps.logger.warn("Channels of a monitor missing or not its owner's; skipped", {
      skipped: channelIds.filter((id) => !usable.some((channel) => channel.channelId === id)),
    });
  }
  return Promise.all(
    usable.map(async (channel): Promise<ChannelDelivery> => {
      const outcome = await attemptDelivery(
        deps.send,
        channel,
        event,
        deps.timeoutMs ?? FIRST_ATTEMPT_TIMEOUT_MS,
      );
      let retrying = false;
      if (!outcome.ok && outcome.retryable) {
        try {
          await deps.retries.enqueue({
            channelId: channel.channelId,
            ownerId,
            event,
            attempts: 1,
            error: outcome.error,
          });
          retrying = true;
        } catch (error) {
          deps.logger.error('Could not hand a failed delivery to the retry worker', {
            channelId: channel.channelId,
            error: errorMessage(error),
          });
        }
      }
      if (!retrying) {
        try {
          await deps.channels.recordDelivery(
            channel.channelId,
            deliveryRecord(event, { outcome, attempts: 1 }, clock()),
          );
        } catch (error) {
          deps.logger.error('Could not record a delivery', {
            channelId: channel.channelId,
            error: errorMessage(error),
          });
        }
      }
      if (!outcome.ok) {
        deps.logger.warn('Channel delivery failed', {
          channelId: channel.channelId,
          kind: channel.kind,
          error: outcome.error,
          retrying,
        });
      }
      return { channelId: channel.channelId, outcome, retrying };
    }),
  );
}

/**
 * The retry worker's part: load the channel (still the owner's), retry with backoff, record the final
 * outcome. Returns it, or undefined when the channel is gone.
 */
export async function retryDelivery(
  job: RetryJob,
  deps: {
    channels: ChannelStore;
    send: ChannelSender;
    logger: DomainLogger;
    delaysMs?: readonly number[];
    sleep?: (ms: number) => Promise<void>;
    clock?: () => Date;
    timeoutMs?: number;
  },
): Promise<DeliveryRecord | undefined> {
  const channel = await deps.channels.get(job.channelId);
  if (channel === undefined || channel.ownerId !== job.ownerId) {
    deps.logger.info('Channel gone before its retry; dropped', { channelId: job.channelId });
    return undefined;
  }
  const final = await deliverWithRetries(
    () => attemptDelivery(deps.send, channel, job.event, deps.timeoutMs ?? RETRY_ATTEMPT_TIMEOUT_MS),
    {
      delaysMs: deps.delaysMs ?? backoffDelays(),
      alreadyMade: job.attempts,
      ...(deps.sleep === undefined ? {} : { sleep: deps.sleep }),
      onFailure: (outcome, attempts) =>
        deps.logger.warn('Channel delivery retry failed', {
          channelId: channel.channelId,
          attempts,
          error: outcome.ok ? undefined : outcome.error,
        }),
    },
  );
  const record = deliveryRecord(job.event, final, (deps.clock ?? (() => new Date()))());
  await deps.channels.recordDelivery(channel.channelId, record);
  return record;
}

/**
 * The run's {@link AlertPublisher}: the alert goes to the operators' topic as before and, for a monitor
 * that names channels, to each of them ({@link fanOut}), both at once. A failing channel never fails
 * the publication (only the topic's own failure does, as before).
 */
export class ChannelAlertPublisher implements AlertPublisher {
  public constructor(
    private readonly topic: AlertPublisher,
    private readonly fanOutDeps: () => FanOutDependencies | undefined,
  ) {}

  public async publish(alert: Alert, monitor?: Monitor): Promise<void> {
    const channelIds = monitor?.channelIds ?? [];
    const deps = channelIds.length === 0 ? undefined : this.fanOutDeps();
    if (channelIds.length > 0 && deps === undefined) {
      throw new Error(`monitor ${alert.monitorId} names channels, but the function has no CHANNELS_TABLE`);
    }
    const channels =
      deps === undefined || monitor === undefined
        ? Promise.resolve([])
        : fanOut(channelIds, monitor.ownerId, { kind: 'alert', alert }, deps);
    try {
      await this.topic.publish(alert, monitor);
    } finally {
      await channels;
    }
  }
}
