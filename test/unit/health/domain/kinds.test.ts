import { describe, expect, it } from 'vitest';
import {
  canonicalTarget,
  dnsNameOf,
  hostTargetOf,
  kindOf,
  probeFieldsOf,
  pushTargetUrl,
  targetProblem,
} from '../../../../functions/health/domain/kinds.js';
import {
  applyMonitorPatch,
  createMonitor,
  newMonitorIdFor,
  parseMonitorInput,
  parseMonitorPatch,
  toMonitorInput,
} from '../../../../functions/health/domain/monitor.js';
import type { Monitor } from '../../../../functions/health/domain/types.js';
import { makeMonitor } from '../../../helpers/factories.js';

const created = new Date('2025-01-15T12:00:00.000Z');

function errorOf(body: unknown): string {
  const parsed = parseMonitorInput(body);
  if (parsed.success) throw new Error(`accepted ${JSON.stringify(body)}`);
  return parsed.error;
}

function create(body: Record<string, unknown>, monitorId = 'target-0123456789abcdef'): Monitor {
  const parsed = parseMonitorInput(body);
  if (!parsed.success) throw new Error(parsed.error);
  return createMonitor(parsed.data, created, { monitorId, ownerId: 'user-a' });
}

describe('Function: targetProblem()', () => {
  it.each([
    ['tcp', 'tcp://db.example.com:5432'],
    ['tcp', 'tcp://203.0.113.7:22/'],
    ['tcp', 'tcp://[2001:db8::1]:443'],
    ['tls', 'tls://example.com'],
    ['tls', 'tls://example.com:8443'],
    ['dns', 'dns://example.com'],
    ['dns', 'dns://_dmarc.example.com.'],
    ['http', 'https://example.com/health'],
  ] as const)('accepts a %s target %s', (kind, url) => {
    expect(targetProblem(kind, url)).toBeUndefined();
  });

  it.each([
    ['tcp', 'tcp://db.example.com', 'must name a port: tcp://host:port'],
    ['tcp', 'https://example.com', 'must be tcp://host:port (a tcp monitor)'],
    ['tcp', 'tcp://example.com:70000', 'must be tcp://host:port'],
    ['tcp', 'tcp://user:pw@example.com:22', 'must not contain a user name or password'],
    ['tcp', 'tcp://example.com:22/path', 'must be tcp://host:port, without a path, query or fragment'],
    ['tls', 'tls://example.com:0', 'port must be 1 to 65535'],
    ['dns', 'dns://example.com:53', 'must be dns://name, without a port'],
    ['dns', 'dns://127.0.0.1', 'must be a DNS name, not an IP address'],
    ['dns', 'dns://localhost', 'must be a fully qualified name (at least two labels, e.g. example.com)'],
    ['dns', 'dns://metadata.google.internal', 'must be a public name (.internal names are internal)'],
    ['dns', 'dns://printer.local', 'must be a public name (.local names are internal)'],
    ['http', 'ftp://example.com', 'must be an absolute http:// or https:// URL'],
  ] as const)('refuses a %s target %s: %s', (kind, url, message) => {
    expect(targetProblem(kind, url)).toBe(message);
  });

  it('reads every IPv4 spelling as the address the socket will use', () => {
    expect(canonicalTarget('tcp', 'tcp://2130706433:22')).toBe('tcp://127.0.0.1:22');
    expect(canonicalTarget('tcp', 'tcp://0x7f.1:22')).toBe('tcp://127.0.0.1:22');
    expect(canonicalTarget('tls', 'tls://Example.COM')).toBe('tls://example.com:443');
    expect(canonicalTarget('dns', 'dns://Example.com.')).toBe('dns://example.com');
    expect(hostTargetOf('tcp://[2001:db8::1]:443')).toEqual({ host: '2001:db8::1', port: 443 });
    expect(dnsNameOf('dns://example.com')).toBe('example.com');
  });
});

describe('Function: parseMonitorInput() with kinds', () => {
  it('defaults to http every minute, and names each setting that does not fit the kind', () => {
    expect(create({ url: 'https://example.com' })).toMatchObject({ kind: 'http', intervalMinutes: 1 });
    expect(errorOf({ kind: 'tcp', url: 'tcp://example.com:22', keyword: 'ok', method: 'POST' })).toBe(
      'method: only applies to http monitors; keyword: only applies to http monitors',
    );
    expect(errorOf({ kind: 'tcp', url: 'tcp://example.com:22', tlsWarningDays: [7] })).toBe(
      'tlsWarningDays: only applies to http and tls monitors',
    );
    expect(errorOf({ url: 'https://example.com', recordType: 'MX', graceMinutes: 5 })).toBe(
      'recordType: only applies to dns monitors; graceMinutes: only applies to push monitors',
    );
  });

  it('refuses an unknown kind, an interval off the list, and a missing target or expected value', () => {
    expect(errorOf({ kind: 'icmp', url: 'https://example.com' })).toBe(
      'kind: must be one of http, push, tcp, dns, tls',
    );
    expect(errorOf({ url: 'https://example.com', intervalMinutes: 2 })).toBe(
      'intervalMinutes: must be one of 1, 5, 15, 60 (minutes)',
    );
    expect(errorOf({ kind: 'tcp' })).toBe('url: is required');
    expect(errorOf({ kind: 'dns', url: 'dns://example.com' })).toBe(
      'expectedValue: is required for a dns monitor',
    );
    expect(errorOf({ kind: 'dns', url: 'dns://example.com', expectedValue: 'x', recordType: 'SRV' })).toBe(
      'recordType: must be one of A, AAAA, CNAME, MX, TXT',
    );
    expect(errorOf({ kind: 'push', url: 'https://example.com' })).toBe(
      'url: must not be given for a push monitor (its push URL is made for it)',
    );
    expect(errorOf({ kind: 'push', periodMinutes: 0 })).toBe(
      'periodMinutes: must be an integer between 1 and 43200',
    );
  });

  it('names a bad target together with the other bad fields', () => {
    expect(errorOf({ kind: 'tcp', url: 'tcp://example.com', timeoutMs: 5 })).toBe(
      'timeoutMs: must be an integer between 100 and 60000; url: must name a port: tcp://host:port',
    );
  });

  it('makes each kind with its own defaults and canonical target', () => {
    expect(create({ kind: 'tcp', url: 'tcp://DB.example.com:5432', intervalMinutes: 5 })).toMatchObject({
      kind: 'tcp',
      url: 'tcp://db.example.com:5432',
      name: 'db.example.com:5432',
      intervalMinutes: 5,
    });
    expect(create({ kind: 'dns', url: 'dns://example.com', expectedValue: '203.0.113.7' })).toMatchObject({
      kind: 'dns',
      url: 'dns://example.com',
      recordType: 'A',
      expectedValue: '203.0.113.7',
    });
    const push = create({ kind: 'push', name: 'Nightly backup' }, 'heartbeat-0123456789abcdef');
    expect(push).toMatchObject({
      kind: 'push',
      url: pushTargetUrl('heartbeat-0123456789abcdef'),
      periodMinutes: 60,
      graceMinutes: 5,
    });
    expect(toMonitorInput(push)).toEqual({
      name: 'Nightly backup',
      kind: 'push',
      intervalMinutes: 1,
      periodMinutes: 60,
      graceMinutes: 5,
    });
  });

  it('gives push monitors a heartbeat id and the others one after their target', () => {
    expect(newMonitorIdFor({ kind: 'push' }, '0123456789abcdef')).toBe('heartbeat-0123456789abcdef');
    expect(newMonitorIdFor({ kind: 'tcp', url: 'tcp://db.example.com:5432' }, '0123456789abcdef')).toBe(
      'db-example-com-0123456789abcdef',
    );
  });

  it('reads monitors stored before kinds as http, probed as before', () => {
    const legacy = makeMonitor();
    delete legacy.kind;
    expect(kindOf(legacy)).toBe('http');
    expect(probeFieldsOf(legacy)).toEqual({});
    expect(
      probeFieldsOf(create({ kind: 'dns', url: 'dns://example.com', expectedValue: 'x', recordType: 'TXT' })),
    ).toEqual({
      kind: 'dns',
      recordType: 'TXT',
    });
  });
});

describe('Function: applyMonitorPatch() with kinds', () => {
  const http = create({ url: 'https://example.com', keyword: 'ok' });

  it('changes an http monitor into a tcp one, dropping the http settings', () => {
    const patch = parseMonitorPatch({ kind: 'tcp', url: 'tcp://example.com:443' });
    if (!patch.success) throw new Error(patch.error);
    const next = applyMonitorPatch(http, patch.data);
    if (!next.success) throw new Error(next.error);
    expect(next.data).toMatchObject({ kind: 'tcp', url: 'tcp://example.com:443' });
    expect(next.data.keyword).toBeUndefined();
  });

  it('refuses a target of another kind than the monitor, and a push monitor changing kind', () => {
    const patch = parseMonitorPatch({ url: 'tcp://example.com:443' });
    if (!patch.success) throw new Error(patch.error);
    expect(applyMonitorPatch(http, patch.data)).toEqual({
      success: false,
      error: 'url: must be an absolute http:// or https:// URL',
    });
    const push = create({ kind: 'push' }, 'heartbeat-0123456789abcdef');
    const toHttp = parseMonitorPatch({ kind: 'http', url: 'https://example.com' });
    if (!toHttp.success) throw new Error(toHttp.error);
    expect(applyMonitorPatch(push, toHttp.data)).toEqual({
      success: false,
      error:
        'kind: a push monitor cannot become a http monitor (push monitors keep their kind: delete it and add another)',
    });
    expect(parseMonitorPatch({ url: 'ftp://example.com' })).toEqual({
      success: false,
      error: 'url: must be an absolute http:// or https:// URL',
    });
  });

  it('changes the period of a push monitor and keeps its target', () => {
    const push = create({ kind: 'push' }, 'heartbeat-0123456789abcdef');
    const patch = parseMonitorPatch({ periodMinutes: 1440, graceMinutes: 30, intervalMinutes: 15 });
    if (!patch.success) throw new Error(patch.error);
    const next = applyMonitorPatch(push, patch.data);
    if (!next.success) throw new Error(next.error);
    expect(next.data).toMatchObject({
      url: push.url,
      periodMinutes: 1440,
      graceMinutes: 30,
      intervalMinutes: 15,
    });
  });
});
