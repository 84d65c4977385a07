import { describe, expect, it } from 'vitest';
import { alarmShardCounts } from '../../../../functions/resharder/domain/alarms.js';
import { handleAlarmNotification } from '../../../../functions/resharder/domain/reshard.js';
import {
  alarmView,
  memoryDeps,
  minuteDemand,
  notificationOf,
  reshardSettings,
  SCALE_IN_ALARM,
  SCALE_OUT_ALARM,
} from '../../../helpers/resharder.js';

const scaleOut = notificationOf('reshard-scale-out');
const firedAt = scaleOut.stateChangeTime;
const now = new Date(firedAt.getTime() + 5_000);
const deadline = new Date(now.getTime() + 600_000);
const settings = reshardSettings();

/** Low demand for 30 minutes, then `shards` for the last ten (a jump). */
const jumpTo = (shards: number) => minuteDemand(now, [...Array(30).fill(1), ...Array(10).fill(shards)]);

describe('Function: handleAlarmNotification()', () => {
  it('scales out to the count the demand needs, records it, retargets and resets both alarms', async () => {
    const { stream, alarms, metrics, history, deps } = memoryDeps(4, now, firedAt);
    metrics.demand = jumpTo(6);
    const report = await handleAlarmNotification(scaleOut, settings, deps, deadline);
    expect(report).toMatchObject({
      outcome: 'scaled',
      reason: 'demand',
      direction: 'out',
      from: 4,
      to: 8,
      method: 'UpdateShardCount',
      updateCalls: 1,
      alarmsRewritten: [SCALE_OUT_ALARM, SCALE_IN_ALARM],
    });
    expect(report.utilisation).toBeCloseTo(1.5);
    expect(stream.calls).toEqual(['UpdateShardCount 8']);
    expect(history.scalings).toEqual([
      { at: now, from: 4, to: 8, method: 'UpdateShardCount', updateCalls: 1, reason: 'demand' },
    ]);
    for (const name of [SCALE_OUT_ALARM, SCALE_IN_ALARM]) {
      const alarm = alarms.alarms.get(name);
      expect(alarm?.state).toBe('OK');
      expect(alarm && alarmShardCounts(alarm)).toEqual([8, 8]);
    }
  });

  it('goes on past the 2x rule as soon as the stream is ACTIVE again, deciding afresh each time', async () => {
    const { stream, alarms, metrics, history, deps } = memoryDeps(4, now, firedAt);
    metrics.demand = jumpTo(20);
    const report = await handleAlarmNotification(scaleOut, settings, deps, deadline);
    expect(stream.calls).toEqual([
      'UpdateShardCount 8',
      'wait',
      'UpdateShardCount 16',
      'wait',
      'UpdateShardCount 24',
    ]);
    expect(report).toMatchObject({
      outcome: 'scaled',
      from: 4,
      to: 24,
      updateCalls: 3,
      reason: 'capped-by-double',
    });
    expect(history.scalings.map((s) => [s.from, s.to])).toEqual([
      [4, 8],
      [8, 16],
      [16, 24],
    ]);
    const out = alarms.alarms.get(SCALE_OUT_ALARM);
    expect(out && alarmShardCounts(out)).toEqual([24, 24]);
  });

  it('stops chaining at the deadline (the next alarm takes over)', async () => {
    const { stream, metrics, deps } = memoryDeps(4, now, firedAt);
    metrics.demand = jumpTo(20);
    const report = await handleAlarmNotification(scaleOut, settings, deps, now);
    expect(stream.calls).toEqual(['UpdateShardCount 8']);
    expect(report.to).toBe(8);
  });

  it('handles a notification once: a second delivery is a duplicate', async () => {
    const { stream, metrics, deps } = memoryDeps(4, now, firedAt);
    metrics.demand = jumpTo(6);
    await handleAlarmNotification(scaleOut, settings, deps, deadline);
    const again = await handleAlarmNotification(scaleOut, settings, deps, deadline);
    expect(again).toMatchObject({ outcome: 'duplicate', reason: 'already-handled' });
    expect(stream.calls).toEqual(['UpdateShardCount 8']);
  });

  it('ignores a notification whose alarm is no longer in ALARM', async () => {
    const { stream, alarms, deps } = memoryDeps(4, now, firedAt);
    alarms.alarms.set(SCALE_OUT_ALARM, alarmView(SCALE_OUT_ALARM, 'OK', 4, now));
    const report = await handleAlarmNotification(scaleOut, settings, deps, deadline);
    expect(report).toMatchObject({ outcome: 'stale', reason: 'alarm-no-longer-in-alarm', rearmed: false });
    expect(stream.calls).toEqual([]);
    expect(alarms.calls).toEqual([]);
  });

  it('ignores (and re-arms) an ALARM that judged the stream before its last reshard', async () => {
    const stale = notificationOf('reshard-stale');
    const { stream, alarms, history, deps } = memoryDeps(8, now, stale.stateChangeTime);
    history.scalings.push({
      at: new Date(stale.stateChangeTime.getTime() + 60_000),
      from: 4,
      to: 8,
      method: 'UpdateShardCount',
      updateCalls: 1,
      reason: 'demand',
    });
    const report = await handleAlarmNotification(stale, settings, deps, deadline);
    expect(report).toMatchObject({ outcome: 'stale', reason: 'scaled-after-alarm', rearmed: true });
    expect(stream.calls).toEqual([]);
    expect(alarms.calls).toEqual([`SetAlarmState ${SCALE_OUT_ALARM} OK`]);
  });

  it('does nothing to a stream that is UPDATING, and re-arms the alarm to judge again after', async () => {
    const { stream, alarms, metrics, deps } = memoryDeps(4, now, firedAt);
    stream.status = 'UPDATING';
    metrics.demand = jumpTo(6);
    const report = await handleAlarmNotification(scaleOut, settings, deps, deadline);
    expect(report).toMatchObject({ outcome: 'busy', reason: 'stream-updating', rearmed: true });
    expect(stream.calls).toEqual([]);
    expect(alarms.calls).toEqual([`SetAlarmState ${SCALE_OUT_ALARM} OK`]);
  });

  it('falls back to splitting the hottest shards when UpdateShardCount is refused', async () => {
    const { stream, alarms, metrics, history, deps } = memoryDeps(4, now, firedAt);
    stream.refuseUpdate = 'limit';
    metrics.demand = jumpTo(4);
    // Enhanced metrics: shards 0 and 3 carry 80% of the writes.
    metrics.traffic = new Map([
      ['shardId-000000000000', { bytes: 0, records: 40_000 }],
      ['shardId-000000000001', { bytes: 0, records: 10_000 }],
      ['shardId-000000000002', { bytes: 0, records: 10_000 }],
      ['shardId-000000000003', { bytes: 0, records: 40_000 }],
    ]);
    const report = await handleAlarmNotification(scaleOut, settings, deps, deadline);
    expect(stream.calls.filter((c) => c.startsWith('Split'))).toEqual([
      'SplitShard shardId-000000000000',
      'SplitShard shardId-000000000003',
    ]);
    expect(report).toMatchObject({ outcome: 'scaled', method: 'SplitMerge', operations: 2, from: 4, to: 6 });
    expect(history.scalings[0]).toMatchObject({ method: 'SplitMerge', updateCalls: 0, from: 4, to: 6 });
    const out = alarms.alarms.get(SCALE_OUT_ALARM);
    expect(out && alarmShardCounts(out)).toEqual([6, 6]);
  });

  it('goes straight to splitting when its own count says the 24-hour budget is spent', async () => {
    const { stream, metrics, history, deps } = memoryDeps(2, now, firedAt);
    for (let i = 0; i < 10; i++) {
      history.scalings.push({
        at: new Date(firedAt.getTime() - (i + 1) * 3_600_000),
        from: 2,
        to: 2,
        method: 'UpdateShardCount',
        updateCalls: 1,
        reason: 'demand',
      });
    }
    metrics.demand = jumpTo(2);
    const report = await handleAlarmNotification(scaleOut, settings, deps, deadline);
    expect(stream.calls.some((c) => c.startsWith('UpdateShardCount'))).toBe(false);
    expect(report).toMatchObject({ outcome: 'scaled', method: 'SplitMerge', to: 4 });
  });

  it('dry run: logs the decision, changes nothing', async () => {
    const { stream, alarms, metrics, history, deps } = memoryDeps(4, now, firedAt);
    metrics.demand = jumpTo(6);
    const report = await handleAlarmNotification(scaleOut, reshardSettings({ dryRun: true }), deps, deadline);
    expect(report).toMatchObject({ outcome: 'dry-run', from: 4, to: 8, reason: 'demand' });
    expect(stream.calls).toEqual([]);
    expect(alarms.calls).toEqual([]);
    expect(history.scalings).toEqual([]);
  });

  it('scales in when the consumer keeps up and the recent peak fits half the shards', async () => {
    const scaleIn = notificationOf('reshard-scale-in');
    const at = new Date(scaleIn.stateChangeTime.getTime() + 5_000);
    const { stream, alarms, metrics, deps } = memoryDeps(8, at, scaleIn.stateChangeTime);
    alarms.alarms.set(SCALE_IN_ALARM, alarmView(SCALE_IN_ALARM, 'ALARM', 8, scaleIn.stateChangeTime));
    metrics.demand = minuteDemand(at, Array(20).fill(1));
    metrics.iteratorAgeMs = 800;
    const report = await handleAlarmNotification(scaleIn, settings, deps, new Date(at.getTime() + 600_000));
    expect(report).toMatchObject({
      outcome: 'scaled',
      direction: 'in',
      from: 8,
      to: 4,
      reason: 'capped-by-half',
    });
    expect(stream.calls).toEqual(['UpdateShardCount 4']);
  });

  it('keeps the shards while the consumer lags, and re-arms the alarm', async () => {
    const scaleIn = notificationOf('reshard-scale-in');
    const at = new Date(scaleIn.stateChangeTime.getTime() + 5_000);
    const { stream, alarms, metrics, deps } = memoryDeps(8, at, scaleIn.stateChangeTime);
    alarms.alarms.set(SCALE_IN_ALARM, alarmView(SCALE_IN_ALARM, 'ALARM', 8, scaleIn.stateChangeTime));
    metrics.demand = minuteDemand(at, Array(20).fill(1));
    metrics.iteratorAgeMs = 300_000;
    const report = await handleAlarmNotification(scaleIn, settings, deps, new Date(at.getTime() + 600_000));
    expect(report).toMatchObject({ outcome: 'unchanged', reason: 'consumer-behind', rearmed: true });
    expect(stream.calls).toEqual([]);
  });

  it('measures the cooldown on the local metric clock under a time scale', async () => {
    const scaleIn = notificationOf('reshard-scale-in');
    const at = new Date(scaleIn.stateChangeTime.getTime() + 5_000);
    const { stream, alarms, metrics, history, deps } = memoryDeps(8, at, scaleIn.stateChangeTime);
    alarms.alarms.set(SCALE_IN_ALARM, alarmView(SCALE_IN_ALARM, 'ALARM', 8, scaleIn.stateChangeTime));
    metrics.demand = minuteDemand(at, Array(20).fill(1));
    history.scalings.push({
      at: new Date(scaleIn.stateChangeTime.getTime() - 60_000),
      from: 4,
      to: 8,
      method: 'UpdateShardCount',
      updateCalls: 1,
      reason: 'demand',
    });
    // 65 s of wall time: inside a 30-minute cooldown, past it at x60 (30 s).
    const wall = await handleAlarmNotification(scaleIn, settings, deps, at);
    expect(wall).toMatchObject({ outcome: 'unchanged', reason: 'cooldown', rearmed: true });
    alarms.alarms.set(SCALE_IN_ALARM, alarmView(SCALE_IN_ALARM, 'ALARM', 8, scaleIn.stateChangeTime));
    const scaled = await handleAlarmNotification(
      { ...scaleIn, messageId: 'again' },
      reshardSettings({ timeScale: 60 }),
      deps,
      at,
    );
    expect(scaled).toMatchObject({ outcome: 'scaled', to: 4 });
    expect(stream.calls).toEqual(['UpdateShardCount 4']);
  });

  it('retargets alarms that divide by another count than the stream has (a stack update reset them)', async () => {
    const { stream, alarms, metrics, deps } = memoryDeps(4, now, firedAt);
    alarms.alarms.set(SCALE_OUT_ALARM, alarmView(SCALE_OUT_ALARM, 'ALARM', 1, firedAt));
    alarms.alarms.set(SCALE_IN_ALARM, alarmView(SCALE_IN_ALARM, 'OK', 1, firedAt));
    metrics.demand = minuteDemand(now, Array(10).fill(2));
    const report = await handleAlarmNotification(scaleOut, settings, deps, deadline);
    expect(report).toMatchObject({
      outcome: 'unchanged',
      reason: 'enough-shards',
      alarmsRewritten: [SCALE_OUT_ALARM, SCALE_IN_ALARM],
      rearmed: true,
    });
    expect(stream.calls).toEqual([]);
    const out = alarms.alarms.get(SCALE_OUT_ALARM);
    expect(out && alarmShardCounts(out)).toEqual([4, 4]);
  });

  it('ignores other alarms and state changes to OK', async () => {
    const { deps } = memoryDeps(4, now, firedAt);
    expect(
      await handleAlarmNotification({ ...scaleOut, alarmName: 'someone-else' }, settings, deps, deadline),
    ).toMatchObject({ outcome: 'ignored', reason: 'unknown-alarm' });
    expect(
      await handleAlarmNotification({ ...scaleOut, newState: 'OK' }, settings, deps, deadline),
    ).toMatchObject({
      outcome: 'ignored',
      reason: 'state-ok',
    });
  });

  it('releases its claim when it fails, so that Lambda retry handles the notification again', async () => {
    const { alarms, metrics, history, deps } = memoryDeps(4, now, firedAt);
    metrics.demand = jumpTo(6);
    const describe = alarms.describe.bind(alarms);
    alarms.describe = async () => {
      throw new Error('CloudWatch is down');
    };
    await expect(handleAlarmNotification(scaleOut, settings, deps, deadline)).rejects.toThrow(
      'CloudWatch is down',
    );
    expect(history.claimed.size).toBe(0);
    alarms.describe = describe;
    expect((await handleAlarmNotification(scaleOut, settings, deps, deadline)).outcome).toBe('scaled');
  });
});
