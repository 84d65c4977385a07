import { describe, expect, it } from 'vitest';
import {
  browserTimeZone,
  describeWindow,
  incidentDuration,
  localInputToIso,
  type WindowForm,
  windowInputOf,
} from '../../../web/src/lib/maintenance.js';

const form: WindowForm = {
  kind: 'once',
  start: '',
  end: '',
  cron: '0 3 * * SUN',
  timeZone: 'Europe/Berlin',
  durationMinutes: 60,
  label: '',
};

describe('web: maintenance windows and incidents, as the status page says them', () => {
  it('turns a datetime-local value (local wall time) into an instant', () => {
    expect(localInputToIso('')).toBeUndefined();
    expect(localInputToIso('not a date')).toBeUndefined();
    expect(localInputToIso('2026-12-24T22:00')).toBe(new Date(2026, 11, 24, 22, 0).toISOString());
  });

  it('builds the request body of the form, or says what is missing', () => {
    expect(windowInputOf(form)).toBe('Give a start and an end.');
    expect(
      windowInputOf({ ...form, start: '2026-12-24T22:00', end: '2026-12-25T02:00', label: ' deploy ' }),
    ).toEqual({
      start: new Date(2026, 11, 24, 22, 0).toISOString(),
      end: new Date(2026, 11, 25, 2, 0).toISOString(),
      label: 'deploy',
    });
    expect(windowInputOf({ ...form, kind: 'recurring' })).toEqual({
      cron: '0 3 * * SUN',
      timeZone: 'Europe/Berlin',
      durationMinutes: 60,
    });
    expect(windowInputOf({ ...form, kind: 'recurring', cron: ' ' })).toBe(
      'Give a cron expression, e.g. 0 3 * * SUN.',
    );
  });

  it('describes a recurring window by its cron, zone and length', () => {
    expect(
      describeWindow(
        {
          kind: 'recurring',
          cron: '0 3 * * SUN',
          timeZone: 'Europe/Berlin',
          durationMinutes: 90,
        },
        String,
      ),
    ).toBe('cron 0 3 * * SUN (Europe/Berlin), 1 h 30 min each');
    expect(
      describeWindow(
        {
          kind: 'once',
          start: '2026-12-24T22:00:00.000Z',
          end: '2026-12-25T02:00:00.000Z',
        },
        (iso) => iso.slice(0, 16),
      ),
    ).toBe('2026-12-24T22:00 → 2026-12-25T02:00');
  });

  it('gives a closed incident its duration and an open one how long it has lasted so far', () => {
    const start = '2026-01-01T00:00:00.000Z';
    const base = { incidentId: start, start, reason: 'timeout' as const, regions: ['us-east-1'] };
    const closed = { ...base, end: '2026-01-01T00:42:00.000Z', durationMs: 42 * 60_000 };
    expect(incidentDuration(closed, 0)).toBe('42 min');
    expect(incidentDuration(base, Date.parse(start) + 3 * 3_600_000)).toBe('ongoing, 3 h so far');
    expect(incidentDuration({ ...base, durationMs: 100 * 60_000 }, 0)).toBe('1 h 40 min');
    expect(incidentDuration({ ...base, durationMs: 3 * 86_400_000 }, 0)).toBe('3 d');
  });

  it("defaults the time zone to the browser's", () => {
    expect(browserTimeZone()).toBe(Intl.DateTimeFormat().resolvedOptions().timeZone);
  });
});
