import { describe, expect, it } from 'vitest';
import { certAlertDue, nextState } from '../../../../functions/health/domain/state.js';
import type { CertInfo } from '../../../../functions/health/domain/types.js';
import { daysFromNow, makeMonitor, makeResult, makeState, NOW } from '../../../helpers/factories.js';

const monitor = makeMonitor({ name: 'Example' });
const down = makeResult({
  status: 'DOWN',
  statusCode: 503,
  error: 'unexpected status 503 (expected 200-299)',
});
const up = makeResult();
const earlier = '2025-01-15T11:45:00.000Z';

function cert(days: number, warningDays?: number, validTo = daysFromNow(days, 1)): CertInfo {
  return warningDays === undefined
    ? { validTo, daysRemaining: days }
    : { validTo, daysRemaining: days, warningDays };
}

describe('Function: nextState()', () => {
  describe('status transitions', () => {
    it('PENDING -> UP: UP since the check, no alert', () => {
      const { state, alerts } = nextState(monitor, makeState(), up);
      expect(state).toEqual({
        status: 'UP',
        since: NOW.toISOString(),
        lastCheckedAt: NOW.toISOString(),
        lastLatencyMs: 120,
        lastStatusCode: 200,
      });
      expect(alerts).toEqual([]);
    });

    it('PENDING -> DOWN: one MONITOR_DOWN alert with the reason', () => {
      const { state, alerts } = nextState(monitor, makeState(), down);
      expect(state).toMatchObject({ status: 'DOWN', since: NOW.toISOString(), lastError: down.error });
      expect(alerts).toEqual([
        {
          type: 'MONITOR_DOWN',
          monitorId: monitor.monitorId,
          name: 'Example',
          url: monitor.url,
          status: 'DOWN',
          previousStatus: 'PENDING',
          reason: 'unexpected status 503 (expected 200-299)',
          at: NOW.toISOString(),
        },
      ]);
    });

    it('UP -> DOWN: one MONITOR_DOWN alert, since moves to the check', () => {
      const { state, alerts } = nextState(
        monitor,
        makeState({ status: 'UP', since: earlier, lastCheckedAt: earlier }),
        down,
      );
      expect(state.since).toBe(NOW.toISOString());
      expect(alerts).toHaveLength(1);
      expect(alerts[0]).toMatchObject({ type: 'MONITOR_DOWN', previousStatus: 'UP', status: 'DOWN' });
    });

    it('DOWN -> UP: one MONITOR_UP alert saying how long it was down', () => {
      const previous = makeState({
        status: 'DOWN',
        since: earlier,
        lastCheckedAt: earlier,
        lastError: 'timeout',
      });
      const { state, alerts } = nextState(monitor, previous, up);
      expect(state.status).toBe('UP');
      expect(state).not.toHaveProperty('lastError');
      expect(alerts).toEqual([
        expect.objectContaining({
          type: 'MONITOR_UP',
          status: 'UP',
          previousStatus: 'DOWN',
          reason: 'recovered after 15 min: status 200 in 120 ms',
        }),
      ]);
    });

    it('describes a long outage in hours, then days', () => {
      const hours = nextState(monitor, makeState({ status: 'DOWN', since: '2025-01-15T09:30:00.000Z' }), up);
      expect(hours.alerts[0]?.reason).toBe('recovered after 2 h 30 min: status 200 in 120 ms');
      const days = nextState(monitor, makeState({ status: 'DOWN', since: '2025-01-12T12:00:00.000Z' }), up);
      expect(days.alerts[0]?.reason).toBe('recovered after 3 days: status 200 in 120 ms');
    });

    it('DOWN -> DOWN: no alert, since unchanged, reason updated', () => {
      const previous = makeState({ status: 'DOWN', since: earlier, lastError: 'timeout after 10000 ms' });
      const { state, alerts } = nextState(monitor, previous, down);
      expect(alerts).toEqual([]);
      expect(state.since).toBe(earlier);
      expect(state.lastError).toBe(down.error);
    });

    it('UP -> UP: no alert, since unchanged', () => {
      const { state, alerts } = nextState(monitor, makeState({ status: 'UP', since: earlier }), up);
      expect(alerts).toEqual([]);
      expect(state.since).toBe(earlier);
    });

    it('omits the status code when the check got no response', () => {
      const timeout = makeResult({ status: 'DOWN', statusCode: undefined, error: 'timeout after 10000 ms' });
      const { state } = nextState(monitor, makeState({ status: 'UP', lastStatusCode: 200 }), timeout);
      expect(state).not.toHaveProperty('lastStatusCode');
      expect(state.lastError).toBe('timeout after 10000 ms');
    });
  });

  describe('certificate warnings', () => {
    it('alerts when a certificate is first seen inside a threshold', () => {
      const { state, alerts } = nextState(monitor, makeState(), makeResult({ cert: cert(3, 7) }));
      expect(state.cert).toEqual(cert(3, 7));
      expect(alerts).toEqual([
        expect.objectContaining({
          type: 'CERT_EXPIRING',
          status: 'UP',
          previousStatus: 'PENDING',
          reason: `TLS certificate expires in 3 days (${daysFromNow(3, 1)})`,
          cert: cert(3, 7),
        }),
      ]);
    });

    it('does not repeat the alert while the same threshold holds', () => {
      const previous = makeState({ status: 'UP', cert: cert(13, 14) });
      expect(
        nextState(monitor, previous, makeResult({ cert: cert(12, 14, previous.cert?.validTo) })).alerts,
      ).toEqual([]);
    });

    it('alerts again when the certificate crosses into a tighter threshold', () => {
      const validTo = daysFromNow(7, 1);
      const previous = makeState({ status: 'UP', cert: cert(8, 14, validTo) });
      const { alerts } = nextState(monitor, previous, makeResult({ cert: cert(7, 7, validTo) }));
      expect(alerts.map((alert) => alert.type)).toEqual(['CERT_EXPIRING']);
    });

    it('does not alert for a certificate outside every threshold', () => {
      expect(nextState(monitor, makeState({ status: 'UP' }), makeResult({ cert: cert(60) })).alerts).toEqual(
        [],
      );
    });

    it('keeps the last certificate when a check reads none (connection failed)', () => {
      const previous = makeState({ status: 'UP', cert: cert(5, 7) });
      const { state, alerts } = nextState(monitor, previous, down);
      expect(state.cert).toEqual(cert(5, 7));
      expect(alerts.map((alert) => alert.type)).toEqual(['MONITOR_DOWN']);
    });

    it('raises a status alert and a certificate alert together when both are due', () => {
      const previous = makeState({ status: 'DOWN', since: earlier });
      const { alerts } = nextState(monitor, previous, makeResult({ cert: cert(2, 7) }));
      expect(alerts.map((alert) => alert.type)).toEqual(['MONITOR_UP', 'CERT_EXPIRING']);
    });
  });
});

describe('Function: certAlertDue()', () => {
  const validTo = daysFromNow(5);

  it.each<[string, CertInfo | undefined, CertInfo | undefined, boolean]>([
    ['no certificate now', cert(5, 7, validTo), undefined, false],
    ['outside every threshold', undefined, cert(40, undefined, validTo), false],
    ['first reading inside a threshold', undefined, cert(5, 7, validTo), true],
    ['was outside, now inside', cert(22, undefined, validTo), cert(21, 21, validTo), true],
    ['same threshold as before', cert(6, 7, validTo), cert(5, 7, validTo), false],
    ['tighter threshold', cert(15, 21, validTo), cert(14, 14, validTo), true],
    ['looser threshold (thresholds edited)', cert(5, 7, validTo), cert(5, 14, validTo), false],
    ['renewed certificate inside a threshold', cert(2, 7, validTo), cert(20, 21, daysFromNow(20)), true],
  ])('%s -> %s', (_name, previous, current, due) => {
    expect(certAlertDue(previous, current)).toBe(due);
  });
});
