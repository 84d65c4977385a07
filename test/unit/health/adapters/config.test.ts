import { describe, expect, it } from 'vitest';
import { loadHealthConfig } from '../../../../functions/health/adapters/config.js';

const tables = { MONITORS_TABLE: 'Monitors', RESULTS_TABLE: 'Results' };

describe('Function: loadHealthConfig()', () => {
  it('applies defaults', () => {
    expect(loadHealthConfig(tables)).toEqual({
      monitorsTable: 'Monitors',
      resultsTable: 'Results',
      alertsTopicArn: undefined,
      concurrency: 50,
      retentionDays: 30,
      seedMonitors: [],
      allowSelfSigned: false,
      allowPrivateTargets: false,
      cursorSecretFallback: 'kumo-health-cursor:Monitors',
      monitorQuota: 50,
      dnsServers: [],
    });
  });

  it('reads every variable the template sets', () => {
    const config = loadHealthConfig({
      ...tables,
      ALERTS_TOPIC_ARN: 'arn:aws:sns:us-east-1:123456789012:alerts',
      CHECK_CONCURRENCY: '200',
      RESULT_RETENTION_DAYS: '7',
      SEED_MONITORS: 'https://a.example.com,https://b.example.com',
      HEALTH_ALLOW_SELF_SIGNED: 'TRUE',
      HEALTH_ALLOW_PRIVATE_TARGETS: 'true',
      MONITOR_QUOTA: '5',
    });
    expect(config).toEqual({
      monitorsTable: 'Monitors',
      resultsTable: 'Results',
      alertsTopicArn: 'arn:aws:sns:us-east-1:123456789012:alerts',
      concurrency: 200,
      retentionDays: 7,
      seedMonitors: ['https://a.example.com', 'https://b.example.com'],
      allowSelfSigned: true,
      allowPrivateTargets: true,
      cursorSecretFallback: 'kumo-health-cursor:Monitors',
      monitorQuota: 5,
      dnsServers: [],
    });
  });

  it('treats blank values as unset (an empty SEED_MONITORS parameter, no topic)', () => {
    const config = loadHealthConfig({
      ...tables,
      ALERTS_TOPIC_ARN: ' ',
      SEED_MONITORS: '',
      CHECK_CONCURRENCY: '',
    });
    expect(config).toMatchObject({ alertsTopicArn: undefined, seedMonitors: [], concurrency: 50 });
  });

  it.each([
    [{ RESULTS_TABLE: 'Results' }, 'MONITORS_TABLE is not set'],
    [{ MONITORS_TABLE: 'Monitors' }, 'RESULTS_TABLE is not set'],
    [{ ...tables, CHECK_CONCURRENCY: '0' }, 'CHECK_CONCURRENCY must be 1..1000'],
    [{ ...tables, RESULT_RETENTION_DAYS: '0' }, 'RESULT_RETENTION_DAYS must be 1..3650'],
    [
      { ...tables, HEALTH_ALLOW_PRIVATE_TARGETS: 'yes' },
      "HEALTH_ALLOW_PRIVATE_TARGETS must be 'true' or 'false'",
    ],
    [{ ...tables, MONITOR_QUOTA: '0' }, 'MONITOR_QUOTA must be an integer 1..10000'],
  ])('refuses %j', (env, message) => {
    expect(() => loadHealthConfig(env)).toThrow(message);
  });

  it('refuses a concurrency that is not a number', () => {
    expect(() => loadHealthConfig({ ...tables, CHECK_CONCURRENCY: 'many' })).toThrow(/Invalid configuration/);
  });
});

describe('Function: loadHealthConfig() without zod', () => {
  it.each([
    ['CHECK_CONCURRENCY', '2.5', 'CHECK_CONCURRENCY must be 1..1000'],
    ['RESULT_RETENTION_DAYS', '3651', 'RESULT_RETENTION_DAYS must be 1..3650'],
    ['MONITOR_QUOTA', 'ten', 'MONITOR_QUOTA must be an integer 1..10000'],
  ])('refuses %s=%s with the variable named', (name, value, message) => {
    expect(() => loadHealthConfig({ ...tables, [name]: value })).toThrow(message);
  });

  it('lists every problem at once', () => {
    expect(() => loadHealthConfig({ CHECK_CONCURRENCY: '0' })).toThrow(
      'Invalid configuration: MONITORS_TABLE is not set; RESULTS_TABLE is not set; CHECK_CONCURRENCY must be 1..1000',
    );
  });
});
