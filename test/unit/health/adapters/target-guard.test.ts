import type dns from 'node:dns';
import { describe, expect, it } from 'vitest';
import {
  assertTargetAllowed,
  BlockedTargetError,
  guardedLookup,
  type HostResolver,
  type ResolvedAddress,
  resolveHost,
} from '../../../../functions/health/adapters/target-guard.js';
import { ValidationError } from '../../../../functions/lib/errors.js';

const hint = 'private targets are not allowed (HealthAllowPrivateTargets)';

function resolverOf(table: Record<string, ResolvedAddress[]>): HostResolver & { calls: string[] } {
  const calls: string[] = [];
  const resolve: HostResolver = async (hostname) => {
    calls.push(hostname);
    const found = table[hostname];
    if (found === undefined) throw Object.assign(new Error(`ENOTFOUND ${hostname}`), { code: 'ENOTFOUND' });
    return found;
  };
  return Object.assign(resolve, { calls });
}

const zone = resolverOf({
  'public.example.com': [
    { address: '93.184.215.14', family: 4 },
    { address: '2606:2800:21f:cb07:6820:80da:af6b:8b2c', family: 6 },
  ],
  'v6-inside.example.com': [
    { address: '93.184.215.14', family: 4 },
    { address: 'fe80::1', family: 6 },
  ],
  'nat64-metadata.example.com': [{ address: '64:ff9b::a9fe:a9fe', family: 6 }],
});

async function refusal(url: string, resolve: HostResolver = zone): Promise<string> {
  try {
    await assertTargetAllowed(url, { allowPrivateTargets: false, resolve });
  } catch (error) {
    expect(error).toBeInstanceOf(ValidationError);
    return (error as ValidationError).message;
  }
  throw new Error(`${url} was accepted`);
}

describe('Function: assertTargetAllowed()', () => {
  it.each([
    [
      'http://169.254.169.254/latest/meta-data/',
      'url: 169.254.169.254 is a link-local address (169.254.0.0/16)',
    ],
    ['http://0x7f000001/', 'url: 127.0.0.1 is a loopback address (127.0.0.0/8)'],
    ['http://[::1]/', 'url: ::1 is the loopback address (::1/128)'],
    ['https://192.168.1.1:8443/', 'url: 192.168.1.1 is a private address (192.168.0.0/16)'],
    [
      'http://v6-inside.example.com/',
      'url: v6-inside.example.com resolves to fe80::1, a link-local address (fe80::/10)',
    ],
    [
      'http://nat64-metadata.example.com/',
      'url: nat64-metadata.example.com resolves to 64:ff9b::a9fe:a9fe, a NAT64 address of 169.254.169.254, a link-local address (169.254.0.0/16)',
    ],
  ])('refuses %s naming the rule and the parameter', async (url, message) => {
    expect(await refusal(url)).toBe(`${message}; ${hint}`);
  });

  it('refuses what the URL rules refuse, whatever the policy', async () => {
    for (const allowPrivateTargets of [false, true]) {
      await expect(
        assertTargetAllowed('http://a:b@public.example.com/', { allowPrivateTargets, resolve: zone }),
      ).rejects.toThrow('url: must not contain a user name or password');
      await expect(
        assertTargetAllowed('gopher://public.example.com/', { allowPrivateTargets, resolve: zone }),
      ).rejects.toThrow('url: must be an absolute http:// or https:// URL');
    }
  });

  it('accepts a name whose every address (IPv4 and IPv6) is public', async () => {
    await expect(
      assertTargetAllowed('https://public.example.com/', { allowPrivateTargets: false, resolve: zone }),
    ).resolves.toBeUndefined();
  });

  it('accepts anything with allowPrivateTargets, without resolving', async () => {
    const resolve = resolverOf({});
    for (const url of [
      'http://127.0.0.1:4500/',
      'http://[::1]/',
      'http://localhost/',
      'http://db.internal/',
    ]) {
      await expect(assertTargetAllowed(url, { allowPrivateTargets: true, resolve })).resolves.toBeUndefined();
    }
    expect(resolve.calls).toEqual([]);
  });

  it('accepts a name that does not resolve, or not in time (the probe checks it again)', async () => {
    await expect(
      assertTargetAllowed('https://nowhere.example.com/', { allowPrivateTargets: false, resolve: zone }),
    ).resolves.toBeUndefined();
    const slow: HostResolver = () => new Promise(() => undefined);
    const started = performance.now();
    await expect(
      assertTargetAllowed('https://slow.example.com/', {
        allowPrivateTargets: false,
        resolve: slow,
        resolveTimeoutMs: 50,
      }),
    ).resolves.toBeUndefined();
    expect(performance.now() - started).toBeLessThan(500);
  });

  it('resolves localhost with the system resolver and refuses it', async () => {
    await expect(
      assertTargetAllowed('http://localhost:4500/', { allowPrivateTargets: false }),
    ).rejects.toThrow(/^url: localhost resolves to (127\.0\.0\.1|::1), /);
  });
});

type LookupResult = {
  error: NodeJS.ErrnoException | null;
  address: string | dns.LookupAddress[];
  family?: number;
};

function lookupWith(lookup: ReturnType<typeof guardedLookup>, hostname: string, options: dns.LookupOptions) {
  return new Promise<LookupResult>((resolve) => {
    lookup(hostname, options, (error, address, family) =>
      resolve(family === undefined ? { error, address } : { error, address, family }),
    );
  });
}

describe('Function: guardedLookup()', () => {
  const lookup = guardedLookup({ allowPrivateTargets: false, resolve: zone });

  it('answers every checked address when Node asks for all (happy eyeballs)', async () => {
    expect(await lookupWith(lookup, 'public.example.com', { all: true })).toEqual({
      error: null,
      address: [
        { address: '93.184.215.14', family: 4 },
        { address: '2606:2800:21f:cb07:6820:80da:af6b:8b2c', family: 6 },
      ],
    });
  });

  it('answers one address of the family asked for', async () => {
    expect(await lookupWith(lookup, 'public.example.com', {})).toEqual({
      error: null,
      address: '93.184.215.14',
      family: 4,
    });
    expect(await lookupWith(lookup, 'public.example.com', { family: 6 })).toEqual({
      error: null,
      address: '2606:2800:21f:cb07:6820:80da:af6b:8b2c',
      family: 6,
    });
    expect(await lookupWith(lookup, 'nat64-metadata.example.com', { family: 4 })).toMatchObject({
      error: expect.any(BlockedTargetError),
    });
  });

  it('fails with a BlockedTargetError when any address is forbidden, even of a family not asked for', async () => {
    const { error } = await lookupWith(lookup, 'v6-inside.example.com', { family: 4 });
    expect(error).toBeInstanceOf(BlockedTargetError);
    expect(error?.message).toBe(
      'v6-inside.example.com resolves to fe80::1, a link-local address (fe80::/10)',
    );
    expect((error as BlockedTargetError).verdict).toMatchObject({ rule: 'link-local', address: 'fe80::1' });
  });

  it('passes DNS errors on', async () => {
    const { error } = await lookupWith(lookup, 'nowhere.example.com', { all: true });
    expect(error?.code).toBe('ENOTFOUND');
  });

  it('answers ENOTFOUND when no address of the family asked for exists', async () => {
    const only6 = guardedLookup({
      allowPrivateTargets: false,
      resolve: resolverOf({ 'six.example.com': [{ address: '2606:4700::1', family: 6 }] }),
    });
    expect((await lookupWith(only6, 'six.example.com', { family: 4 })).error?.code).toBe('ENOTFOUND');
  });

  it('lets private addresses through with allowPrivateTargets', async () => {
    const open = guardedLookup({ allowPrivateTargets: true, resolve: zone });
    expect(await lookupWith(open, 'v6-inside.example.com', { all: true })).toMatchObject({ error: null });
  });
});

describe('Function: resolveHost()', () => {
  it('returns an IP address as is', async () => {
    expect(await resolveHost('127.0.0.1')).toEqual([{ address: '127.0.0.1', family: 4 }]);
    expect(await resolveHost('::1')).toEqual([{ address: '::1', family: 6 }]);
  });

  it('resolves localhost through the system resolver (hosts file)', async () => {
    const addresses = (await resolveHost('localhost')).map(({ address }) => address);
    expect(addresses.some((address) => address === '127.0.0.1' || address === '::1')).toBe(true);
  });
});
