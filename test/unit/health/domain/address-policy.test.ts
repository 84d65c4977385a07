import { describe, expect, it } from 'vitest';
import {
  type AddressRule,
  classifyAddress,
  parseIPv4,
  parseIPv6,
} from '../../../../functions/health/domain/address-policy.js';

describe('Function: classifyAddress()', () => {
  describe('refuses every IPv4 block that reaches inside', () => {
    it.each<[string, AddressRule, string]>([
      ['0.0.0.0', 'this-network', '0.0.0.0/8'],
      ['0.255.255.255', 'this-network', '0.0.0.0/8'],
      ['10.0.0.0', 'private', '10.0.0.0/8'],
      ['10.0.0.5', 'private', '10.0.0.0/8'],
      ['10.255.255.255', 'private', '10.0.0.0/8'],
      ['100.64.0.0', 'shared', '100.64.0.0/10'],
      ['100.127.255.255', 'shared', '100.64.0.0/10'],
      ['127.0.0.1', 'loopback', '127.0.0.0/8'],
      ['127.255.255.254', 'loopback', '127.0.0.0/8'],
      ['169.254.0.1', 'link-local', '169.254.0.0/16'],
      ['169.254.169.254', 'link-local', '169.254.0.0/16'],
      ['169.254.169.253', 'link-local', '169.254.0.0/16'],
      ['172.16.0.1', 'private', '172.16.0.0/12'],
      ['172.31.255.255', 'private', '172.16.0.0/12'],
      ['192.0.0.8', 'ietf-protocol', '192.0.0.0/24'],
      ['192.0.2.1', 'documentation', '192.0.2.0/24'],
      ['192.88.99.1', 'reserved', '192.88.99.0/24'],
      ['192.168.0.1', 'private', '192.168.0.0/16'],
      ['192.168.255.255', 'private', '192.168.0.0/16'],
      ['198.18.0.1', 'benchmarking', '198.18.0.0/15'],
      ['198.19.255.255', 'benchmarking', '198.18.0.0/15'],
      ['198.51.100.7', 'documentation', '198.51.100.0/24'],
      ['203.0.113.9', 'documentation', '203.0.113.0/24'],
      ['224.0.0.1', 'multicast', '224.0.0.0/4'],
      ['239.255.255.250', 'multicast', '224.0.0.0/4'],
      ['240.0.0.1', 'reserved', '240.0.0.0/4'],
      ['255.255.255.254', 'reserved', '240.0.0.0/4'],
      ['255.255.255.255', 'broadcast', '255.255.255.255/32'],
    ])('%s: %s (%s)', (address, rule, range) => {
      expect(classifyAddress(address)).toMatchObject({ allowed: false, address, rule, range });
    });
  });

  describe('allows public IPv4 addresses, including the neighbours of each block', () => {
    it.each([
      '1.1.1.1',
      '8.8.8.8',
      '9.255.255.255',
      '11.0.0.0',
      '100.63.255.255',
      '100.128.0.0',
      '126.255.255.255',
      '128.0.0.0',
      '169.253.255.255',
      '169.255.0.0',
      '172.15.255.255',
      '172.32.0.0',
      '192.0.1.255',
      '192.0.3.0',
      '192.167.255.255',
      '192.169.0.0',
      '198.17.255.255',
      '198.20.0.0',
      '223.255.255.255',
      '52.95.110.1',
    ])('%s', (address) => {
      expect(classifyAddress(address)).toEqual({ allowed: true, address, family: 4 });
    });
  });

  describe('refuses every IPv6 block that reaches inside', () => {
    it.each<[string, AddressRule, string]>([
      ['::', 'unspecified', '::/128'],
      ['::1', 'loopback', '::1/128'],
      ['0:0:0:0:0:0:0:1', 'loopback', '::1/128'],
      ['fe80::1', 'link-local', 'fe80::/10'],
      ['fe80::1%eth0', 'link-local', 'fe80::/10'],
      ['febf:ffff::1', 'link-local', 'fe80::/10'],
      ['fc00::1', 'unique-local', 'fc00::/7'],
      ['fd00:ec2::254', 'unique-local', 'fc00::/7'],
      ['fdff:ffff::1', 'unique-local', 'fc00::/7'],
      ['fec0::1', 'site-local', 'fec0::/10'],
      ['ff02::1', 'multicast', 'ff00::/8'],
      ['ff05::1:3', 'multicast', 'ff00::/8'],
      ['100::1', 'discard', '100::/64'],
      ['2001::1', 'teredo', '2001::/32'],
      ['2001:2::1', 'benchmarking', '2001:2::/48'],
      ['2001:db8::1', 'documentation', '2001:db8::/32'],
      ['3fff::1', 'documentation', '3fff::/20'],
      ['64:ff9b:1::1', 'local-nat64', '64:ff9b:1::/48'],
      ['1::', 'reserved', '2000::/3'],
      ['4000::1', 'reserved', '2000::/3'],
      ['e000::1', 'reserved', '2000::/3'],
    ])('%s: %s (%s)', (address, rule, range) => {
      expect(classifyAddress(address)).toMatchObject({ allowed: false, rule, range });
    });
  });

  describe('judges IPv6 addresses that embed IPv4 by that IPv4 address', () => {
    it.each<[string, AddressRule, string]>([
      [
        '::ffff:127.0.0.1',
        'loopback',
        'an IPv4-mapped address of 127.0.0.1, a loopback address (127.0.0.0/8)',
      ],
      ['::ffff:7f00:1', 'loopback', 'an IPv4-mapped address of 127.0.0.1, a loopback address (127.0.0.0/8)'],
      [
        '::ffff:a9fe:a9fe',
        'link-local',
        'an IPv4-mapped address of 169.254.169.254, a link-local address (169.254.0.0/16)',
      ],
      ['::ffff:10.0.0.1', 'private', 'an IPv4-mapped address of 10.0.0.1, a private address (10.0.0.0/8)'],
      [
        '::127.0.0.1',
        'loopback',
        'an IPv4-compatible address of 127.0.0.1, a loopback address (127.0.0.0/8)',
      ],
      ['::7f00:1', 'loopback', 'an IPv4-compatible address of 127.0.0.1, a loopback address (127.0.0.0/8)'],
      ['::a00:1', 'private', 'an IPv4-compatible address of 10.0.0.1, a private address (10.0.0.0/8)'],
      [
        '64:ff9b::169.254.169.254',
        'link-local',
        'a NAT64 address of 169.254.169.254, a link-local address (169.254.0.0/16)',
      ],
      ['64:ff9b::7f00:1', 'loopback', 'a NAT64 address of 127.0.0.1, a loopback address (127.0.0.0/8)'],
      ['64:ff9b::c0a8:101', 'private', 'a NAT64 address of 192.168.1.1, a private address (192.168.0.0/16)'],
      ['2002:7f00:1::', 'loopback', 'a 6to4 address of 127.0.0.1, a loopback address (127.0.0.0/8)'],
      [
        '2002:a9fe:a9fe::1',
        'link-local',
        'a 6to4 address of 169.254.169.254, a link-local address (169.254.0.0/16)',
      ],
      ['2002:ac10:1:1::1', 'private', 'a 6to4 address of 172.16.0.1, a private address (172.16.0.0/12)'],
    ])('%s: %s', (address, rule, description) => {
      expect(classifyAddress(address)).toMatchObject({ allowed: false, rule, description });
    });

    it('refuses IPv4-mapped and IPv4-compatible addresses even of a public IPv4 address', () => {
      expect(classifyAddress('::ffff:8.8.8.8')).toMatchObject({
        allowed: false,
        rule: 'ipv4-mapped',
        range: '::ffff:0:0/96',
      });
      expect(classifyAddress('::808:808')).toMatchObject({
        allowed: false,
        rule: 'ipv4-compatible',
        range: '::/96',
      });
    });

    it('allows NAT64 and 6to4 addresses of a public IPv4 address (IPv6-only networks reach the web so)', () => {
      expect(classifyAddress('64:ff9b::8.8.8.8')).toMatchObject({ allowed: true, family: 6 });
      expect(classifyAddress('2002:808:808::1')).toMatchObject({ allowed: true, family: 6 });
    });
  });

  describe('allows global unicast IPv6', () => {
    it.each(['2606:4700:4700::1111', '2a00:1450:4001:82b::200e', '2600:1f18::1', '2001:4860:4860::8888'])(
      '%s',
      (address) => {
        expect(classifyAddress(address)).toEqual({ allowed: true, address, family: 6 });
      },
    );
  });

  it('reads bracketed IPv6 as written in URLs, and reports it without brackets', () => {
    expect(classifyAddress('[::1]')).toMatchObject({ allowed: false, address: '::1', rule: 'loopback' });
    expect(classifyAddress('[2606:4700:4700::1111]')).toEqual({
      allowed: true,
      address: '2606:4700:4700::1111',
      family: 6,
    });
  });

  it.each([
    'localhost',
    '',
    '1.2.3',
    '1.2.3.4.5',
    '256.0.0.1',
    '0x7f.0.0.1',
    '017.0.0.1',
    '1:2:3:4:5:6:7:8:9',
    '1::2::3',
    ':::',
    'gggg::1',
    '::1.2.3',
  ])('refuses %j, which is not an address in canonical form', (address) => {
    expect(classifyAddress(address)).toMatchObject({ allowed: false, rule: 'invalid' });
  });
});

describe('Function: parseIPv4()', () => {
  it.each<[string, number | undefined]>([
    ['0.0.0.0', 0],
    ['127.0.0.1', 0x7f000001],
    ['255.255.255.255', 0xffffffff],
    ['01.2.3.4', undefined],
    ['1.2.3.-4', undefined],
    ['1.2.3.4 ', undefined],
  ])('%j -> %s', (text, value) => {
    expect(parseIPv4(text)).toBe(value);
  });
});

describe('Function: parseIPv6()', () => {
  it.each<[string, bigint | undefined]>([
    ['::', 0n],
    ['::1', 1n],
    ['1::', 1n << 112n],
    ['::ffff:1.2.3.4', 0xffff01020304n],
    ['1:2:3:4:5:6:7:8', 0x00010002000300040005000600070008n],
    ['1:2:3:4:5:6:1.2.3.4', 0x00010002000300040005000601020304n],
    ['[fe80::1%25eth0]', (0xfe80n << 112n) | 1n],
    ['fe80::1%eth0', (0xfe80n << 112n) | 1n],
    ['1:2:3:4:5:6:7::8', undefined],
    ['::1:2:3:4:5:6:7:8', undefined],
    ['12345::', undefined],
  ])('%j -> %s', (text, value) => {
    expect(parseIPv6(text)).toBe(value);
  });
});
