import { describe, expect, it } from 'vitest';
import {
  reasonCategory,
  redactUrl,
  toPublicResult,
  toPublicView,
} from '../../../../functions/health/domain/public-view.js';
import { makeMonitor, makeRecord, makeResult, NOW } from '../../../helpers/factories.js';

describe('Function: redactUrl()', () => {
  it.each([
    ['https://user:secret@example.com:8443/a/b?token=abc#frag', 'https://example.com:8443/a/b'],
    ['http://example.com/?q=1', 'http://example.com/'],
    ['not a url', ''],
  ])('%s -> %s', (url, redacted) => {
    expect(redactUrl(url)).toBe(redacted);
  });
});

describe('Function: reasonCategory()', () => {
  it.each([
    ['timeout after 10000 ms', 'timeout'],
    ['connection refused', 'connection refused'],
    ['connection reset while reading the response (status 200)', 'connection reset'],
    ['DNS lookup failed: ENOTFOUND secret.internal', 'DNS error'],
    ['TLS error: DEPTH_ZERO_SELF_SIGNED_CERT', 'TLS error'],
    ['TLS certificate expired on 2025-01-01T00:00:00.000Z', 'certificate expired'],
    ['unexpected status 503 (expected 200-299)', 'HTTP 503'],
    ['keyword "ok" not found in the body', 'keyword check failed'],
    ['jsonPath $.secret is "ami-0abc123 root password hunter2", expected "ok"', 'JSON check failed'],
    ['body is not valid JSON (jsonPath $.a)', 'JSON check failed'],
    ['too many redirects (more than 5)', 'redirect error'],
    ['blocked: 10.0.0.5 is a private address (10.0.0.0/8)', 'private address refused'],
    ['something the target said: <html>internal</html>', 'check failed'],
  ])('%s -> %s', (reason, category) => {
    expect(reasonCategory(reason)).toBe(category);
  });

  it('is undefined without a reason', () => {
    expect(reasonCategory(undefined)).toBeUndefined();
  });
});

describe('Function: toPublicView()', () => {
  it('shows no settings, owner, query string, target text or certificate issuer', () => {
    const monitor = makeMonitor(
      { url: 'https://example.com/health?key=s3cret', keyword: 'needle', jsonPath: { path: '$.a' } },
      { ownerId: 'alice-sub', public: true },
    );
    const record = makeRecord(monitor, {
      status: 'DOWN',
      lastError: 'jsonPath $.a is "169.254.169.254 meta-data", expected "ok"',
      lastStatusCode: 200,
      cert: { validTo: '2026-01-01T00:00:00.000Z', daysRemaining: 300, issuer: 'CN=Internal CA' },
    });
    const view = toPublicView(record, NOW);
    expect(view).toEqual({
      monitorId: monitor.monitorId,
      name: monitor.name,
      url: 'https://example.com/health',
      method: 'GET',
      state: {
        status: 'DOWN',
        since: record.state.since,
        lastStatusCode: 200,
        reason: 'JSON check failed',
        cert: { validTo: '2026-01-01T00:00:00.000Z', daysRemaining: 300 },
      },
      uptime24h: null,
      uptime7d: null,
      checkedSince: null,
    });
    const text = JSON.stringify(view);
    for (const secret of ['s3cret', 'needle', '169.254', 'alice-sub', 'Internal CA', 'expectedStatus']) {
      expect(text).not.toContain(secret);
    }
  });
});

describe('Function: toPublicResult()', () => {
  it('keeps time, status, latency and status code, and the category of a DOWN', () => {
    const result = makeResult({
      status: 'DOWN',
      statusCode: 500,
      error: 'unexpected status 500 (expected 200)',
    });
    expect(toPublicResult(result)).toEqual({
      checkedAt: result.checkedAt,
      status: 'DOWN',
      latencyMs: 120,
      statusCode: 500,
      reason: 'HTTP 500',
    });
    expect(toPublicResult(makeResult())).not.toHaveProperty('reason');
  });
});
