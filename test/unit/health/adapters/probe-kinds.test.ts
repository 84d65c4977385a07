/**
 * The tcp, tls and dns probers against local targets (test/helpers/kind-targets.ts), the dispatch by
 * kind, and the address guard for each kind (at input and at connect time).
 */
import dgram from 'node:dgram';
import net from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createDnsProber, probeDns } from '../../../../functions/health/adapters/probe-dns.js';
import { createKindProber } from '../../../../functions/health/adapters/probe-kinds.js';
import { probeTcp } from '../../../../functions/health/adapters/probe-tcp.js';
import { probeTls } from '../../../../functions/health/adapters/probe-tls.js';
import {
  assertMonitorTargetAllowed,
  type HostResolver,
} from '../../../../functions/health/adapters/target-guard.js';
import type { ProbeOutcome, ProbeRequest, Prober } from '../../../../functions/health/domain/probe.js';
import {
  closedPort,
  type DnsTarget,
  type SocketTarget,
  startDnsTarget,
  startTcpTarget,
  startTlsTarget,
} from '../../../helpers/kind-targets.js';

const request = (url: string, overrides: Partial<ProbeRequest> = {}): ProbeRequest => ({
  url,
  method: 'GET',
  timeoutMs: 2_000,
  maxRedirects: 0,
  ...overrides,
});
/** A resolver that stands `kumo.test` in for a name that resolves to 127.0.0.1. */
const resolveKumo: HostResolver = async () => [{ address: '127.0.0.1', family: 4 }];

let dns: DnsTarget;
let tcp: SocketTarget;
let tls: SocketTarget;
let expiredTls: SocketTarget;
/** Accepts tcp connections and never speaks TLS. */
let tcpSilent: net.Server & { port: number };

beforeAll(async () => {
  dns = await startDnsTarget({
    'app.example.com': {
      A: ['203.0.113.7'],
      AAAA: ['2001:db8::1'],
      MX: ['10 mail.example.com'],
      TXT: ['v=spf1 -all'],
    },
    'www.example.com': { CNAME: ['edge.example.net'] },
  });
  tcp = await startTcpTarget();
  tls = await startTlsTarget({ commonName: 'kumo.test', days: 10 });
  expiredTls = await startTlsTarget({ commonName: 'kumo.test', days: -2 });
  const server = net.createServer(() => undefined);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  tcpSilent = Object.assign(server, { port: (server.address() as net.AddressInfo).port });
}, 60_000);

afterAll(async () => {
  await Promise.all([dns?.close(), tcp?.close(), tls?.close(), expiredTls?.close()]);
  tcpSilent?.close();
});

describe('Function: probeTcp()', () => {
  it('connects to an open port, and reports a closed one as refused', async () => {
    const open = await probeTcp(request(`tcp://127.0.0.1:${tcp.port}`), { allowPrivateTargets: true });
    expect(open.errorKind).toBeUndefined();
    const closed = await probeTcp(request(`tcp://127.0.0.1:${await closedPort()}`), {
      allowPrivateTargets: true,
    });
    expect(closed.errorKind).toBe('connectionRefused');
  });

  it('refuses an internal address written in the target and one a name resolves to, sending nothing', async () => {
    expect(await probeTcp(request(`tcp://127.0.0.1:${tcp.port}`))).toMatchObject({
      errorKind: 'blocked',
      errorMessage: '127.0.0.1 is a loopback address (127.0.0.0/8)',
    });
    expect(await probeTcp(request(`tcp://kumo.test:${tcp.port}`), { resolve: resolveKumo })).toMatchObject({
      errorKind: 'blocked',
      errorMessage: 'kumo.test resolves to 127.0.0.1, a loopback address (127.0.0.0/8)',
    });
  });

  it('stops at once when the run aborts', async () => {
    const controller = new AbortController();
    controller.abort();
    expect(
      (await probeTcp(request(`tcp://127.0.0.1:${tcp.port}`, { signal: controller.signal }))).errorKind,
    ).toBe('aborted');
  });
});

describe('Function: probeTls()', () => {
  it('reads the certificate, its chain and whether it covers the host', async () => {
    const outcome = await probeTls(request(`tls://kumo.test:${tls.port}`), {
      allowPrivateTargets: true,
      resolve: resolveKumo,
    });
    expect(outcome.cert?.issuer).toBe('kumo.test');
    expect(outcome.tls).toEqual({ chainError: 'DEPTH_ZERO_SELF_SIGNED_CERT' });
    const byAddress = await probeTls(request(`tls://127.0.0.1:${tls.port}`), { allowPrivateTargets: true });
    expect(byAddress.tls?.hostnameError).toMatch(/IP: 127\.0\.0\.1 is not in the cert's list/);
  });

  it('judges neither chain nor host with allowSelfSigned, and still reads an expired certificate', async () => {
    const outcome = await probeTls(request(`tls://127.0.0.1:${expiredTls.port}`), {
      allowPrivateTargets: true,
      allowSelfSigned: true,
    });
    expect(outcome.tls).toEqual({});
    expect(Date.parse(outcome.cert?.validTo ?? '')).toBeLessThan(Date.now());
  });

  it('refuses an internal address', async () => {
    expect((await probeTls(request(`tls://127.0.0.1:${tls.port}`))).errorKind).toBe('blocked');
  });

  it('times out when the port accepts but never completes a handshake', async () => {
    // A plain tcp listener: the connection opens, no TLS answer ever comes.
    const outcome = await probeTls(request(`tls://127.0.0.1:${tcpSilent.port}`, { timeoutMs: 300 }), {
      allowPrivateTargets: true,
    });
    expect(outcome).toMatchObject({ errorKind: 'timeout', errorMessage: 'no connection in 300 ms' });
  });
});

describe('Function: probeDns()', () => {
  it.each([
    ['A', 'app.example.com', ['203.0.113.7']],
    ['AAAA', 'app.example.com', ['2001:db8::1']],
    ['MX', 'app.example.com', ['10 mail.example.com']],
    ['TXT', 'app.example.com', ['v=spf1 -all']],
    ['CNAME', 'www.example.com', ['edge.example.net']],
    ['A', 'missing.example.com', []],
  ] as const)('answers %s %s as %j', async (recordType, name, records) => {
    const outcome = await probeDns(request(`dns://${name}`, { kind: 'dns', recordType }), {
      servers: [dns.server],
    });
    expect(outcome.records).toEqual(records);
  });

  it('refuses a name that is not public before any query', async () => {
    expect(
      await probeDns(request('dns://localhost', { kind: 'dns' }), { servers: [dns.server] }),
    ).toMatchObject({
      errorKind: 'blocked',
    });
  });

  it('times out when the server never answers', async () => {
    // A UDP socket that reads queries and never answers.
    const silent = dgram.createSocket('udp4');
    await new Promise<void>((resolve) => silent.bind(0, '127.0.0.1', resolve));
    const outcome = await probeDns(request('dns://app.example.com', { kind: 'dns', timeoutMs: 300 }), {
      servers: [`127.0.0.1:${silent.address().port}`],
    });
    silent.close();
    expect(outcome).toMatchObject({ errorKind: 'timeout', errorMessage: 'no DNS answer in 300 ms' });
  });
});

describe('Function: createKindProber()', () => {
  it('hands each request to the prober of its kind (http when none)', async () => {
    const seen: string[] = [];
    const fake =
      (name: string): Prober =>
      async (): Promise<ProbeOutcome> => {
        seen.push(name);
        return { latencyMs: 1, redirects: 0 };
      };
    const probe = createKindProber({
      http: fake('http'),
      tcp: fake('tcp'),
      tls: fake('tls'),
      dns: createDnsProber({ servers: [dns.server] }),
    });
    await probe(request('https://example.com'));
    await probe(request('tcp://example.com:1', { kind: 'tcp' }));
    await probe(request('tls://example.com:443', { kind: 'tls' }));
    expect(seen).toEqual(['http', 'tcp', 'tls']);
    expect((await probe(request('dns://app.example.com', { kind: 'dns' }))).records).toEqual(['203.0.113.7']);
    expect((await probe(request('push://x', { kind: 'push' }))).errorKind).toBe('unknown');
  });
});

describe('Function: assertMonitorTargetAllowed()', () => {
  const guard = { allowPrivateTargets: false, resolve: resolveKumo };

  it.each([
    [
      'tcp',
      'tcp://10.0.0.5:5432',
      'url: 10.0.0.5 is a private address (10.0.0.0/8); private targets are not allowed (HealthAllowPrivateTargets)',
    ],
    [
      'tls',
      'tls://169.254.169.254:443',
      'url: 169.254.169.254 is a link-local address (169.254.0.0/16); private targets are not allowed (HealthAllowPrivateTargets)',
    ],
    [
      'tcp',
      'tcp://kumo.test:22',
      'url: kumo.test resolves to 127.0.0.1, a loopback address (127.0.0.0/8); private targets are not allowed (HealthAllowPrivateTargets)',
    ],
    [
      'http',
      'http://127.0.0.1/',
      'url: 127.0.0.1 is a loopback address (127.0.0.0/8); private targets are not allowed (HealthAllowPrivateTargets)',
    ],
  ] as const)('refuses a %s monitor of %s', async (kind, url, message) => {
    await expect(assertMonitorTargetAllowed({ kind, url }, guard)).rejects.toThrow(message);
  });

  it('lets public targets, dns names and push monitors through, and everything when private targets are allowed', async () => {
    const publicGuard = {
      allowPrivateTargets: false,
      resolve: async () => [{ address: '8.8.8.8', family: 4 as const }],
    };
    await expect(
      assertMonitorTargetAllowed({ kind: 'tcp', url: 'tcp://db.example.com:5432' }, publicGuard),
    ).resolves.toBeUndefined();
    await expect(
      assertMonitorTargetAllowed({ kind: 'dns', url: 'dns://example.com' }, guard),
    ).resolves.toBeUndefined();
    await expect(
      assertMonitorTargetAllowed({ kind: 'push', url: 'push://heartbeat-x' }, guard),
    ).resolves.toBeUndefined();
    await expect(
      assertMonitorTargetAllowed({ kind: 'tcp', url: 'tcp://127.0.0.1:22' }, { allowPrivateTargets: true }),
    ).resolves.toBeUndefined();
  });
});
