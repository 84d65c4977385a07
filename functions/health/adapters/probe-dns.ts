/**
 * The dns prober: one query of `recordType` for the name of a `dns://name` target, with node:dns's
 * Resolver (c-ares, no thread pool), answered as text for domain/kind-judge.ts to compare.
 *
 * What it can reach: the resolver is the system's (in Lambda, the AWS-provided resolver of the
 * function's environment; `servers` only in the local cloud and tests), so a query goes where any DNS
 * query of the function goes, and nothing connects to the answers. The name is user input: it must
 * be a public name (domain/kinds.ts refuses IP addresses, single labels and internal suffixes such as
 * .internal and .local), checked again here before the query. See docs/security.md.
 */
import dns from 'node:dns';
import { performance } from 'node:perf_hooks';
import { dnsNameOf } from '../domain/kinds.js';
import type { ProbeOutcome, ProbeRequest, Prober } from '../domain/probe.js';
import type { DnsRecordType } from '../domain/types.js';
import { classifyError } from './probe-http.js';

/** Options of the dns prober, fixed per container. */
export interface DnsProberOptions {
  /** Resolver addresses (`127.0.0.1:5353`); default the system's. The local cloud and tests set them. */
  servers?: readonly string[];
}

/** The records of `type` for `name`, as text: MX as `priority exchange`, TXT chunks joined. */
async function query(resolver: dns.promises.Resolver, type: DnsRecordType, name: string): Promise<string[]> {
  switch (type) {
    case 'A':
      return resolver.resolve4(name);
    case 'AAAA':
      return resolver.resolve6(name);
    case 'CNAME':
      return resolver.resolveCname(name);
    case 'MX':
      return (await resolver.resolveMx(name)).map(({ priority, exchange }) => `${priority} ${exchange}`);
    case 'TXT':
      return (await resolver.resolveTxt(name)).map((chunks) => chunks.join(''));
  }
}

/** Errors that mean "the name has no such record": DOWN with "none found", not a lookup failure. */
const noRecords = new Set(['ENODATA', 'ENOTFOUND']);

// A function, not `signal.aborted` inline: TypeScript would keep a narrowing across the awaits.
const isAborted = (signal: AbortSignal | undefined): boolean => signal?.aborted === true;

/** One dns attempt; never rejects. */
export async function probeDns(request: ProbeRequest, options: DnsProberOptions = {}): Promise<ProbeOutcome> {
  const started = performance.now();
  const done = (outcome: Omit<ProbeOutcome, 'latencyMs' | 'redirects'>): ProbeOutcome => ({
    latencyMs: performance.now() - started,
    redirects: 0,
    ...outcome,
  });
  if (isAborted(request.signal))
    return done({ errorKind: 'aborted', errorMessage: 'the run reached its deadline' });
  const name = dnsNameOf(request.url);
  if (name === undefined) return done({ errorKind: 'blocked', errorMessage: 'not a public DNS name' });
  const resolver = new dns.promises.Resolver({ timeout: Math.max(100, request.timeoutMs), tries: 1 });
  if (options.servers !== undefined && options.servers.length > 0) resolver.setServers([...options.servers]);
  let timer: NodeJS.Timeout | undefined;
  const onAbort = (): void => resolver.cancel();
  request.signal?.addEventListener('abort', onAbort, { once: true });
  const expiry = new Promise<'timeout'>((resolve) => {
    timer = setTimeout(() => resolve('timeout'), request.timeoutMs);
  });
  try {
    const answer = await Promise.race([query(resolver, request.recordType ?? 'A', name), expiry]);
    if (answer === 'timeout') {
      resolver.cancel();
      return done({ errorKind: 'timeout', errorMessage: `no DNS answer in ${request.timeoutMs} ms` });
    }
    return done({ records: answer });
  } catch (error) {
    if (isAborted(request.signal))
      return done({ errorKind: 'aborted', errorMessage: 'the run reached its deadline' });
    const code = (error as NodeJS.ErrnoException).code;
    if (code !== undefined && noRecords.has(code)) return done({ records: [] });
    if (code === 'ECANCELLED' || code === 'ETIMEOUT') {
      return done({ errorKind: 'timeout', errorMessage: `no DNS answer in ${request.timeoutMs} ms` });
    }
    const classified = classifyError(error);
    return done({
      errorKind: classified.errorKind === 'unknown' ? 'dnsError' : classified.errorKind,
      errorMessage: classified.errorMessage,
    });
  } finally {
    clearTimeout(timer);
    request.signal?.removeEventListener('abort', onAbort);
  }
}

/** A {@link Prober} of dns targets with fixed options. */
export function createDnsProber(options: DnsProberOptions = {}): Prober {
  return (request) => probeDns(request, options);
}
