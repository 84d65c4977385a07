/**
 * The tcp prober: one attempt is a connection to `host:port` (domain/kinds.ts `tcp://host:port`) that
 * must open within the timeout; nothing is sent, and the socket is closed at once.
 *
 * Through the same address guard as http (adapters/target-guard.ts): an address written in the target
 * is judged before anything happens, a name is resolved once by the socket's own `lookup`, which refuses
 * a forbidden address and connects to the addresses it checked. A refused probe is `blocked`.
 * The tls prober (probe-tls.ts) shares the attempt's frame: timer, abort, guard.
 */
import type dns from 'node:dns';
import net from 'node:net';
import { performance } from 'node:perf_hooks';
import { type HostTarget, hostTargetOf } from '../domain/kinds.js';
import type { ProbeOutcome, ProbeRequest, Prober } from '../domain/probe.js';
import { classifyError } from './probe-http.js';
import { guardedLookup, refuseAddressTarget, type TargetGuardOptions } from './target-guard.js';

/** Options of the socket probers (tcp, tls), fixed per container. */
export interface SocketProberOptions extends Partial<TargetGuardOptions> {
  /** tls: accept certificates that do not chain to a trusted root or do not match the host. */
  allowSelfSigned?: boolean;
}

/** What a socket attempt reports when its connection is made. */
export type SocketOutcome = Omit<ProbeOutcome, 'latencyMs' | 'redirects'>;

/**
 * Open a socket with `connect` (given the guarded lookup) and let `onOpen` read it; the attempt ends
 * with `onOpen`'s outcome, an error, the timeout or the abort, and the socket is destroyed whatever
 * happened. Never rejects.
 */
export function probeSocket(
  request: ProbeRequest,
  options: SocketProberOptions,
  connect: (target: HostTarget, lookup: typeof dns.lookup) => net.Socket,
  openEvent: 'connect' | 'secureConnect',
  onOpen: (socket: net.Socket, target: HostTarget) => SocketOutcome,
): Promise<ProbeOutcome> {
  const started = performance.now();
  const guard: TargetGuardOptions = {
    allowPrivateTargets: options.allowPrivateTargets === true,
    ...(options.resolve === undefined ? {} : { resolve: options.resolve }),
    ...(options.classify === undefined ? {} : { classify: options.classify }),
  };
  const done = (outcome: SocketOutcome): ProbeOutcome => ({
    latencyMs: performance.now() - started,
    redirects: 0,
    ...outcome,
  });
  if (request.signal?.aborted === true) {
    return Promise.resolve(done({ errorKind: 'aborted', errorMessage: 'the run reached its deadline' }));
  }
  const target = hostTargetOf(request.url);
  if (target === undefined)
    return Promise.resolve(done({ errorKind: 'unknown', errorMessage: 'invalid target' }));
  const refused = refuseAddressTarget(target.host, guard);
  if (refused !== undefined) return Promise.resolve(done({ errorKind: 'blocked', errorMessage: refused }));

  return new Promise<ProbeOutcome>((resolve) => {
    let settled = false;
    const lookup = guardedLookup(guard) as unknown as typeof dns.lookup;
    const socket = connect(target, lookup);
    const finish = (outcome: SocketOutcome): void => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      request.signal?.removeEventListener('abort', onAbort);
      socket.destroy();
      resolve(done(outcome));
    };
    const timer = setTimeout(
      () => finish({ errorKind: 'timeout', errorMessage: `no connection in ${request.timeoutMs} ms` }),
      request.timeoutMs,
    );
    const onAbort = (): void =>
      finish({ errorKind: 'aborted', errorMessage: 'the run reached its deadline' });
    request.signal?.addEventListener('abort', onAbort, { once: true });
    socket.once(openEvent, () => finish(onOpen(socket, target)));
    socket.once('error', (error) => finish(classifyError(error)));
  });
}

/** One tcp attempt: UP when the port accepts the connection (domain/kind-judge.ts). */
export function probeTcp(request: ProbeRequest, options: SocketProberOptions = {}): Promise<ProbeOutcome> {
  return probeSocket(
    request,
    options,
    (target, lookup) => net.connect({ host: target.host, port: target.port, lookup }),
    'connect',
    () => ({}),
  );
}

/** A {@link Prober} of tcp targets with fixed options. */
export function createTcpProber(options: SocketProberOptions = {}): Prober {
  return (request) => probeTcp(request, options);
}
