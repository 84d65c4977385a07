/**
 * The trace of a check, shared by the home region's checker (check-runtime.ts) and the probe regions'
 * function (probe-region.ts). Kept apart from check-runtime.ts so the probe function bundles no store.
 */
import { recordSpan } from '../../lib/tracing.js';
import { noteworthyCheck, type ObservedCheck } from '../domain/run.js';

/**
 * A `probe` subsegment, annotated with its monitor, for each check worth reading (DOWN, retried, or a
 * change of state: run.ts noteworthyCheck), recorded once it is judged. Not one around every probe:
 * for healthy probes they cost a fan-out worker about an eighth of its CPU and told nothing the results
 * do not.
 */
export function traceCheck(check: ObservedCheck): void {
  if (!noteworthyCheck(check)) return;
  const { result } = check;
  recordSpan(
    'probe',
    { monitorId: check.monitor.monitorId },
    {
      startedAt: check.startedAt,
      failed: result.status !== 'UP',
      metadata: {
        status: result.status,
        attempts: result.attempts,
        latencyMs: result.latencyMs,
        ...(result.statusCode === undefined ? {} : { statusCode: result.statusCode }),
        ...(result.error === undefined ? {} : { error: result.error }),
        transition: check.transition,
      },
    },
  );
}
