import { describe, expect, it } from 'vitest';
import {
  classifyAddress,
  type ForbiddenAddress,
} from '../../../../functions/health/domain/address-policy.js';
import {
  describeRefusal,
  firstForbidden,
  urlHost,
  urlSyntaxProblem,
} from '../../../../functions/health/domain/target-url.js';

/** What the guard sees in a URL as the user typed it: the host WHATWG URL makes of it, judged. */
function judge(url: string) {
  const host = urlHost(new URL(url));
  return host.kind === 'address' ? { host, verdict: classifyAddress(host.address) } : { host };
}

describe('Function: urlHost() with classifyAddress(): every spelling of an inside address', () => {
  it.each<[string, string, string]>([
    // IPv4 loopback in every spelling WHATWG URL accepts
    ['http://127.0.0.1/', '127.0.0.1', 'loopback'],
    ['http://2130706433/', '127.0.0.1', 'loopback'],
    ['http://0x7f000001/', '127.0.0.1', 'loopback'],
    ['http://0X7F000001/', '127.0.0.1', 'loopback'],
    ['http://017700000001/', '127.0.0.1', 'loopback'],
    ['http://0177.0.0.1/', '127.0.0.1', 'loopback'],
    ['http://0x7f.0.0.1/', '127.0.0.1', 'loopback'],
    ['http://0x7f.1/', '127.0.0.1', 'loopback'],
    ['http://127.1/', '127.0.0.1', 'loopback'],
    ['http://127.0.1/', '127.0.0.1', 'loopback'],
    ['http://127.000.000.001/', '127.0.0.1', 'loopback'],
    ['http://127.0.0.1./', '127.0.0.1', 'loopback'],
    ['http://%31%32%37.0.0.1/', '127.0.0.1', 'loopback'],
    ['http://１２７．０．０．１/', '127.0.0.1', 'loopback'],
    ['http://127.0.0.1:8080/path?q=1', '127.0.0.1', 'loopback'],
    ['HTTP://127.0.0.1/', '127.0.0.1', 'loopback'],
    // the instance metadata service
    ['http://169.254.169.254/latest/meta-data/', '169.254.169.254', 'link-local'],
    ['http://2852039166/', '169.254.169.254', 'link-local'],
    ['http://0xa9fea9fe/', '169.254.169.254', 'link-local'],
    ['http://0251.0376.0251.0376/', '169.254.169.254', 'link-local'],
    ['http://169.254.43518/', '169.254.169.254', 'link-local'],
    ['http://[fd00:ec2::254]/', 'fd00:ec2::254', 'unique-local'],
    // other blocks, short and odd forms
    ['http://0/', '0.0.0.0', 'this-network'],
    ['http://0.0.0.0/', '0.0.0.0', 'this-network'],
    ['http://10.1/', '10.0.0.1', 'private'],
    ['http://0xc0a80001/', '192.168.0.1', 'private'],
    ['http://172.16.0.1/', '172.16.0.1', 'private'],
    ['http://100.64.0.1/', '100.64.0.1', 'shared'],
    ['http://224.0.0.1/', '224.0.0.1', 'multicast'],
    ['http://255.255.255.255/', '255.255.255.255', 'broadcast'],
    ['http://4294967295/', '255.255.255.255', 'broadcast'],
    ['http://240.0.0.1/', '240.0.0.1', 'reserved'],
    // IPv6, every way of writing loopback and the embeddings
    ['http://[::1]/', '::1', 'loopback'],
    ['http://[0:0:0:0:0:0:0:1]/', '::1', 'loopback'],
    ['http://[0000:0000::0001]/', '::1', 'loopback'],
    ['http://[::]/', '::', 'unspecified'],
    ['http://[::ffff:127.0.0.1]/', '::ffff:7f00:1', 'loopback'],
    ['http://[::ffff:7f00:1]/', '::ffff:7f00:1', 'loopback'],
    ['http://[::ffff:169.254.169.254]/', '::ffff:a9fe:a9fe', 'link-local'],
    ['http://[::127.0.0.1]/', '::7f00:1', 'loopback'],
    ['http://[64:ff9b::169.254.169.254]/', '64:ff9b::a9fe:a9fe', 'link-local'],
    ['http://[2002:7f00:1::]/', '2002:7f00:1::', 'loopback'],
    ['http://[FE80::1]/', 'fe80::1', 'link-local'],
    ['http://[fc00::1]:8080/', 'fc00::1', 'unique-local'],
    ['http://[ff02::1]/', 'ff02::1', 'multicast'],
  ])('%s -> %s (%s)', (url, address, rule) => {
    const { host, verdict } = judge(url);
    expect(host).toEqual({ kind: 'address', address });
    expect(verdict).toMatchObject({ allowed: false, rule });
  });

  it.each<[string, string]>([
    ['http://8.8.8.8/', '8.8.8.8'],
    ['http://134744072/', '8.8.8.8'],
    ['http://[2606:4700:4700::1111]/', '2606:4700:4700::1111'],
  ])('%s is a public address', (url, address) => {
    expect(judge(url)).toEqual({
      host: { kind: 'address', address },
      verdict: { allowed: true, address, family: address.includes(':') ? 6 : 4 },
    });
  });

  it.each<[string, string]>([
    ['http://example.com/', 'example.com'],
    ['http://EXAMPLE.com./', 'example.com.'],
    ['http://localhost/', 'localhost'],
    ['http://ⓛⓞⓒⓐⓛⓗⓞⓢⓣ/', 'localhost'],
    ['http://127.0.0.1.nip.io/', '127.0.0.1.nip.io'],
    ['http://bücher.example/', 'xn--bcher-kva.example'],
    ['http://0x7f.example/', '0x7f.example'],
  ])('%s is a name to resolve (%s): its addresses are judged after DNS', (url, hostname) => {
    expect(judge(url)).toEqual({ host: { kind: 'name', hostname } });
  });

  it.each([
    'http://1.2.3.4.5/',
    'http://0x100000000/',
    'http://256.0.0.1/',
    'http://[fe80::1%25eth0]/',
    'http://[::1/',
  ])('%s is not a URL at all', (url) => {
    expect(URL.canParse(url)).toBe(false);
    expect(urlSyntaxProblem(url)).toBe('must be an absolute http:// or https:// URL');
  });
});

describe('Function: urlSyntaxProblem()', () => {
  it.each(['https://example.com/', 'http://example.com:8080/a?b=c#d', 'http://127.0.0.1/'])(
    'accepts %s',
    (url) => {
      expect(urlSyntaxProblem(url)).toBeUndefined();
    },
  );

  it.each([
    'ftp://example.com/',
    'file:///etc/passwd',
    'gopher://127.0.0.1:6379/_INFO',
    'data:text/plain,hi',
    'javascript:alert(1)',
    'ws://example.com/',
    'example.com',
    '/relative',
    'http://',
  ])('refuses %s: only http and https', (url) => {
    expect(urlSyntaxProblem(url)).toBe('must be an absolute http:// or https:// URL');
  });

  it.each([
    'https://user:pass@example.com/',
    'https://user@example.com/',
    'https://:pass@example.com/',
    'http://127.0.0.1:80@evil.example/',
  ])('refuses %s: credentials', (url) => {
    expect(urlSyntaxProblem(url)).toBe('must not contain a user name or password');
  });
});

describe('Function: firstForbidden()', () => {
  it('finds a forbidden address anywhere in the list', () => {
    expect(firstForbidden(['93.184.215.14', '2606:4700::1', '10.0.0.5'])).toMatchObject({
      address: '10.0.0.5',
      rule: 'private',
    });
  });

  it('is undefined when every address is public, or there is none', () => {
    expect(firstForbidden(['93.184.215.14', '2606:4700::1'])).toBeUndefined();
    expect(firstForbidden([])).toBeUndefined();
  });

  it('takes another classifier', () => {
    const strict = (address: string) =>
      ({
        allowed: false,
        address,
        rule: 'reserved',
        range: 'all',
        description: 'refused by the test',
      }) as const;
    expect(firstForbidden(['8.8.8.8'], strict)?.description).toBe('refused by the test');
  });
});

describe('Function: describeRefusal()', () => {
  const verdict = classifyAddress('10.0.0.5') as ForbiddenAddress;

  it('says what an address in the URL is', () => {
    expect(describeRefusal(verdict)).toBe('10.0.0.5 is a private address (10.0.0.0/8)');
  });

  it('says what a name resolves to', () => {
    expect(describeRefusal(verdict, 'db.example')).toBe(
      'db.example resolves to 10.0.0.5, a private address (10.0.0.0/8)',
    );
  });
});
