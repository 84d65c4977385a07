/**
 * The rules a monitor URL (and every redirect it leads to) must follow before anything connects to it:
 * http or https only, no credentials, and, unless private targets are allowed, a host whose addresses
 * are all allowed by {@link classifyAddress}. Pure: resolving names is the adapters' job
 * (adapters/target-guard.ts), at input time and again, pinned, at probe time.
 *
 * The host is taken from WHATWG URL, which already reduces every IPv4 spelling to dotted decimal
 * (`2130706433`, `0x7f000001`, `0177.0.0.1`, `127.1`, `127.0.0.1.`, full-width digits all become
 * `127.0.0.1`) and every IPv6 one to its compressed form (`[::ffff:127.0.0.1]` -> `[::ffff:7f00:1]`).
 */
import {
  type AddressClassifier,
  classifyAddress,
  type ForbiddenAddress,
  parseIPv4,
} from './address-policy.js';

/** The template parameter that lets probes reach private addresses (named in refusals). */
export const allowPrivateTargetsParameter = 'HealthAllowPrivateTargets';

/** Appended to every refusal of a private address at input. */
export const privateTargetsHint = `private targets are not allowed (${allowPrivateTargetsParameter})`;

/**
 * What is wrong with `value` as a monitor URL whatever the address policy, or `undefined`: it must be
 * an absolute http(s) URL with a host and without a user name or password (those would be sent to the
 * target, and stored and shown with the monitor).
 */
export function urlSyntaxProblem(value: string): string | undefined {
  if (!URL.canParse(value)) return 'must be an absolute http:// or https:// URL';
  const url = new URL(value);
  if ((url.protocol !== 'http:' && url.protocol !== 'https:') || url.hostname === '') {
    return 'must be an absolute http:// or https:// URL';
  }
  if (url.username !== '' || url.password !== '') return 'must not contain a user name or password';
  return undefined;
}

/** Where a URL points: an IP address written in the URL, or a name to resolve. */
export type UrlHost = { kind: 'address'; address: string } | { kind: 'name'; hostname: string };

/** The host of a parsed http(s) URL. */
export function urlHost(url: URL): UrlHost {
  const { hostname } = url;
  if (hostname.startsWith('[') && hostname.endsWith(']')) {
    return { kind: 'address', address: hostname.slice(1, -1) };
  }
  if (parseIPv4(hostname) !== undefined) return { kind: 'address', address: hostname };
  return { kind: 'name', hostname };
}

/** The first refused address among `addresses`, or `undefined` when all are allowed. */
export function firstForbidden(
  addresses: readonly string[],
  classify: AddressClassifier = classifyAddress,
): ForbiddenAddress | undefined {
  for (const address of addresses) {
    const verdict = classify(address);
    if (!verdict.allowed) return verdict;
  }
  return undefined;
}

/**
 * A sentence for a refused address: `10.0.0.5 is a private address (10.0.0.0/8)` for an address written
 * in the URL, `db.example resolves to 10.0.0.5, a private address (10.0.0.0/8)` for a name.
 */
export function describeRefusal(verdict: ForbiddenAddress, hostname?: string): string {
  return hostname === undefined
    ? `${verdict.address} is ${verdict.description}`
    : `${hostname} resolves to ${verdict.address}, ${verdict.description}`;
}
