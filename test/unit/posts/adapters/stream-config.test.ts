import { describe, expect, it } from 'vitest';
import { holdDeadline, loadStreamConfig } from '../../../../functions/posts/adapters/config.js';

const env = {
  POSTS_STREAM_NAME: 'kumo-dev-PostsStream',
  CHECKPOINT_TABLE: 'kumo-dev-PostsCheckpointTable',
  X_API_BASE_URL: 'https://api.x.com/',
  X_BEARER_TOKEN_PARAMETER: '/kumo/dev/x-bearer-token',
  X_SEARCH_QUERY: '#aws',
};

describe('Function: loadStreamConfig()', () => {
  it('has the deployed defaults: 30 s margin, 5 s lease checks, 10 s catch-up delay, 50 catch-up pages', () => {
    expect(loadStreamConfig(env)).toEqual({
      streamName: 'kumo-dev-PostsStream',
      checkpointTable: 'kumo-dev-PostsCheckpointTable',
      xApiBaseUrl: 'https://api.x.com',
      bearerTokenParameter: '/kumo/dev/x-bearer-token',
      query: '#aws',
      maxResults: 100,
      maxPages: 50,
      safetyMarginMs: 30_000,
      maxHoldMs: 900_000,
      leaseCheckMs: 5_000,
      releaseWaitMs: 20_000,
      catchUpDelayMs: 10_000,
      checkpointLagMs: 30_000,
    });
  });

  it('reads the local overrides (fractions of a second too) and names a bad variable', () => {
    const config = loadStreamConfig({
      ...env,
      STREAM_MAX_HOLD_SECONDS: '45',
      STREAM_LEASE_CHECK_SECONDS: '0.25',
    });
    expect(config).toMatchObject({ maxHoldMs: 45_000, leaseCheckMs: 250 });
    expect(() => loadStreamConfig({ ...env, STREAM_SAFETY_MARGIN_SECONDS: 'soon' })).toThrow(
      /STREAM_SAFETY_MARGIN_SECONDS must be a number of seconds/,
    );
    expect(() => loadStreamConfig({ ...env, STREAM_MAX_HOLD_SECONDS: '901' })).toThrow(
      /STREAM_MAX_HOLD_SECONDS must be at most 900/,
    );
  });
});

describe('Function: holdDeadline()', () => {
  const start = new Date('2026-12-06T01:00:00.000Z');

  it('ends the hold the safety margin before the Lambda timeout', () => {
    const config = loadStreamConfig(env);
    expect(holdDeadline(start, 900_000, config).toISOString()).toBe('2026-12-06T01:14:30.000Z');
  });

  it('caps it at the maximum hold, and never before the start', () => {
    expect(holdDeadline(start, 900_000, loadStreamConfig({ ...env, STREAM_MAX_HOLD_SECONDS: '45' }))).toEqual(
      new Date('2026-12-06T01:00:45.000Z'),
    );
    expect(holdDeadline(start, 10_000, loadStreamConfig(env))).toEqual(start);
  });
});
