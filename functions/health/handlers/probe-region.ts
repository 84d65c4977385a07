/**
 * ProbeFunction (probe-region.yaml, one stack per extra region in ProbeRegions): checks the monitors the
 * home region's CheckSitesFunction sends, from this region, and answers with what it saw. No storage,
 * no alerts: the home region judges the quorum, records and alerts (domain/quorum.ts).
 *
 * Invoked synchronously (RequestResponse) by the home region only: its resource policy and the home
 * role's `lambda:InvokeFunction` on this function's name are the only way in. The monitors still pass
 * the same SSRF guard as in the home region (probe-http.ts), whatever the payload says.
 */
import type { Context } from 'aws-lambda';
import { withPowertools } from '../../lib/middy.js';
import { logger, MetricUnit, metrics } from '../../lib/powertools.js';
import { createHttpProber } from '../adapters/probe-http.js';
import type { Prober } from '../domain/probe.js';
import { type ProbeRegionResponse, parseProbeRequest, regionCheckOf } from '../domain/probe-region.js';
import { checkWithin, mapWithConcurrency, runDeadline } from '../domain/run.js';
import { traceCheck } from './trace-check.js';

const concurrency = Math.min(1000, Math.max(1, Number(process.env.CHECK_CONCURRENCY) || 50));
const region = process.env.AWS_REGION ?? 'unknown';
const httpProber = createHttpProber({
  allowSelfSigned: process.env.HEALTH_ALLOW_SELF_SIGNED?.toLowerCase() === 'true',
  allowPrivateTargets: process.env.HEALTH_ALLOW_PRIVATE_TARGETS === 'true',
});
const probe: Prober = httpProber;

/** Margin kept before the home region's deadline: the answer travels back across regions. */
export const answerMarginMs = 2_000;

/** The handler before middleware. */
export async function probeRegion(event: unknown, context?: Context): Promise<ProbeRegionResponse> {
  const parsed = parseProbeRequest(event);
  if (!parsed.ok) {
    // A malformed request is the caller's bug: answer with the reason instead of probing anything.
    logger.error('Malformed probe request', { reason: parsed.error });
    return { region, error: parsed.error, checks: [] };
  }
  const { monitors, deadline } = parsed.value;
  const own =
    context === undefined
      ? Number.POSITIVE_INFINITY
      : runDeadline(Date.now(), context.getRemainingTimeInMillis());
  const until = Math.min(own, deadline === undefined ? Number.POSITIVE_INFINITY : deadline - answerMarginMs);
  const controller = new AbortController();
  const timer = Number.isFinite(until)
    ? setTimeout(() => controller.abort(), Math.max(0, until - Date.now()))
    : undefined;
  try {
    const settled = await mapWithConcurrency(monitors, concurrency, async (monitor) => {
      const startedAt = Date.now();
      const result = await checkWithin(monitor, probe, () => new Date(), controller.signal);
      // A span for a DOWN or retried check only (the home region judges transitions), as at home.
      if (result !== undefined) traceCheck({ monitor, result, startedAt, transition: false });
      return result;
    });
    const checks = settled.map((entry, index) =>
      regionCheckOf(region, monitors[index]?.monitorId ?? '', entry),
    );
    const down = checks.filter((check) => check.status === 'DOWN').length;
    const unknown = checks.filter((check) => check.status === 'UNKNOWN').length;
    metrics.addMetric('RegionProbes', MetricUnit.Count, checks.length);
    metrics.addMetric('RegionProbesDown', MetricUnit.Count, down);
    logger.info('Probed for the home region', { region, monitors: checks.length, down, unknown });
    return { region, checks };
  } finally {
    clearTimeout(timer);
  }
}

/** Lambda entry point (probe-region.yaml: `probe-region.handler`). */
export const handler = withPowertools(probeRegion, { captureResponse: false });
