import { describe, expect, it } from 'vitest';
import { dnsRecordMatches, judgeCheck } from '../../../../functions/health/domain/kind-judge.js';
import { makeMonitor, makeOutcome, NOW } from '../../../helpers/factories.js';

const socketOutcome = { latencyMs: 12, redirects: 0 };
const tcp = makeMonitor({}, { kind: 'tcp', url: 'tcp://db.example.com:5432' });
const tls = makeMonitor({}, { kind: 'tls', url: 'tls://example.com:443' });
const dns = makeMonitor(
  {},
  { kind: 'dns', url: 'dns://example.com', recordType: 'A', expectedValue: '203.0.113.7' },
);
const inDays = (days: number) => new Date(NOW.getTime() + days * 86_400_000).toISOString();

describe('Function: judgeCheck()', () => {
  it('judges http monitors as before', () => {
    expect(judgeCheck(makeOutcome({ statusCode: 503 }), makeMonitor(), NOW)).toMatchObject({
      status: 'DOWN',
      reason: 'unexpected status 503 (expected 200-299)',
    });
  });

  it('has a tcp monitor UP when the port accepted, DOWN with the network reason otherwise', () => {
    expect(judgeCheck(socketOutcome, tcp, NOW)).toEqual({ status: 'UP' });
    expect(judgeCheck({ ...socketOutcome, errorKind: 'connectionRefused' }, tcp, NOW)).toEqual({
      status: 'DOWN',
      reason: 'connection refused',
    });
    expect(
      judgeCheck(
        {
          ...socketOutcome,
          errorKind: 'blocked',
          errorMessage: '10.0.0.5 is a private address (10.0.0.0/8)',
        },
        tcp,
        NOW,
      ),
    ).toEqual({ status: 'DOWN', reason: 'blocked: 10.0.0.5 is a private address (10.0.0.0/8)' });
  });

  it('has a tls monitor UP with a valid certificate, warning days reported for the alerts', () => {
    expect(
      judgeCheck({ ...socketOutcome, cert: { validTo: inDays(10), issuer: 'R3' }, tls: {} }, tls, NOW),
    ).toEqual({
      status: 'UP',
      cert: { validTo: inDays(10), daysRemaining: 10, issuer: 'R3', warningDays: 14 },
    });
  });

  it.each([
    [{ validTo: inDays(-1) }, {}, `TLS certificate expired on ${inDays(-1)}`],
    [
      { validTo: inDays(30) },
      { hostnameError: "IP: 1.2.3.4 is not in the cert's list" },
      "TLS certificate does not match the host: IP: 1.2.3.4 is not in the cert's list",
    ],
    [
      { validTo: inDays(30) },
      { chainError: 'DEPTH_ZERO_SELF_SIGNED_CERT' },
      'TLS certificate not trusted: DEPTH_ZERO_SELF_SIGNED_CERT',
    ],
  ])('has a tls monitor DOWN for %j %j', (cert, findings, reason) => {
    expect(judgeCheck({ ...socketOutcome, cert, tls: findings }, tls, NOW)).toMatchObject({
      status: 'DOWN',
      reason,
    });
  });

  it('has a dns monitor UP when one record equals the expected value, DOWN naming what it found', () => {
    expect(judgeCheck({ ...socketOutcome, records: ['198.51.100.1', '203.0.113.7'] }, dns, NOW)).toEqual({
      status: 'UP',
    });
    expect(judgeCheck({ ...socketOutcome, records: ['198.51.100.1'] }, dns, NOW)).toEqual({
      status: 'DOWN',
      reason: 'DNS A record of example.com is not "203.0.113.7" (found "198.51.100.1")',
    });
    expect(judgeCheck({ ...socketOutcome, records: [] }, dns, NOW)).toEqual({
      status: 'DOWN',
      reason: 'DNS A record of example.com: none found (expected "203.0.113.7")',
    });
    expect(judgeCheck({ ...socketOutcome, errorKind: 'timeout' }, dns, NOW)).toEqual({
      status: 'DOWN',
      reason: 'timeout after 10000 ms',
    });
  });
});

describe('Function: dnsRecordMatches()', () => {
  it.each([
    ['AAAA', '2001:db8::1', '2001:0DB8:0:0::1', true],
    ['CNAME', 'edge.example.net', 'Edge.Example.NET.', true],
    ['MX', '10 mail.example.com', 'mail.example.com', true],
    ['MX', '10 mail.example.com', '10 mail.example.com.', true],
    ['MX', '10 mail.example.com', '20 mail.example.com', false],
    ['TXT', 'v=spf1 -all', 'v=spf1 -all', true],
    ['TXT', 'v=spf1 -all', 'V=SPF1 -ALL', false],
    ['A', '203.0.113.7', '203.0.113.70', false],
  ] as const)('%s %s vs %s: %s', (type, record, expected, matches) => {
    expect(dnsRecordMatches(type, record, expected)).toBe(matches);
  });
});
