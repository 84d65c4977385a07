import { describe, expect, it } from 'vitest';
import { MemoryPushStore } from '../../../../functions/health/adapters/memory-push.js';
import {
  MemoryAlertPublisher,
  MemoryMonitorStore,
  MemoryResultStore,
} from '../../../../functions/health/adapters/memory-stores.js';
import { createMonitor } from '../../../../functions/health/domain/monitor.js';
import { silentLogger } from '../../../../functions/health/domain/ports.js';
import {
  evaluatePush,
  hashPushSecret,
  makePushToken,
  parsePushToken,
  pushSecretMatches,
  recordPing,
} from '../../../../functions/health/domain/push.js';
import { runChecks } from '../../../../functions/health/domain/run.js';
import type { Monitor, MonitorRecord } from '../../../../functions/health/domain/types.js';
import { makeState } from '../../../helpers/factories.js';

const created = new Date('2025-01-15T12:00:00.000Z');
const minutes = (n: number) => new Date(created.getTime() + n * 60_000);
const secret = new Uint8Array(32).fill(7);

function pushMonitor(overrides: Partial<Monitor> = {}): Monitor {
  return {
    ...createMonitor({ kind: 'push', name: 'Backup', periodMinutes: 60, graceMinutes: 5 }, created, {
      monitorId: 'heartbeat-0123456789abcdef',
      ownerId: 'user-a',
    }),
    ...overrides,
  };
}

describe('Push tokens', () => {
  it('are the monitor id and 43 base64url characters, stored as a SHA-256 and compared in constant time', () => {
    const token = makePushToken('heartbeat-0123456789abcdef', secret);
    expect(token).toMatch(/^heartbeat-0123456789abcdef\.[A-Za-z0-9_-]{43}$/);
    const parsed = parsePushToken(token);
    expect(parsed?.monitorId).toBe('heartbeat-0123456789abcdef');
    const hash = hashPushSecret(parsed?.secret ?? '');
    expect(hash).toMatch(/^[0-9a-f]{64}$/);
    expect(pushSecretMatches(parsed?.secret ?? '', hash)).toBe(true);
    expect(pushSecretMatches(`${(parsed?.secret ?? '').slice(0, 42)}A`, hash)).toBe(false);
    expect(pushSecretMatches(parsed?.secret ?? '', undefined)).toBe(false);
    expect(pushSecretMatches(parsed?.secret ?? '', 'not-hex')).toBe(false);
  });

  it.each([
    '',
    'heartbeat-0123456789abcdef',
    'heartbeat.short',
    'Heartbeat-x.AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA',
    `a.${'A'.repeat(44)}`,
  ])('refuses %j as a token', (value) => {
    expect(parsePushToken(value)).toBeUndefined();
  });
});

describe('Function: evaluatePush()', () => {
  const record = (
    push: MonitorRecord['push'],
    state = makeState({ status: 'UP', since: created.toISOString() }),
  ) =>
    ({
      monitor: pushMonitor(),
      state,
      buckets: [],
      ...(push === undefined ? {} : { push }),
    }) as MonitorRecord;

  it('is UP while the last ping is within period plus grace, DOWN one second after', () => {
    const pinged = record({ lastPingAt: minutes(0).toISOString() });
    expect(evaluatePush(pinged, minutes(65)).status).toBe('UP');
    const late = evaluatePush(pinged, new Date(minutes(65).getTime() + 1000));
    expect(late).toMatchObject({
      status: 'DOWN',
      error: `no ping within 60 min + 5 min grace (last ping ${minutes(0).toISOString()})`,
    });
  });

  it('is DOWN at once after a fail ping, whatever the time', () => {
    expect(
      evaluatePush(record({ lastPingAt: minutes(0).toISOString(), lastPingFailed: true }), minutes(1)),
    ).toMatchObject({
      status: 'DOWN',
      error: `the job reported a failure (ping at ${minutes(0).toISOString()})`,
    });
  });

  it('counts the allowance from a resume, not from a ping before the pause', () => {
    const resumed = record(
      { lastPingAt: minutes(0).toISOString() },
      makeState({ status: 'PENDING', since: minutes(300).toISOString() }),
    );
    expect(evaluatePush(resumed, minutes(330)).status).toBe('UP');
    expect(evaluatePush(resumed, minutes(366)).status).toBe('DOWN');
  });
});

describe('Function: recordPing() and the run, on a fake clock', () => {
  async function setup() {
    const results = new MemoryResultStore();
    const monitors = new MemoryMonitorStore(
      [{ monitor: pushMonitor(), state: makeState({ since: created.toISOString() }), buckets: [] }],
      results,
    );
    const pushes = new MemoryPushStore(monitors);
    const alerts = new MemoryAlertPublisher();
    const token = makePushToken('heartbeat-0123456789abcdef', secret);
    const parsed = parsePushToken(token);
    if (parsed === undefined) throw new Error('bad token');
    expect(await pushes.setPushToken(parsed.monitorId, 'user-a', hashPushSecret(parsed.secret))).toBe(true);
    const deps = { monitors, pushes, results, alerts, logger: silentLogger };
    const run = (at: Date) =>
      runChecks(
        {
          monitors,
          results,
          alerts,
          probe: () => Promise.reject(new Error('push monitors are never probed')),
        },
        { concurrency: 2, clock: () => at },
      );
    return { deps, parsed, monitors, results, alerts, run };
  }

  it('goes UP on the first ping, DOWN with one alert when the next one is missing, UP again on a ping', async () => {
    const { deps, parsed, monitors, results, alerts, run } = await setup();
    // Before any ping the run has nothing to judge.
    expect((await run(minutes(1))).checked).toBe(0);
    expect(await recordPing(deps, parsed, false, minutes(2))).toEqual({
      kind: 'recorded',
      status: 'UP',
      alerts: 0,
    });
    expect(monitors.records.get(parsed.monitorId)?.state.status).toBe('UP');
    // Within period + grace: UP, no alert.
    expect(await run(minutes(60))).toMatchObject({ checked: 1, up: 1, alerts: 0 });
    // Past it: DOWN, one alert, and no second one on the next runs.
    expect(await run(minutes(68))).toMatchObject({ checked: 1, down: 1, alerts: 1 });
    expect(await run(minutes(69))).toMatchObject({ checked: 1, down: 1, alerts: 0 });
    expect(alerts.alerts.map((alert) => [alert.type, alert.reason])).toEqual([
      ['MONITOR_DOWN', `no ping within 60 min + 5 min grace (last ping ${minutes(2).toISOString()})`],
    ]);
    // The late ping brings it back at once, with the UP alert.
    expect(await recordPing(deps, parsed, false, minutes(70))).toEqual({
      kind: 'recorded',
      status: 'UP',
      alerts: 1,
    });
    expect(alerts.alerts.map((alert) => alert.type)).toEqual(['MONITOR_DOWN', 'MONITOR_UP']);
    // Pings and verdicts are results: uptime counts both.
    expect(results.results.map((result) => result.status)).toEqual(['UP', 'UP', 'DOWN', 'DOWN', 'UP']);
  });

  it('marks DOWN at once on a fail ping, with one alert', async () => {
    const { deps, parsed, alerts } = await setup();
    await recordPing(deps, parsed, false, minutes(1));
    expect(await recordPing(deps, parsed, true, minutes(2))).toEqual({
      kind: 'recorded',
      status: 'DOWN',
      alerts: 1,
    });
    expect(alerts.alerts).toMatchObject([
      { type: 'MONITOR_DOWN', reason: 'the job reported a failure (fail ping)' },
    ]);
  });

  it("hands a ping's alert the monitor, so its channels get it as a run's alerts do", async () => {
    const { deps, parsed } = await setup();
    const published: [string, string | undefined][] = [];
    const channelAware = {
      publish: async (alert: { type: string }, monitor?: { monitorId: string }) => {
        published.push([alert.type, monitor?.monitorId]);
      },
    };
    await recordPing({ ...deps, alerts: channelAware }, parsed, false, minutes(1));
    await recordPing({ ...deps, alerts: channelAware }, parsed, true, minutes(2));
    expect(published).toEqual([['MONITOR_DOWN', parsed.monitorId]]);
  });

  it('refuses a wrong secret, another monitor id, and a ping too soon after the last', async () => {
    const { deps, parsed } = await setup();
    expect(await recordPing(deps, { ...parsed, secret: 'A'.repeat(43) }, false, minutes(1))).toEqual({
      kind: 'unknown',
    });
    expect(
      await recordPing(deps, { ...parsed, monitorId: 'heartbeat-ffffffffffffffff' }, false, minutes(1)),
    ).toEqual({
      kind: 'unknown',
    });
    await recordPing(deps, parsed, false, minutes(1));
    expect(await recordPing(deps, parsed, false, new Date(minutes(1).getTime() + 4_000))).toEqual({
      kind: 'too-soon',
    });
    expect((await recordPing(deps, parsed, false, new Date(minutes(1).getTime() + 5_000))).kind).toBe(
      'recorded',
    );
  });

  it('notes the ping of a paused monitor without judging it', async () => {
    const { deps, parsed, monitors, results } = await setup();
    const stored = monitors.records.get(parsed.monitorId);
    if (stored === undefined) throw new Error('missing');
    stored.monitor.paused = true;
    expect(await recordPing(deps, parsed, false, minutes(1))).toEqual({ kind: 'paused' });
    expect(results.results).toEqual([]);
    expect(monitors.records.get(parsed.monitorId)?.push?.lastPingAt).toBe(minutes(1).toISOString());
  });
});
