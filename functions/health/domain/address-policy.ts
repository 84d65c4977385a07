/**
 * Which IP addresses a probe may connect to. A health checker that fetches any URL a stranger gives it
 * is a server-side request forgery machine unless it refuses the addresses that reach *inside*: the
 * Lambda's own loopback, the instance metadata service (169.254.169.254, fd00:ec2::254), private and
 * carrier-grade NAT networks, and the IPv6 forms that embed one of those IPv4 addresses.
 *
 * The rule set is an allow-list in IPv6 (only global unicast, 2000::/3, minus its special blocks) and a
 * block-list in IPv4 (every special-purpose block of the IANA registry that is not globally reachable).
 * Pure code over canonical textual addresses: what resolvers return and what WHATWG URL serialises.
 */

/** Why an address is refused. */
export type AddressRule =
  | 'unspecified'
  | 'this-network'
  | 'loopback'
  | 'private'
  | 'shared'
  | 'link-local'
  | 'ietf-protocol'
  | 'documentation'
  | 'benchmarking'
  | 'multicast'
  | 'broadcast'
  | 'reserved'
  | 'unique-local'
  | 'site-local'
  | 'ipv4-mapped'
  | 'ipv4-compatible'
  | 'local-nat64'
  | 'teredo'
  | 'discard'
  | 'invalid';

/** The verdict on one address. */
export type AddressVerdict =
  | { allowed: true; address: string; family: 4 | 6 }
  | {
      allowed: false;
      address: string;
      rule: AddressRule;
      /** The block the rule covers, e.g. `169.254.0.0/16`. */
      range: string;
      /** A noun phrase for messages: `a link-local address (169.254.0.0/16)`. */
      description: string;
    };

/** A refused verdict. */
export type ForbiddenAddress = Extract<AddressVerdict, { allowed: false }>;

interface Block<T> {
  base: T;
  bits: number;
  rule: AddressRule;
  range: string;
  noun: string;
}

// ---- IPv4

/** `a.b.c.d` in plain decimal (the only form resolvers and WHATWG URL produce) as an unsigned int. */
export function parseIPv4(text: string): number | undefined {
  const parts = text.split('.');
  if (parts.length !== 4) return undefined;
  let value = 0;
  for (const part of parts) {
    if (!/^(0|[1-9]\d{0,2})$/.test(part)) return undefined;
    const byte = Number(part);
    if (byte > 255) return undefined;
    value = value * 256 + byte;
  }
  return value;
}

function formatIPv4(value: number): string {
  return [24, 16, 8, 0].map((shift) => Math.floor(value / 2 ** shift) % 256).join('.');
}

function v4(cidr: string, rule: AddressRule, noun: string): Block<number> {
  const [base = '', bits = ''] = cidr.split('/');
  return { base: parseIPv4(base) ?? 0, bits: Number(bits), rule, range: cidr, noun };
}

// Most specific first: 255.255.255.255 lies inside 240.0.0.0/4.
const ipv4Blocks: readonly Block<number>[] = [
  v4('255.255.255.255/32', 'broadcast', 'the limited broadcast address'),
  v4('0.0.0.0/8', 'this-network', "a 'this network' address"),
  v4('10.0.0.0/8', 'private', 'a private address'),
  v4('100.64.0.0/10', 'shared', 'a carrier-grade NAT address'),
  v4('127.0.0.0/8', 'loopback', 'a loopback address'),
  v4('169.254.0.0/16', 'link-local', 'a link-local address'),
  v4('172.16.0.0/12', 'private', 'a private address'),
  v4('192.0.0.0/24', 'ietf-protocol', 'an IETF protocol assignment address'),
  v4('192.0.2.0/24', 'documentation', 'a documentation address'),
  v4('192.88.99.0/24', 'reserved', 'a deprecated 6to4 relay address'),
  v4('192.168.0.0/16', 'private', 'a private address'),
  v4('198.18.0.0/15', 'benchmarking', 'a benchmarking address'),
  v4('198.51.100.0/24', 'documentation', 'a documentation address'),
  v4('203.0.113.0/24', 'documentation', 'a documentation address'),
  v4('224.0.0.0/4', 'multicast', 'a multicast address'),
  v4('240.0.0.0/4', 'reserved', 'a reserved address'),
];

function inV4Block(value: number, block: Block<number>): boolean {
  const size = 2 ** (32 - block.bits);
  return Math.floor(value / size) === Math.floor(block.base / size);
}

function classifyIPv4Value(value: number, address: string): AddressVerdict {
  for (const block of ipv4Blocks) {
    if (inV4Block(value, block)) {
      return {
        allowed: false,
        address,
        rule: block.rule,
        range: block.range,
        description: `${block.noun} (${block.range})`,
      };
    }
  }
  return { allowed: true, address, family: 4 };
}

// ---- IPv6

function parseGroups(text: string): number[] | undefined {
  if (text === '') return [];
  const groups: number[] = [];
  for (const group of text.split(':')) {
    if (!/^[0-9a-fA-F]{1,4}$/.test(group)) return undefined;
    groups.push(Number.parseInt(group, 16));
  }
  return groups;
}

/**
 * An IPv6 address (with or without brackets, `::` compression, a dotted IPv4 tail or a `%zone`) as a
 * 128-bit integer.
 */
export function parseIPv6(text: string): bigint | undefined {
  let rest = text.startsWith('[') && text.endsWith(']') ? text.slice(1, -1) : text;
  const zone = rest.indexOf('%');
  if (zone !== -1) rest = rest.slice(0, zone);
  let tail: number[] = [];
  const lastColon = rest.lastIndexOf(':');
  if (lastColon !== -1 && rest.slice(lastColon + 1).includes('.')) {
    const embedded = parseIPv4(rest.slice(lastColon + 1));
    if (embedded === undefined) return undefined;
    tail = [Math.floor(embedded / 65_536), embedded % 65_536];
    // Drop the colon before the IPv4 part, unless it belongs to a `::` (as in `::1.2.3.4`).
    rest = rest.slice(0, lastColon + 1);
    if (!rest.endsWith('::')) rest = rest.slice(0, -1);
  }
  const halves = rest.split('::');
  if (halves.length > 2) return undefined;
  let groups: number[];
  if (halves.length === 2) {
    const head = parseGroups(halves[0] ?? '');
    const tailGroups = parseGroups(halves[1] ?? '');
    if (head === undefined || tailGroups === undefined) return undefined;
    const missing = 8 - head.length - tailGroups.length - tail.length;
    if (missing < 1) return undefined;
    groups = [...head, ...new Array<number>(missing).fill(0), ...tailGroups, ...tail];
  } else {
    const all = parseGroups(rest);
    if (all === undefined) return undefined;
    groups = [...all, ...tail];
  }
  if (groups.length !== 8) return undefined;
  return groups.reduce((value, group) => (value << 16n) | BigInt(group), 0n);
}

function v6(cidr: string, rule: AddressRule, noun: string): Block<bigint> {
  const [base = '', bits = ''] = cidr.split('/');
  return { base: parseIPv6(base) ?? 0n, bits: Number(bits), rule, range: cidr, noun };
}

function inV6Block(value: bigint, block: { base: bigint; bits: number }): boolean {
  const shift = BigInt(128 - block.bits);
  return value >> shift === block.base >> shift;
}

const ipv6Blocks: readonly Block<bigint>[] = [
  v6('::/128', 'unspecified', 'the unspecified address'),
  v6('::1/128', 'loopback', 'the loopback address'),
  v6('64:ff9b:1::/48', 'local-nat64', 'a local-use NAT64 address'),
  v6('100::/64', 'discard', 'a discard-only address'),
  v6('2001::/32', 'teredo', 'a Teredo tunnel address'),
  v6('2001:2::/48', 'benchmarking', 'a benchmarking address'),
  v6('2001:db8::/32', 'documentation', 'a documentation address'),
  v6('3fff::/20', 'documentation', 'a documentation address'),
  v6('fc00::/7', 'unique-local', 'a unique local address'),
  v6('fe80::/10', 'link-local', 'a link-local address'),
  v6('fec0::/10', 'site-local', 'a site-local address'),
  v6('ff00::/8', 'multicast', 'a multicast address'),
];

interface Embedding {
  base: bigint;
  bits: number;
  range: string;
  noun: string;
  /** Bits to shift right to bring the IPv4 address to the low 32 bits. */
  shift: bigint;
  /** Refused even when the IPv4 address is public: no legitimate host publishes such an address. */
  alwaysForbidden?: AddressRule;
}

function embedding(cidr: string, noun: string, shift: bigint, alwaysForbidden?: AddressRule): Embedding {
  const { base, bits, range } = v6(cidr, 'reserved', noun);
  return alwaysForbidden === undefined
    ? { base, bits, range, noun, shift }
    : { base, bits, range, noun, shift, alwaysForbidden };
}

/** IPv6 blocks that carry an IPv4 address: judged by that address (NAT64 and 6to4 reach public ones). */
const embeddings: readonly Embedding[] = [
  embedding('::ffff:0:0/96', 'an IPv4-mapped address', 0n, 'ipv4-mapped'),
  embedding('::/96', 'an IPv4-compatible address', 0n, 'ipv4-compatible'),
  embedding('64:ff9b::/96', 'a NAT64 address', 0n),
  embedding('2002::/16', 'a 6to4 address', 80n),
];

const globalUnicast = v6('2000::/3', 'reserved', '');

function classifyIPv6Value(value: bigint, address: string): AddressVerdict {
  for (const block of ipv6Blocks) {
    if (inV6Block(value, block)) {
      return {
        allowed: false,
        address,
        rule: block.rule,
        range: block.range,
        description: `${block.noun} (${block.range})`,
      };
    }
  }
  for (const embedding of embeddings) {
    if (!inV6Block(value, embedding)) continue;
    const ipv4 = Number((value >> embedding.shift) & 0xffffffffn);
    const inner = classifyIPv4Value(ipv4, formatIPv4(ipv4));
    if (!inner.allowed) {
      return {
        allowed: false,
        address,
        rule: inner.rule,
        range: inner.range,
        description: `${embedding.noun} of ${inner.address}, ${inner.description}`,
      };
    }
    if (embedding.alwaysForbidden !== undefined) {
      return {
        allowed: false,
        address,
        rule: embedding.alwaysForbidden,
        range: embedding.range,
        description: `${embedding.noun} (${embedding.range})`,
      };
    }
    return { allowed: true, address, family: 6 };
  }
  if (!inV6Block(value, globalUnicast)) {
    return {
      allowed: false,
      address,
      rule: 'reserved',
      range: '2000::/3',
      description: 'a reserved address (outside global unicast 2000::/3)',
    };
  }
  return { allowed: true, address, family: 6 };
}

/**
 * Whether a probe may connect to `address` (IPv4 dotted decimal, or IPv6 with or without brackets),
 * and if not, which rule refuses it. Anything that is not an IP address is refused (`invalid`).
 */
export function classifyAddress(address: string): AddressVerdict {
  const ipv4 = parseIPv4(address);
  if (ipv4 !== undefined) return classifyIPv4Value(ipv4, address);
  const ipv6 = address.includes(':') ? parseIPv6(address) : undefined;
  if (ipv6 !== undefined) {
    const bare = address.startsWith('[') && address.endsWith(']') ? address.slice(1, -1) : address;
    return classifyIPv6Value(ipv6, bare);
  }
  return { allowed: false, address, rule: 'invalid', range: '', description: 'not an IP address' };
}

/** A classifier; tests substitute one to stand a local server in for a public host. */
export type AddressClassifier = (address: string) => AddressVerdict;
