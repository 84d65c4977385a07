/**
 * One {@link Prober} for every kind of monitor: each request goes to the prober of its kind
 * (`request.kind`, http when absent), so the run and its retries, deadline and batching stay the same
 * for all (domain/run.ts). Push monitors are never probed.
 */
import type { Prober } from '../domain/probe.js';
import type { MonitorKind } from '../domain/types.js';

/** The prober of each kind that is probed. */
export type KindProbers = Readonly<Record<Exclude<MonitorKind, 'push'>, Prober>>;

/** A prober that hands each request to the prober of its kind. */
export function createKindProber(probers: KindProbers): Prober {
  return (request, context) => {
    const kind = request.kind ?? 'http';
    if (kind === 'push') {
      return Promise.resolve({
        latencyMs: 0,
        redirects: 0,
        errorKind: 'unknown',
        errorMessage: 'push monitors are not probed',
      });
    }
    return probers[kind](request, context);
  };
}
