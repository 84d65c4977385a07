import path from 'node:path';
import { describe, expect, it } from 'vitest';
import {
  iteratorAgeLimitIn,
  retargetExpression,
  shardCountsIn,
  utilisationExpression,
} from '../../../../functions/resharder/domain/alarm-math.js';
import {
  alarmShardCounts,
  isOutOfStep,
  retargetAlarms,
} from '../../../../functions/resharder/domain/alarms.js';
import { AlarmFormatError } from '../../../../functions/resharder/domain/errors.js';
import { readTemplate } from '../../../../local/template/index.js';
import { alarmView, MemoryAlarms, SCALE_IN_ALARM, SCALE_OUT_ALARM } from '../../../helpers/resharder.js';

const root = path.resolve(import.meta.dirname, '../../../..');
const at = new Date('2026-11-27T17:00:00Z');

describe('Function: utilisationExpression()', () => {
  it('divides bytes by 1 MiB/s and records by 1,000/s per shard and period', () => {
    expect(utilisationExpression({ periodSeconds: 60, shards: 4 })).toBe(
      'MAX([FILL(bytes, 0) / (1048576 * 60 * 4), FILL(records, 0) / (1000 * 60 * 4)])',
    );
  });

  it('adds the iterator-age guard for scale-in', () => {
    const expression = utilisationExpression({ periodSeconds: 300, shards: 8, maxIteratorAgeMs: 60_000 });
    expect(expression).toContain('IF(FILL(age, 0) > 60000, 1, 0)');
    expect(iteratorAgeLimitIn(expression)).toBe(60_000);
    expect(iteratorAgeLimitIn(utilisationExpression({ periodSeconds: 60, shards: 1 }))).toBeUndefined();
  });

  it('is what template.yaml writes, resolved with its defaults', async () => {
    const model = await readTemplate(path.join(root, 'template.yaml'));
    const expressionOf = (logicalId: string) => {
      const metrics = model.resources.get(logicalId)?.properties.Metrics as { Expression?: string }[];
      return metrics
        .find((m) => m.Expression)
        ?.Expression?.replace(/\s+/g, ' ')
        .trim();
    };
    const shards = Number(model.parameters.PostsShardCount);
    expect(expressionOf('ScaleOutAlarm')).toBe(
      utilisationExpression({ periodSeconds: Number(model.parameters.ReshardScaleOutPeriod), shards }),
    );
    expect(expressionOf('ScaleInAlarm')).toBe(
      utilisationExpression({
        periodSeconds: Number(model.parameters.ReshardScaleInPeriod),
        shards,
        maxIteratorAgeMs: Number(model.parameters.ReshardMaxIteratorAgeMs),
      }),
    );
  });
});

describe('Function: retargetExpression()', () => {
  it('rewrites the shard count of every capacity term and nothing else', () => {
    const before = utilisationExpression({ periodSeconds: 300, shards: 4, maxIteratorAgeMs: 60_000 });
    const after = retargetExpression(before, 16);
    expect(after).toBe(utilisationExpression({ periodSeconds: 300, shards: 16, maxIteratorAgeMs: 60_000 }));
    expect(shardCountsIn(after ?? '')).toEqual([16, 16]);
  });

  it('tolerates other spacing', () => {
    expect(retargetExpression('MAX([bytes/(1048576*60*2), records / ( 1000 * 60 * 2 )])', 3)).toBe(
      'MAX([bytes/(1048576 * 60 * 3), records / (1000 * 60 * 3)])',
    );
  });

  it('refuses to guess in an expression without a capacity term', () => {
    expect(retargetExpression('FILL(m1, 0) / 60', 3)).toBeUndefined();
    expect(() => retargetExpression('x', 0)).toThrow(RangeError);
  });
});

describe('Function: retargetAlarms()', () => {
  it('rewrites both alarms for the new count, then resets them to OK', async () => {
    const alarms = new MemoryAlarms([
      alarmView(SCALE_OUT_ALARM, 'ALARM', 4, at),
      alarmView(SCALE_IN_ALARM, 'OK', 4, at),
    ]);
    const done = await retargetAlarms(alarms, [SCALE_OUT_ALARM, SCALE_IN_ALARM], 8, {
      state: 'OK',
      reason: '4 -> 8',
    });
    expect(done).toEqual([
      { name: SCALE_OUT_ALARM, previousShards: [4, 4], rewritten: true },
      { name: SCALE_IN_ALARM, previousShards: [4, 4], rewritten: true },
    ]);
    expect(alarms.calls).toEqual([
      `PutMetricAlarm ${SCALE_OUT_ALARM}`,
      `PutMetricAlarm ${SCALE_IN_ALARM}`,
      `SetAlarmState ${SCALE_OUT_ALARM} OK`,
      `SetAlarmState ${SCALE_IN_ALARM} OK`,
    ]);
    const out = alarms.alarms.get(SCALE_OUT_ALARM);
    expect(out && alarmShardCounts(out)).toEqual([8, 8]);
    expect(alarms.alarms.get(SCALE_IN_ALARM)?.expressions.utilisation).toContain(
      'IF(FILL(age, 0) > 60000, 1, 0)',
    );
  });

  it('leaves an alarm already in step alone, and states alone without a reset', async () => {
    const alarms = new MemoryAlarms([
      alarmView(SCALE_OUT_ALARM, 'ALARM', 8, at),
      alarmView(SCALE_IN_ALARM, 'OK', 4, at),
    ]);
    await retargetAlarms(alarms, [SCALE_OUT_ALARM, SCALE_IN_ALARM], 8, undefined);
    expect(alarms.calls).toEqual([`PutMetricAlarm ${SCALE_IN_ALARM}`]);
  });

  it('fails on a missing alarm or one without a shard count', async () => {
    const alarms = new MemoryAlarms([
      { ...alarmView(SCALE_OUT_ALARM, 'OK', 4, at), expressions: { e1: 'FILL(m1, 0)' } },
    ]);
    await expect(retargetAlarms(alarms, [SCALE_OUT_ALARM], 8, undefined)).rejects.toThrow(AlarmFormatError);
    await expect(retargetAlarms(alarms, [SCALE_IN_ALARM], 8, undefined)).rejects.toThrow('alarm not found');
  });

  it('tells an alarm out of step with the stream', () => {
    expect(isOutOfStep(alarmView(SCALE_OUT_ALARM, 'OK', 4, at), 4)).toBe(false);
    expect(isOutOfStep(alarmView(SCALE_OUT_ALARM, 'OK', 1, at), 4)).toBe(true);
  });
});
