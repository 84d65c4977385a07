import { describe, expect, it } from 'vitest';
import { loadResharderConfig } from '../../../../functions/resharder/adapters/config.js';
import { DEFAULT_FORECAST } from '../../../../functions/resharder/domain/forecast.js';
import { DEFAULT_POLICY } from '../../../../functions/resharder/domain/scaling.js';
import { STREAM } from '../../../helpers/resharder.js';

describe('Function: loadResharderConfig()', () => {
  const env = {
    STREAM_NAME: STREAM,
    SCALE_OUT_ALARM_NAME: 'out',
    SCALE_IN_ALARM_NAME: 'in',
    HISTORY_TABLE: 'history',
  };

  it('fills the defaults of the domain policy', () => {
    const config = loadResharderConfig(env);
    expect(config.policy).toEqual(DEFAULT_POLICY);
    expect(config).toMatchObject({
      dryRun: false,
      timeScale: 1,
      metricPeriodSeconds: 60,
      consumerFunctionName: undefined,
    });
  });

  it('reads every setting the template passes', () => {
    const config = loadResharderConfig({
      ...env,
      CONSUMER_FUNCTION_NAME: 'consumer',
      MIN_SHARDS: '2',
      MAX_SHARDS: '32',
      ACCOUNT_SHARD_QUOTA: '100',
      TARGET_UTILISATION: '0.7',
      HEADROOM: '0.2',
      COOLDOWN_MINUTES: '15',
      MAX_SCALINGS_PER_DAY: '8',
      MAX_ITERATOR_AGE_MS: '30000',
      DRY_RUN: 'true',
      KUMO_TIME_SCALE: '60',
    });
    expect(config.policy).toMatchObject({
      minShards: 2,
      maxShards: 32,
      accountShardQuota: 100,
      targetUtilisation: 0.7,
      headroom: 0.2,
      cooldownMs: 900_000,
      maxScalingsPer24h: 8,
      maxIteratorAgeMs: 30_000,
    });
    expect(config).toMatchObject({ dryRun: true, timeScale: 60, consumerFunctionName: 'consumer' });
  });

  it('names every invalid variable', () => {
    expect(() => loadResharderConfig({ ...env, STREAM_NAME: ' ', MIN_SHARDS: '9', MAX_SHARDS: '4' })).toThrow(
      /STREAM_NAME is not set/,
    );
    expect(() => loadResharderConfig({ ...env, MIN_SHARDS: '9', MAX_SHARDS: '4' })).toThrow(
      'MIN_SHARDS must not exceed MAX_SHARDS',
    );
    expect(() => loadResharderConfig({ ...env, DRY_RUN: 'maybe' })).toThrow('DRY_RUN must be true or false');
  });

  it('turns the forecast on with FORECAST=true, with its settings', () => {
    expect(loadResharderConfig(env).forecast).toBeUndefined();
    expect(loadResharderConfig({ ...env, FORECAST: 'false' }).forecast).toBeUndefined();
    const config = loadResharderConfig({
      ...env,
      FORECAST: 'true',
      FORECAST_MARGIN: '0.2',
      FORECAST_HORIZON_MINUTES: '30',
      FORECAST_DAYS: '3',
    });
    expect(config.forecast).toEqual({ ...DEFAULT_FORECAST, margin: 0.2, horizonMinutes: 30, days: 3 });
    expect(() => loadResharderConfig({ ...env, FORECAST: 'yes' })).toThrow('FORECAST must be true or false');
    expect(() => loadResharderConfig({ ...env, FORECAST_DAYS: '1', FORECAST_MIN_DAYS: '2' })).toThrow(
      'FORECAST_MIN_DAYS must not exceed FORECAST_DAYS',
    );
  });
});

describe('Function: loadResharderConfig(), refused-writes alarm', () => {
  const env = {
    STREAM_NAME: STREAM,
    SCALE_OUT_ALARM_NAME: 'out',
    SCALE_IN_ALARM_NAME: 'in',
    HISTORY_TABLE: 'h',
  };

  it('names the alarm when the template passes it, and none otherwise (blank included)', () => {
    expect(loadResharderConfig({ ...env, REFUSED_WRITES_ALARM_NAME: 'refused' }).refusedWritesAlarm).toBe(
      'refused',
    );
    expect(loadResharderConfig(env).refusedWritesAlarm).toBeUndefined();
    expect(
      loadResharderConfig({ ...env, REFUSED_WRITES_ALARM_NAME: ' ' }).refusedWritesAlarm,
    ).toBeUndefined();
  });
});
