/**
 * The address guard over DNS: resolve a monitor's host and refuse it when any of its addresses is
 * private (domain/address-policy.ts). Used twice:
 *
 * - at input, by the API ({@link assertTargetAllowed}): a 400 that names the rule, so a user learns at
 *   once that `http://169.254.169.254/` will never be probed;
 * - at probe time, by the prober ({@link guardedLookup}): the `lookup` of every connection resolves,
 *   checks every address and hands exactly those addresses to the socket, so the address connected to is
 *   the address checked. A name that resolves to a public address at input and to 127.0.0.1 later (DNS
 *   rebinding) is refused at the later connection; so is every redirect hop.
 */
import dns from 'node:dns';
import net from 'node:net';
import { ValidationError } from '../../lib/errors.js';
import { type AddressClassifier, classifyAddress, type ForbiddenAddress } from '../domain/address-policy.js';
import { hostTargetOf, isIpLiteral, kindOf } from '../domain/kinds.js';
import {
  describeRefusal,
  firstForbidden,
  privateTargetsHint,
  urlHost,
  urlSyntaxProblem,
} from '../domain/target-url.js';
import type { Monitor } from '../domain/types.js';

/** One resolved address. */
export interface ResolvedAddress {
  address: string;
  family: 4 | 6;
}

/** Resolves a host name to every address (IPv4 and IPv6); rejects with a Node DNS error. */
export type HostResolver = (hostname: string) => Promise<ResolvedAddress[]>;

// c-ares resolver (no libuv thread pool): with hundreds of probes at once, getaddrinfo's four pool
// threads would queue behind one slow name and make other probes time out.
const resolver = new dns.promises.Resolver({ timeout: 2_000, tries: 2 });

async function systemLookup(hostname: string): Promise<ResolvedAddress[]> {
  const found = await dns.promises.lookup(hostname, { all: true, verbatim: true });
  return found.map(({ address, family }) => ({ address, family: family === 6 ? 6 : 4 }));
}

/**
 * Every address of `hostname`: A and AAAA records with c-ares, falling back to the system resolver
 * (hosts file, search domains, `localhost`) when c-ares finds nothing. An IP address is returned as is.
 */
export const resolveHost: HostResolver = async (hostname) => {
  const family = net.isIP(hostname);
  if (family !== 0) return [{ address: hostname, family: family === 6 ? 6 : 4 }];
  if (hostname === 'localhost' || hostname.endsWith('.localhost')) return systemLookup(hostname);
  const [v4, v6] = await Promise.allSettled([resolver.resolve4(hostname), resolver.resolve6(hostname)]);
  const addresses: ResolvedAddress[] = [];
  if (v4.status === 'fulfilled') for (const address of v4.value) addresses.push({ address, family: 4 });
  if (v6.status === 'fulfilled') for (const address of v6.value) addresses.push({ address, family: 6 });
  return addresses.length > 0 ? addresses : systemLookup(hostname);
};

/** A connection refused by the guard: the socket never opens. */
export class BlockedTargetError extends Error {
  public readonly verdict: ForbiddenAddress;
  public readonly hostname: string;

  public constructor(hostname: string, verdict: ForbiddenAddress) {
    super(describeRefusal(verdict, hostname));
    this.name = 'BlockedTargetError';
    this.hostname = hostname;
    this.verdict = verdict;
  }
}

/** How the guard judges and resolves. */
export interface TargetGuardOptions {
  /** `HealthAllowPrivateTargets`: when true the guard lets every address through. */
  allowPrivateTargets: boolean;
  /** Default {@link resolveHost}; tests inject one. */
  resolve?: HostResolver;
  /** Default {@link classifyAddress}; tests stand a local server in for a public host with their own. */
  classify?: AddressClassifier;
}

/** Options of {@link assertTargetAllowed}. */
export interface AssertTargetOptions extends TargetGuardOptions {
  /**
   * How long DNS may take at input (default 3000 ms, inside the API's 10-second timeout). A name that
   * does not resolve in time, or not at all, is accepted: the probe checks it again at every connection.
   */
  resolveTimeoutMs?: number;
}

async function resolveWithin(
  resolve: HostResolver,
  hostname: string,
  ms: number,
): Promise<ResolvedAddress[] | undefined> {
  let timer: NodeJS.Timeout | undefined;
  const expiry = new Promise<undefined>((done) => {
    timer = setTimeout(() => done(undefined), ms);
  });
  try {
    return await Promise.race([resolve(hostname).catch(() => undefined), expiry]);
  } finally {
    clearTimeout(timer);
  }
}

/**
 * Refuse, with a {@link ValidationError} naming the rule, a monitor URL that breaks the URL rules or
 * (unless private targets are allowed) whose host is, or resolves to, a forbidden address, e.g.
 * `url: localhost resolves to 127.0.0.1, a loopback address (127.0.0.0/8); private targets are not
 * allowed (HealthAllowPrivateTargets)`.
 *
 * @throws ValidationError when the URL is refused
 */
export async function assertTargetAllowed(url: string, options: AssertTargetOptions): Promise<void> {
  const problem = urlSyntaxProblem(url);
  if (problem !== undefined) throw new ValidationError(`url: ${problem}`);
  if (options.allowPrivateTargets) return;
  const classify = options.classify ?? classifyAddress;
  const host = urlHost(new URL(url));
  if (host.kind === 'address') {
    const verdict = classify(host.address);
    if (!verdict.allowed)
      throw new ValidationError(`url: ${describeRefusal(verdict)}; ${privateTargetsHint}`);
    return;
  }
  const addresses = await resolveWithin(
    options.resolve ?? resolveHost,
    host.hostname,
    options.resolveTimeoutMs ?? 3_000,
  );
  if (addresses === undefined) return;
  const refused = firstForbidden(
    addresses.map(({ address }) => address),
    classify,
  );
  if (refused !== undefined) {
    throw new ValidationError(`url: ${describeRefusal(refused, host.hostname)}; ${privateTargetsHint}`);
  }
}

type LookupCallback = (
  error: NodeJS.ErrnoException | null,
  address: string | dns.LookupAddress[],
  family?: number,
) => void;

/** The `lookup` option of http.request / net.connect. */
export type GuardedLookup = (hostname: string, options: dns.LookupOptions, callback: LookupCallback) => void;

function notFound(hostname: string): NodeJS.ErrnoException {
  return Object.assign(new Error(`getaddrinfo ENOTFOUND ${hostname}`), {
    code: 'ENOTFOUND',
    hostname,
  });
}

/**
 * A `lookup` for sockets that resolves `hostname` once, refuses the connection with a
 * {@link BlockedTargetError} when any address is forbidden, and otherwise answers with exactly the
 * addresses it checked (so Node connects to one of them and to nothing resolved later).
 */
export function guardedLookup(options: TargetGuardOptions): GuardedLookup {
  const resolve = options.resolve ?? resolveHost;
  const classify = options.classify ?? classifyAddress;
  return (hostname, lookupOptions, callback) => {
    resolve(hostname).then(
      (resolved) => {
        if (!options.allowPrivateTargets) {
          const refused = firstForbidden(
            resolved.map(({ address }) => address),
            classify,
          );
          if (refused !== undefined) {
            callback(new BlockedTargetError(hostname, refused), '');
            return;
          }
        }
        const wanted =
          lookupOptions.family === 'IPv4' ? 4 : lookupOptions.family === 'IPv6' ? 6 : lookupOptions.family;
        const addresses =
          wanted === 4 || wanted === 6 ? resolved.filter(({ family }) => family === wanted) : resolved;
        const first = addresses[0];
        if (first === undefined) callback(notFound(hostname), '');
        else if (lookupOptions.all === true) callback(null, addresses);
        else callback(null, first.address, first.family);
      },
      (error: NodeJS.ErrnoException) => callback(error, ''),
    );
  };
}

/**
 * Refuse, with a {@link ValidationError} naming the rule, the target of a monitor of any kind
 * (domain/kinds.ts): an http URL as {@link assertTargetAllowed}; a tcp or tls host written as an
 * address, or resolving to one, that is forbidden (the same rules, the same 3-second DNS budget); a
 * dns name is already a public name by its syntax and nothing connects to what it resolves to; a push
 * monitor has no target.
 *
 * @throws ValidationError when the target is refused
 */
export async function assertMonitorTargetAllowed(
  monitor: Pick<Monitor, 'kind' | 'url'>,
  options: AssertTargetOptions,
): Promise<void> {
  const kind = kindOf(monitor);
  if (kind === 'http') return assertTargetAllowed(monitor.url, options);
  if (kind === 'push' || kind === 'dns' || options.allowPrivateTargets) return;
  const target = hostTargetOf(monitor.url);
  if (target === undefined) throw new ValidationError(`url: must be ${kind}://host:port`);
  const classify = options.classify ?? classifyAddress;
  if (isIpLiteral(target.host)) {
    const verdict = classify(target.host);
    if (!verdict.allowed)
      throw new ValidationError(`url: ${describeRefusal(verdict)}; ${privateTargetsHint}`);
    return;
  }
  const addresses = await resolveWithin(
    options.resolve ?? resolveHost,
    target.host,
    options.resolveTimeoutMs ?? 3_000,
  );
  if (addresses === undefined) return;
  const refused = firstForbidden(
    addresses.map(({ address }) => address),
    classify,
  );
  if (refused !== undefined) {
    throw new ValidationError(`url: ${describeRefusal(refused, target.host)}; ${privateTargetsHint}`);
  }
}

/**
 * The guard of a socket to `host` (tcp and tls probes): an address written in the target is judged
 * here (no lookup happens for it); a name is judged by {@link guardedLookup} on the socket. Returns
 * the refusal, or `undefined` when the connection may go ahead.
 */
export function refuseAddressTarget(host: string, options: TargetGuardOptions): string | undefined {
  if (options.allowPrivateTargets || !isIpLiteral(host)) return undefined;
  const verdict = (options.classify ?? classifyAddress)(host);
  return verdict.allowed ? undefined : describeRefusal(verdict);
}
