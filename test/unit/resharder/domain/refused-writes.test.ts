/**
 * The refused-writes path (docs/resharding.md, "Refused writes"): ScaleOutRefusedAlarm fires on the
 * producers' high-resolution count of refused records, before the stream's one-minute metrics show
 * the surge. The decision doubles at once; the scale-out loop sizes the next steps from the metrics.
 */
import { describe, expect, it } from 'vitest';
import { handleAlarmNotification } from '../../../../functions/resharder/domain/reshard.js';
import {
  DEFAULT_POLICY,
  decideTarget,
  type ScalingInput,
} from '../../../../functions/resharder/domain/scaling.js';
import {
  memoryDeps,
  minuteDemand,
  notificationOf,
  reshardSettings,
  SCALE_IN_ALARM,
  SCALE_OUT_ALARM,
} from '../../../helpers/resharder.js';

const REFUSED_ALARM = 'kumo-dev-ScaleOutRefusedAlarm-7HJ2KD9QW1LM';
const now = new Date('2026-11-27T17:00:00Z');
const flat = (shards: number) => minuteDemand(now, Array(40).fill(shards));

const input = (overrides: Partial<ScalingInput>): ScalingInput => ({
  direction: 'out',
  currentShards: 3,
  demand: flat(2),
  scalingsInLast24h: 0,
  now,
  ...overrides,
});

describe('Function: decideTarget() on refused writes', () => {
  it('doubles at once although the published metrics still show the old demand', () => {
    expect(decideTarget(input({ refusing: true }), DEFAULT_POLICY)).toMatchObject({
      action: 'scale-out',
      from: 3,
      to: 6,
      wanted: 6,
      reason: 'writes-refused',
    });
    // Without the signal the same metrics ask for nothing.
    expect(decideTarget(input({}), DEFAULT_POLICY)).toMatchObject({
      action: 'none',
      reason: 'enough-shards',
    });
  });

  it('sizes from the metrics when they already ask for more than a doubling', () => {
    expect(decideTarget(input({ refusing: true, demand: flat(20) }), DEFAULT_POLICY)).toMatchObject({
      action: 'scale-out',
      to: 6,
      wanted: 24,
      reason: 'capped-by-double',
    });
  });

  it('stays within the operator bounds', () => {
    const policy = { ...DEFAULT_POLICY, maxShards: 4 };
    expect(decideTarget(input({ refusing: true }), policy)).toMatchObject({
      to: 4,
      reason: 'capped-by-max-shards',
    });
    expect(decideTarget(input({ refusing: true, currentShards: 4 }), policy)).toMatchObject({
      action: 'none',
      reason: 'at-max-shards',
    });
  });
});

describe('Function: handleAlarmNotification() on the refused-writes alarm', () => {
  const settings = reshardSettings({ refusedWritesAlarm: REFUSED_ALARM });
  const refused = notificationOf('reshard-scale-out', { alarmName: REFUSED_ALARM });
  const at = new Date(refused.stateChangeTime.getTime() + 5_000);
  const deadline = new Date(at.getTime() + 600_000);

  function depsWithRefusedAlarm(shards: number) {
    const setup = memoryDeps(shards, at, refused.stateChangeTime);
    const scaleOut = setup.alarms.alarms.get(SCALE_OUT_ALARM);
    if (!scaleOut) throw new Error('no scale-out alarm');
    setup.alarms.alarms.set(SCALE_OUT_ALARM, { ...scaleOut, state: 'OK' });
    setup.alarms.alarms.set(REFUSED_ALARM, {
      name: REFUSED_ALARM,
      state: 'ALARM',
      stateUpdatedAt: refused.stateChangeTime,
      configurationUpdatedAt: new Date(refused.stateChangeTime.getTime() - 3_600_000),
      expressions: { refused: 'FILL(stream, 0) + FILL(poller, 0)' },
    });
    return setup;
  }

  it('doubles, retargets the utilisation alarms, takes one fresh look once ACTIVE, never touches its own alarm', async () => {
    const { stream, alarms, metrics, deps } = depsWithRefusedAlarm(3);
    metrics.demand = minuteDemand(at, Array(40).fill(2));
    const report = await handleAlarmNotification(refused, settings, deps, deadline);
    expect(report).toMatchObject({
      outcome: 'scaled',
      direction: 'out',
      from: 3,
      to: 6,
      reason: 'writes-refused',
      updateCalls: 1,
      alarmsRewritten: [SCALE_OUT_ALARM, SCALE_IN_ALARM],
    });
    // The fresh look: the metrics now fit 6 shards, so no second call.
    expect(stream.calls).toEqual(['UpdateShardCount 6', 'wait']);
    expect(alarms.calls.some((call) => call.includes(REFUSED_ALARM))).toBe(false);
  });

  it('goes on from the metrics when they show the surge by the time the stream is ACTIVE', async () => {
    const { stream, metrics, deps } = depsWithRefusedAlarm(3);
    metrics.demand = minuteDemand(at, Array(40).fill(2));
    const waitUntilActive = stream.waitUntilActive.bind(stream);
    stream.waitUntilActive = async () => {
      // While the first step runs, the surge's minutes are published.
      metrics.demand = minuteDemand(at, [...Array(37).fill(2), 12, 20, 20], [0, 0, 0, 0]);
      return waitUntilActive();
    };
    const report = await handleAlarmNotification(refused, settings, deps, deadline);
    expect(stream.calls).toEqual([
      'UpdateShardCount 6',
      'wait',
      'UpdateShardCount 12',
      'wait',
      'UpdateShardCount 24',
    ]);
    expect(report).toMatchObject({ from: 3, to: 24, updateCalls: 3, reason: 'writes-refused' });
  });

  it('leaves an UPDATING stream alone without re-arming (the alarm clears itself every 10 s)', async () => {
    const { stream, alarms, deps } = depsWithRefusedAlarm(3);
    stream.status = 'UPDATING';
    const report = await handleAlarmNotification(refused, settings, deps, deadline);
    expect(report).toMatchObject({ outcome: 'busy', rearmed: false });
    expect(stream.calls).toEqual([]);
    expect(alarms.calls).toEqual([]);
  });

  it('is an unknown alarm when the template gives no refused-writes alarm', async () => {
    const { deps } = depsWithRefusedAlarm(3);
    const report = await handleAlarmNotification(refused, reshardSettings(), deps, deadline);
    expect(report).toMatchObject({ outcome: 'ignored', reason: 'unknown-alarm' });
  });
});
