import { describe, expect, it } from 'vitest';
import {
  certInfo,
  judgeProbe,
  type ProbeErrorKind,
  type ProbeOutcome,
} from '../../../../functions/health/domain/probe.js';
import { daysFromNow, makeMonitor, makeOutcome, NOW } from '../../../helpers/factories.js';

describe('Function: certInfo()', () => {
  const thresholds = [21, 14, 7];

  it.each([
    [3, 7],
    [7, 7],
    [8, 14],
    [10, 14],
    [14, 14],
    [20, 21],
    [21, 21],
  ])('puts a certificate with %i days left within the %i-day threshold', (days, warningDays) => {
    const info = certInfo({ validTo: daysFromNow(days, 1) }, NOW, thresholds);
    expect(info.daysRemaining).toBe(days);
    expect(info.warningDays).toBe(warningDays);
  });

  it('gives no threshold to a certificate with more days left than every threshold', () => {
    const info = certInfo({ validTo: daysFromNow(22, 1), issuer: "Let's Encrypt" }, NOW, thresholds);
    expect(info).toEqual({ validTo: daysFromNow(22, 1), daysRemaining: 22, issuer: "Let's Encrypt" });
  });

  it('rounds days remaining down', () => {
    expect(certInfo({ validTo: daysFromNow(2, 23) }, NOW, thresholds).daysRemaining).toBe(2);
  });

  it('counts negative days for an expired certificate', () => {
    const info = certInfo({ validTo: daysFromNow(-2, 1) }, NOW, thresholds);
    expect(info.daysRemaining).toBe(-2);
    expect(info.warningDays).toBe(7);
  });

  it('gives no threshold when the monitor has none', () => {
    expect(certInfo({ validTo: daysFromNow(1, 1) }, NOW, []).warningDays).toBeUndefined();
  });
});

describe('Function: judgeProbe()', () => {
  const monitor = makeMonitor({ timeoutMs: 5000 });

  describe('status codes', () => {
    it('is UP for a 200 with the default expectation (any 2xx)', () => {
      expect(judgeProbe(makeOutcome(), monitor, NOW)).toEqual({ status: 'UP' });
    });

    it.each([201, 204, 299])('is UP for %i with the default expectation', (statusCode) => {
      expect(judgeProbe(makeOutcome({ statusCode }), monitor, NOW).status).toBe('UP');
    });

    it.each([
      [503, 'unexpected status 503 (expected 200-299)'],
      [500, 'unexpected status 500 (expected 200-299)'],
      [404, 'unexpected status 404 (expected 200-299)'],
      [199, 'unexpected status 199 (expected 200-299)'],
    ])('is DOWN for %i', (statusCode, reason) => {
      expect(judgeProbe(makeOutcome({ statusCode }), monitor, NOW)).toEqual({ status: 'DOWN', reason });
    });

    it('accepts exactly the expected statuses when they are given', () => {
      const custom = makeMonitor({ expectedStatus: '200,404' });
      expect(judgeProbe(makeOutcome({ statusCode: 404 }), custom, NOW).status).toBe('UP');
      expect(judgeProbe(makeOutcome({ statusCode: 201 }), custom, NOW)).toEqual({
        status: 'DOWN',
        reason: 'unexpected status 201 (expected 200,404)',
      });
    });

    it('accepts any status of an expected range, and none outside it', () => {
      const custom = makeMonitor({ expectedStatus: '200-204,300-399' });
      for (const statusCode of [200, 204, 300, 350, 399]) {
        expect(judgeProbe(makeOutcome({ statusCode }), custom, NOW).status, String(statusCode)).toBe('UP');
      }
      expect(judgeProbe(makeOutcome({ statusCode: 205 }), custom, NOW)).toEqual({
        status: 'DOWN',
        reason: 'unexpected status 205 (expected 200-204,300-399)',
      });
    });

    it('accepts an expected redirect status that was not followed', () => {
      const custom = makeMonitor({ expectedStatus: '301', maxRedirects: 0 });
      const outcome = makeOutcome({
        statusCode: 301,
        headers: { location: 'https://example.com/new' },
        body: '',
      });
      expect(judgeProbe(outcome, custom, NOW).status).toBe('UP');
    });

    it('reports "no response" when there is neither status nor error', () => {
      expect(judgeProbe(makeOutcome({ statusCode: undefined }), monitor, NOW)).toEqual({
        status: 'DOWN',
        reason: 'no response',
      });
    });
  });

  describe('redirects', () => {
    it('reports too many redirects when a redirect is still pending after maxRedirects', () => {
      const outcome = makeOutcome({
        statusCode: 302,
        headers: { location: '/loop' },
        redirects: 5,
        body: '',
      });
      expect(judgeProbe(outcome, monitor, NOW)).toEqual({
        status: 'DOWN',
        reason: 'too many redirects (more than 5)',
      });
    });

    it('explains an unfollowed redirect when maxRedirects is 0', () => {
      const outcome = makeOutcome({ statusCode: 301, headers: { location: '/elsewhere' }, body: '' });
      expect(judgeProbe(outcome, makeMonitor({ maxRedirects: 0 }), NOW)).toEqual({
        status: 'DOWN',
        reason: 'redirect (status 301) not followed: maxRedirects is 0',
      });
    });

    it('treats a 3xx without Location as an unexpected status', () => {
      const outcome = makeOutcome({ statusCode: 304, headers: {}, body: '' });
      expect(judgeProbe(outcome, monitor, NOW).reason).toBe('unexpected status 304 (expected 200-299)');
    });

    it('reads a Location header given as an array', () => {
      const outcome = makeOutcome({ statusCode: 308, headers: { location: ['/a'] }, redirects: 5 });
      expect(judgeProbe(outcome, monitor, NOW).reason).toBe('too many redirects (more than 5)');
    });

    it('is UP after followed redirects end on a 2xx', () => {
      expect(judgeProbe(makeOutcome({ redirects: 3 }), monitor, NOW).status).toBe('UP');
    });
  });

  describe('network errors', () => {
    it.each<[ProbeErrorKind, string | undefined, string]>([
      ['timeout', undefined, 'timeout after 5000 ms'],
      ['connectionRefused', 'ECONNREFUSED', 'connection refused'],
      ['connectionReset', 'ECONNRESET', 'connection reset'],
      ['dnsError', 'ENOTFOUND', 'DNS lookup failed: ENOTFOUND'],
      ['hostUnreachable', 'EHOSTUNREACH', 'host unreachable: EHOSTUNREACH'],
      ['tlsError', 'DEPTH_ZERO_SELF_SIGNED_CERT', 'TLS error: DEPTH_ZERO_SELF_SIGNED_CERT'],
      ['tlsError', undefined, 'TLS error'],
      ['invalidResponse', 'HPE_INVALID_CONSTANT', 'invalid HTTP response: HPE_INVALID_CONSTANT'],
      [
        'invalidRedirect',
        'unsupported Location scheme ftp:',
        'invalid redirect: unsupported Location scheme ftp:',
      ],
      [
        'blocked',
        '10.0.0.5 is a private address (10.0.0.0/8)',
        'blocked: 10.0.0.5 is a private address (10.0.0.0/8)',
      ],
      ['aborted', 'the run reached its deadline', 'not checked: the run reached its deadline'],
      ['unknown', 'boom', 'request failed: boom'],
    ])('is DOWN on %s (%s)', (errorKind, errorMessage, reason) => {
      const outcome = makeOutcome({ statusCode: undefined, body: undefined, errorKind, errorMessage });
      expect(judgeProbe(outcome, monitor, NOW)).toEqual({ status: 'DOWN', reason });
    });

    it('names the status when the connection was reset while reading the body', () => {
      const outcome = makeOutcome({ errorKind: 'connectionReset', statusCode: 200, body: 'part' });
      expect(judgeProbe(outcome, monitor, NOW).reason).toBe(
        'connection reset while reading the response (status 200)',
      );
    });

    it('lets an error win over an otherwise good status', () => {
      const outcome = makeOutcome({ errorKind: 'timeout', statusCode: 200 });
      expect(judgeProbe(outcome, monitor, NOW)).toEqual({ status: 'DOWN', reason: 'timeout after 5000 ms' });
    });

    it('still reports the certificate on a TLS error', () => {
      const outcome = makeOutcome({
        statusCode: undefined,
        errorKind: 'tlsError',
        errorMessage: 'DEPTH_ZERO_SELF_SIGNED_CERT',
        cert: { validTo: daysFromNow(3, 1) },
      });
      const judgement = judgeProbe(outcome, monitor, NOW);
      expect(judgement.status).toBe('DOWN');
      expect(judgement.cert).toMatchObject({ daysRemaining: 3, warningDays: 7 });
    });
  });

  describe('keyword', () => {
    it('is UP when the keyword is in the body', () => {
      expect(judgeProbe(makeOutcome(), makeMonitor({ keyword: 'status: ok' }), NOW).status).toBe('UP');
    });

    it('is DOWN when the keyword is missing', () => {
      expect(judgeProbe(makeOutcome(), makeMonitor({ keyword: 'healthy' }), NOW)).toEqual({
        status: 'DOWN',
        reason: 'keyword "healthy" not found in the body',
      });
    });

    it('matches case-sensitively', () => {
      expect(judgeProbe(makeOutcome(), makeMonitor({ keyword: 'STATUS: OK' }), NOW).status).toBe('DOWN');
    });

    it('is DOWN when a keyword that must be absent is present', () => {
      const absent = makeMonitor({ keyword: 'status: ok', keywordAbsent: true });
      expect(judgeProbe(makeOutcome(), absent, NOW)).toEqual({
        status: 'DOWN',
        reason: 'keyword "status: ok" found in the body (must be absent)',
      });
    });

    it('is UP when a keyword that must be absent is absent', () => {
      const absent = makeMonitor({ keyword: 'maintenance', keywordAbsent: true });
      expect(judgeProbe(makeOutcome(), absent, NOW).status).toBe('UP');
    });

    it('says when only the first 1 MiB was searched', () => {
      const outcome = makeOutcome({ bodyTruncated: true });
      expect(judgeProbe(outcome, makeMonitor({ keyword: 'footer' }), NOW).reason).toBe(
        'keyword "footer" not found in the first 1 MiB of the body',
      );
    });

    it('checks the status before the keyword', () => {
      const outcome = makeOutcome({ statusCode: 500 });
      expect(judgeProbe(outcome, makeMonitor({ keyword: 'healthy' }), NOW).reason).toBe(
        'unexpected status 500 (expected 200-299)',
      );
    });

    it('shortens a long keyword in the reason', () => {
      const keyword = 'x'.repeat(200);
      const reason = judgeProbe(makeOutcome(), makeMonitor({ keyword }), NOW).reason ?? '';
      expect(reason.length).toBeLessThan(120);
      expect(reason).toContain('...');
    });
  });

  describe('jsonPath', () => {
    const body = JSON.stringify({
      status: 'ok',
      count: 3,
      healthy: true,
      maintenance: null,
      checks: [
        { name: 'db', ok: true },
        { name: 'cache', ok: false },
      ],
      'x-region': 'eu',
    });
    const json = makeOutcome({ body, headers: { 'content-type': 'application/json' } });
    const judge = (path: string, equals?: string | number | boolean | null) =>
      judgeProbe(json, makeMonitor({ jsonPath: equals === undefined ? { path } : { path, equals } }), NOW);

    it.each<[string, string | number | boolean | null]>([
      ['$.status', 'ok'],
      ['$.count', 3],
      ['$.healthy', true],
      ['$.maintenance', null],
      ['$.checks[0].name', 'db'],
      ['$.checks[1].ok', false],
      ['$.checks[-1].name', 'cache'],
      ["$['x-region']", 'eu'],
    ])('is UP when %s equals %j', (path, equals) => {
      expect(judge(path, equals)).toEqual({ status: 'UP' });
    });

    it('is DOWN naming the expected value only when the value differs', () => {
      expect(judge('$.status', 'degraded')).toEqual({
        status: 'DOWN',
        reason: 'jsonPath $.status is not equal to "degraded"',
      });
    });

    it('compares strictly: the number 3 is not the string "3"', () => {
      expect(judge('$.count', '3').reason).toBe('jsonPath $.count is not equal to "3"');
    });

    it('only requires the path to exist when no value is given', () => {
      expect(judge('$.maintenance').status).toBe('UP');
      expect(judge('$.checks[1]').status).toBe('UP');
    });

    it.each(['$.missing', '$.checks[5].name', '$.status.inner', '$.checks.name'])(
      'is DOWN when %s does not exist',
      (path) => {
        expect(judge(path, 'x')).toEqual({ status: 'DOWN', reason: `jsonPath ${path} not found` });
      },
    );

    it('is DOWN when the body is not JSON', () => {
      const outcome = makeOutcome({ body: '<html>oops</html>' });
      expect(judgeProbe(outcome, makeMonitor({ jsonPath: { path: '$.status', equals: 'ok' } }), NOW)).toEqual(
        {
          status: 'DOWN',
          reason: 'body is not valid JSON (jsonPath $.status)',
        },
      );
    });

    it('is DOWN when the body was cut at 1 MiB', () => {
      const outcome = makeOutcome({ body, bodyTruncated: true });
      expect(judgeProbe(outcome, makeMonitor({ jsonPath: { path: '$.status' } }), NOW).reason).toBe(
        'body larger than 1 MiB, cannot evaluate jsonPath $.status',
      );
    });

    it('compares an object value as a mismatch, without showing it', () => {
      expect(judge('$.checks[0]', 'db').reason).toBe('jsonPath $.checks[0] is not equal to "db"');
    });

    describe('never puts the body into the reason', () => {
      const secret = 'AKIAIOSFODNN7EXAMPLE-wJalrXUtnFEMI';
      const cases: [string, ProbeOutcome, Parameters<typeof makeMonitor>[0]][] = [
        ['a keyword missing', makeOutcome({ body: `<p>${secret}</p>` }), { keyword: 'healthy' }],
        [
          'a keyword present',
          makeOutcome({ body: `<p>${secret}</p>` }),
          { keyword: secret.slice(0, 5), keywordAbsent: true },
        ],
        [
          'a string that differs',
          makeOutcome({ body: JSON.stringify({ status: secret }) }),
          { jsonPath: { path: '$.status', equals: 'ok' } },
        ],
        [
          'an object where a value was expected',
          makeOutcome({ body: JSON.stringify({ status: { key: secret } }) }),
          { jsonPath: { path: '$.status', equals: 'ok' } },
        ],
        [
          'a path that is missing',
          makeOutcome({ body: JSON.stringify({ other: secret }) }),
          { jsonPath: { path: '$.status' } },
        ],
        ['a body that is not JSON', makeOutcome({ body: `${secret} {` }), { jsonPath: { path: '$.status' } }],
      ];
      it.each(cases)('on %s', (_name, outcome, input) => {
        const judgement = judgeProbe(outcome, makeMonitor(input), NOW);
        expect(judgement.status).toBe('DOWN');
        expect(judgement.reason).not.toContain(secret.slice(5, 15));
        expect(judgement.reason).not.toContain('wJalr');
      });

      it('names what was expected', () => {
        const outcome = makeOutcome({ body: JSON.stringify({ status: secret }) });
        expect(judgeProbe(outcome, makeMonitor({ keyword: 'ok' }), NOW).reason).toBe(
          'keyword "ok" not found in the body',
        );
        expect(
          judgeProbe(outcome, makeMonitor({ jsonPath: { path: '$.status', equals: 'ok' } }), NOW).reason,
        ).toBe('jsonPath $.status is not equal to "ok"');
      });
    });

    it('checks the keyword before the jsonPath', () => {
      const both = makeMonitor({ keyword: 'absent-word', jsonPath: { path: '$.status', equals: 'nope' } });
      expect(judgeProbe(json, both, NOW).reason).toBe('keyword "absent-word" not found in the body');
    });
  });

  describe('certificate', () => {
    it('reports the certificate with its threshold on an UP result', () => {
      const outcome = makeOutcome({ cert: { validTo: daysFromNow(10, 1), issuer: 'Kumo CA' } });
      expect(judgeProbe(outcome, monitor, NOW)).toEqual({
        status: 'UP',
        cert: { validTo: daysFromNow(10, 1), daysRemaining: 10, issuer: 'Kumo CA', warningDays: 14 },
      });
    });

    it('is DOWN when the certificate has expired', () => {
      const validTo = daysFromNow(-1);
      const judgement = judgeProbe(makeOutcome({ cert: { validTo } }), monitor, NOW);
      expect(judgement.status).toBe('DOWN');
      expect(judgement.reason).toBe(`TLS certificate expired on ${validTo}`);
      expect(judgement.cert?.daysRemaining).toBe(-1);
    });

    it('uses the monitor thresholds', () => {
      const custom = makeMonitor({ tlsWarningDays: [30] });
      const outcome = makeOutcome({ cert: { validTo: daysFromNow(25, 1) } });
      expect(judgeProbe(outcome, custom, NOW).cert?.warningDays).toBe(30);
    });
  });
});
