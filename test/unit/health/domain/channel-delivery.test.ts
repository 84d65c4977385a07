import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { MemoryChannelStore } from '../../../../functions/health/adapters/memory-channel-store.js';
import {
  attemptDelivery,
  backoffDelays,
  ChannelAlertPublisher,
  type ChannelSender,
  type DeliveryOutcome,
  deliverWithRetries,
  fanOut,
  type RetryJob,
  retryDelivery,
  retryPolicy,
} from '../../../../functions/health/domain/channel-delivery.js';
import type { ChannelEvent } from '../../../../functions/health/domain/channel-messages.js';
import type { Channel } from '../../../../functions/health/domain/channels.js';
import { silentLogger } from '../../../../functions/health/domain/ports.js';
import type { Alert } from '../../../../functions/health/domain/types.js';
import { makeMonitor } from '../../../helpers/factories.js';

const ADA = 'ada-sub';
const alert: Alert = {
  type: 'MONITOR_DOWN',
  monitorId: 'shop-0123456789abcdef',
  name: 'Shop',
  url: 'https://shop.example.com/',
  status: 'DOWN',
  previousStatus: 'UP',
  reason: 'HTTP 503',
  at: '2026-12-06T04:00:00.000Z',
};
const event: ChannelEvent = { kind: 'alert', alert };
const now = () => new Date('2026-12-06T04:00:05.000Z');

function channel(n: number, overrides: Partial<Channel> = {}): Channel {
  return {
    channelId: `ch-${String(n).padStart(20, '0')}`,
    ownerId: ADA,
    kind: 'webhook',
    name: `hook ${n}`,
    createdAt: `2026-12-06T03:0${n}:00.000Z`,
    targetHint: 'https://hooks.example.com/…',
    target: { url: `https://hooks.example.com/${n}`, secret: 'kumo_whsec_x' },
    failureCount: 0,
    ...overrides,
  };
}

async function storeWith(...channels: Channel[]) {
  const store = new MemoryChannelStore();
  for (const c of channels) await store.create(c);
  return store;
}

const ok: DeliveryOutcome = { ok: true, statusCode: 204 };
const busy: DeliveryOutcome = { ok: false, statusCode: 503, error: 'HTTP 503', retryable: true };
const gone: DeliveryOutcome = { ok: false, statusCode: 404, error: 'HTTP 404', retryable: false };

describe('Function: backoffDelays()', () => {
  it('doubles from 2 s to 16 s, each with half of it random (equal jitter)', () => {
    expect(backoffDelays(retryPolicy, () => 0)).toEqual([1000, 2000, 4000, 8000]);
    expect(backoffDelays(retryPolicy, () => 1)).toEqual([2000, 4000, 8000, 16000]);
    expect(backoffDelays(retryPolicy, () => 0.5)).toEqual([1500, 3000, 6000, 12000]);
  });

  it('caps each wait at maxMs', () => {
    expect(backoffDelays({ retries: 6, baseMs: 1000, factor: 3, maxMs: 5000 }, () => 1)).toEqual([
      1000, 3000, 5000, 5000, 5000, 5000,
    ]);
  });
});

describe('Function: deliverWithRetries() (fake timers)', () => {
  beforeEach(() => {
    vi.useFakeTimers();
  });
  afterEach(() => {
    vi.useRealTimers();
  });

  it('waits each delay before the next attempt and stops at the first success', async () => {
    const outcomes = [busy, busy, ok];
    const attempt = vi.fn(async () => outcomes.shift() ?? ok);
    const done = deliverWithRetries(attempt, { delaysMs: [1000, 2000, 4000, 8000], alreadyMade: 1 });
    await vi.advanceTimersByTimeAsync(999);
    expect(attempt).toHaveBeenCalledTimes(0);
    await vi.advanceTimersByTimeAsync(1);
    expect(attempt).toHaveBeenCalledTimes(1);
    await vi.advanceTimersByTimeAsync(1999);
    expect(attempt).toHaveBeenCalledTimes(1);
    await vi.advanceTimersByTimeAsync(1);
    expect(attempt).toHaveBeenCalledTimes(2);
    await vi.advanceTimersByTimeAsync(4000);
    await expect(done).resolves.toEqual({ outcome: ok, attempts: 4 });
    expect(attempt).toHaveBeenCalledTimes(3);
  });

  it('gives up after the last delay, with the last failure', async () => {
    const attempt = vi.fn(async () => busy);
    const failures: number[] = [];
    const done = deliverWithRetries(attempt, {
      delaysMs: [100, 200],
      alreadyMade: 1,
      onFailure: (_outcome, attempts) => failures.push(attempts),
    });
    await vi.advanceTimersByTimeAsync(300);
    await expect(done).resolves.toEqual({ outcome: busy, attempts: 3 });
    expect(failures).toEqual([2, 3]);
  });

  it('stops at once on a failure retrying cannot fix', async () => {
    const attempt = vi.fn(async () => gone);
    const done = deliverWithRetries(attempt, { delaysMs: [100, 200, 400] });
    await vi.advanceTimersByTimeAsync(1000);
    await expect(done).resolves.toEqual({ outcome: gone, attempts: 1 });
  });
});

describe('Function: attemptDelivery()', () => {
  beforeEach(() => {
    vi.useFakeTimers();
  });
  afterEach(() => {
    vi.useRealTimers();
  });

  it('times a silent sender out (retryable) and aborts its request', async () => {
    let signal: AbortSignal | undefined;
    const hang: ChannelSender = (_c, _e, s) => {
      signal = s;
      return new Promise(() => undefined);
    };
    const done = attemptDelivery(hang, channel(1), event, 3000);
    await vi.advanceTimersByTimeAsync(3000);
    await expect(done).resolves.toEqual({ ok: false, error: 'no answer within 3000 ms', retryable: true });
    expect(signal?.aborted).toBe(true);
  });

  it('turns a sender that throws into a retryable failure', async () => {
    const boom: ChannelSender = async () => {
      throw new Error('socket hang up');
    };
    await expect(attemptDelivery(boom, channel(1), event, 3000)).resolves.toEqual({
      ok: false,
      error: 'socket hang up',
      retryable: true,
    });
  });
});

describe('Function: fanOut()', () => {
  it('sends to every channel at once; a hanging one neither blocks the others nor the caller past its time box', async () => {
    vi.useFakeTimers();
    try {
      const store = await storeWith(channel(1), channel(2), channel(3));
      const sent: string[] = [];
      const send: ChannelSender = async (c) => {
        sent.push(c.channelId);
        if (c.channelId.endsWith('2')) return new Promise(() => undefined);
        return ok;
      };
      const retries = { enqueue: vi.fn(async (_job: RetryJob) => undefined) };
      const done = fanOut([channel(1).channelId, channel(2).channelId, channel(3).channelId], ADA, event, {
        channels: store,
        send,
        retries,
        logger: silentLogger,
        clock: now,
        timeoutMs: 3000,
      });
      await vi.advanceTimersByTimeAsync(3000);
      const deliveries = await done;
      expect(sent).toHaveLength(3);
      expect(deliveries.map((d) => [d.channelId.slice(-1), d.outcome.ok, d.retrying])).toEqual(
        expect.arrayContaining([
          ['1', true, false],
          ['2', false, true],
          ['3', true, false],
        ]),
      );
      expect(retries.enqueue).toHaveBeenCalledWith({
        channelId: channel(2).channelId,
        ownerId: ADA,
        event,
        attempts: 1,
        error: 'no answer within 3000 ms',
      });
      // Recorded now: the successes. The retried one is recorded by the retry worker.
      expect((await store.get(channel(1).channelId))?.lastDelivery).toEqual({
        at: '2026-12-06T04:00:05.000Z',
        ok: true,
        attempts: 1,
        statusCode: 204,
        event: 'MONITOR_DOWN',
      });
      expect((await store.get(channel(2).channelId))?.lastDelivery).toBeUndefined();
    } finally {
      vi.useRealTimers();
    }
  });

  it('records a failure retrying cannot fix at once, visible to the owner', async () => {
    const store = await storeWith(channel(1));
    const retries = { enqueue: vi.fn(async () => undefined) };
    await fanOut([channel(1).channelId], ADA, event, {
      channels: store,
      send: async () => gone,
      retries,
      logger: silentLogger,
      clock: now,
    });
    expect(retries.enqueue).not.toHaveBeenCalled();
    const stored = await store.get(channel(1).channelId);
    expect(stored?.failureCount).toBe(1);
    expect(stored?.lastFailure).toMatchObject({ ok: false, statusCode: 404, error: 'HTTP 404' });
  });

  it("skips channels that are gone or someone else's (never sends another owner's)", async () => {
    const store = await storeWith(channel(1), channel(2, { ownerId: 'bob-sub' }));
    const send = vi.fn<ChannelSender>(async () => ok);
    const deliveries = await fanOut(
      [channel(1).channelId, channel(2).channelId, channel(9).channelId],
      ADA,
      event,
      { channels: store, send, retries: { enqueue: async () => undefined }, logger: silentLogger },
    );
    expect(deliveries.map((d) => d.channelId)).toEqual([channel(1).channelId]);
    expect(send).toHaveBeenCalledTimes(1);
  });

  it('records a retryable failure when the retry queue is down, and never throws', async () => {
    const store = await storeWith(channel(1));
    const deliveries = await fanOut([channel(1).channelId], ADA, event, {
      channels: store,
      send: async () => busy,
      retries: {
        enqueue: async () => {
          throw new Error('SNS down');
        },
      },
      logger: silentLogger,
    });
    expect(deliveries[0]?.retrying).toBe(false);
    expect((await store.get(channel(1).channelId))?.failureCount).toBe(1);
  });
});

describe('Class: ChannelAlertPublisher', () => {
  it("publishes to the topic and to the monitor's channels", async () => {
    const store = await storeWith(channel(1));
    const topic = { publish: vi.fn(async () => undefined) };
    const send = vi.fn<ChannelSender>(async () => ok);
    const publisher = new ChannelAlertPublisher(topic, () => ({
      channels: store,
      send,
      retries: { enqueue: async () => undefined },
      logger: silentLogger,
    }));
    const monitor = makeMonitor({ url: alert.url }, { ownerId: ADA });
    await publisher.publish(alert, { ...monitor, channelIds: [channel(1).channelId] });
    expect(topic.publish).toHaveBeenCalledTimes(1);
    expect(send).toHaveBeenCalledWith(
      expect.objectContaining({ channelId: channel(1).channelId }),
      event,
      expect.any(AbortSignal),
    );
  });

  it('still delivers to the channels when the topic fails, then reports the topic failure', async () => {
    const store = await storeWith(channel(1));
    const send = vi.fn<ChannelSender>(async () => ok);
    const publisher = new ChannelAlertPublisher(
      {
        publish: async () => {
          throw new Error('topic down');
        },
      },
      () => ({ channels: store, send, retries: { enqueue: async () => undefined }, logger: silentLogger }),
    );
    const monitor = {
      ...makeMonitor({ url: alert.url }, { ownerId: ADA }),
      channelIds: [channel(1).channelId],
    };
    await expect(publisher.publish(alert, monitor)).rejects.toThrow('topic down');
    expect(send).toHaveBeenCalledTimes(1);
  });

  it('only publishes to the topic for a monitor without channels (as before)', async () => {
    const topic = { publish: vi.fn(async () => undefined) };
    const deps = vi.fn(() => undefined);
    await new ChannelAlertPublisher(topic, deps).publish(alert, makeMonitor({ url: alert.url }));
    expect(topic.publish).toHaveBeenCalledTimes(1);
    expect(deps).not.toHaveBeenCalled();
  });
});

describe('Function: retryDelivery()', () => {
  const job: RetryJob = {
    channelId: channel(1).channelId,
    ownerId: ADA,
    event,
    attempts: 1,
    error: 'HTTP 503',
  };

  it('retries with the backoff and records the final outcome with every attempt counted', async () => {
    const store = await storeWith(channel(1));
    const outcomes = [busy, ok];
    const waits: number[] = [];
    const record = await retryDelivery(job, {
      channels: store,
      send: async () => outcomes.shift() ?? ok,
      logger: silentLogger,
      delaysMs: [10, 20, 40],
      sleep: async (ms) => {
        waits.push(ms);
      },
      clock: now,
    });
    expect(waits).toEqual([10, 20]);
    expect(record).toEqual({
      at: '2026-12-06T04:00:05.000Z',
      ok: true,
      attempts: 3,
      statusCode: 204,
      event: 'MONITOR_DOWN',
    });
    expect((await store.get(job.channelId))?.lastDelivery).toEqual(record);
  });

  it('records the failure after the last retry', async () => {
    const store = await storeWith(channel(1));
    const record = await retryDelivery(job, {
      channels: store,
      send: async () => busy,
      logger: silentLogger,
      delaysMs: [1, 1],
      sleep: async () => undefined,
    });
    expect(record).toMatchObject({ ok: false, attempts: 3, error: 'HTTP 503' });
    expect((await store.get(job.channelId))?.failureCount).toBe(1);
  });

  it('drops a job whose channel was deleted or changed owner', async () => {
    const store = await storeWith(channel(1, { ownerId: 'bob-sub' }));
    const send = vi.fn<ChannelSender>(async () => ok);
    expect(
      await retryDelivery(job, { channels: store, send, logger: silentLogger, sleep: async () => undefined }),
    ).toBe(undefined);
    expect(send).not.toHaveBeenCalled();
  });
});
