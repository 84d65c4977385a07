import { describe, expect, it } from 'vitest';
import { pausedState, resumedState } from '../../../../functions/health/domain/pause.js';
import { makeState, NOW } from '../../../helpers/factories.js';

const down = makeState({
  status: 'DOWN',
  since: '2025-01-15T10:00:00.000Z',
  lastCheckedAt: '2025-01-15T11:55:00.000Z',
  lastError: 'connection refused',
  lastStatusCode: 503,
});

describe('Function: pausedState()', () => {
  it('says PAUSED since now, keeps the last check and drops the reason of the DOWN', () => {
    expect(pausedState(down, NOW)).toEqual({
      status: 'PAUSED',
      since: NOW.toISOString(),
      lastCheckedAt: '2025-01-15T11:55:00.000Z',
      lastStatusCode: 503,
    });
  });
});

describe('Function: resumedState()', () => {
  it('is PENDING since now, keeping the time of the last check (the checker compares against it)', () => {
    expect(resumedState(pausedState(down, NOW), NOW)).toEqual({
      status: 'PENDING',
      since: NOW.toISOString(),
      lastCheckedAt: '2025-01-15T11:55:00.000Z',
    });
  });
});
