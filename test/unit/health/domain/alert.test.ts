import { describe, expect, it } from 'vitest';
import { alertSubject, maxSubjectLength } from '../../../../functions/health/domain/alert.js';
import type { Alert } from '../../../../functions/health/domain/types.js';

const alert: Alert = {
  type: 'MONITOR_DOWN',
  monitorId: 'example-com-337fd4f452ae2bb2',
  name: 'Example',
  url: 'https://example.com/health',
  status: 'DOWN',
  previousStatus: 'UP',
  reason: 'timeout after 10000 ms',
  at: '2025-01-15T12:00:00.000Z',
};

describe('Function: alertSubject()', () => {
  it('summarises a DOWN alert with its reason', () => {
    expect(alertSubject(alert)).toBe('[Kumo] DOWN: Example - timeout after 10000 ms');
  });

  it('summarises an UP alert', () => {
    expect(alertSubject({ ...alert, type: 'MONITOR_UP', status: 'UP', previousStatus: 'DOWN' })).toBe(
      '[Kumo] UP: Example is back up',
    );
  });

  it('summarises a certificate alert with the days left', () => {
    const cert = { validTo: '2025-01-18T12:00:00.000Z', daysRemaining: 3, warningDays: 7 };
    expect(alertSubject({ ...alert, type: 'CERT_EXPIRING', status: 'UP', cert })).toBe(
      '[Kumo] CERT: Example certificate expires in 3 days',
    );
  });

  it('cuts long subjects to 99 characters (SNS wants fewer than 100)', () => {
    const subject = alertSubject({ ...alert, reason: 'x'.repeat(300) });
    expect(subject).toHaveLength(maxSubjectLength);
    expect(subject.endsWith('...')).toBe(true);
  });

  it('keeps to one line of printable ASCII', () => {
    const subject = alertSubject({ ...alert, name: 'Café\nMenü — 東京', reason: 'tab\there' });
    expect(subject).toMatch(/^[\x20-\x7e]+$/);
    expect(subject).toBe('[Kumo] DOWN: Cafe Menu - ?? - tab here');
  });
});
