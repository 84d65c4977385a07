/**
 * The home region's side of ProbeRegions: one synchronous Lambda invocation per probe region and run,
 * sent while the home region probes, each answer split by monitor for the quorum (domain/quorum.ts).
 *
 * A region that errs, times out or answers nonsense gets an `UNKNOWN` vote for each of its monitors
 * (no vote), with the reason; the run goes on with the regions that answered. The Lambda client is
 * loaded on the first run with regions, so a stack without them pays nothing at init.
 */
import type { DomainLogger } from '../domain/ports.js';
import type { ProbeRegionResponse, ProbeRequest } from '../domain/probe-region.js';
import type { RegionCheck } from '../domain/quorum.js';
import type { RegionalProbes, RegionalRound } from '../domain/run.js';
import type { Monitor } from '../domain/types.js';

/** Sends one probe request to a region's ProbeFunction and returns its answer. */
export type RegionInvoker = (region: string, request: ProbeRequest, signal: AbortSignal) => Promise<unknown>;

export interface RegionalProbesOptions {
  homeRegion: string;
  regions: readonly string[];
  quorum: number;
  invoke: RegionInvoker;
  logger: DomainLogger;
  /** How long a region may take when the run has no deadline. */
  defaultTimeoutMs?: number;
}

/** Monitors the probe regions check: HTTP(S) monitors (other kinds are judged at home). */
function probedRemotely(monitor: Monitor): boolean {
  const kind = (monitor as { kind?: unknown }).kind;
  return kind === undefined || kind === 'http';
}

function unknownFor(region: string, reason: string): RegionCheck {
  return { region, status: 'UNKNOWN', error: reason };
}

function answerOf(region: string, answer: unknown, asked: readonly Monitor[]): Map<string, RegionCheck> {
  const byMonitor = new Map<string, RegionCheck>();
  const response = answer as Partial<ProbeRegionResponse> | null;
  if (typeof response?.error === 'string') {
    for (const monitor of asked)
      byMonitor.set(monitor.monitorId, unknownFor(region, `refused: ${response.error}`));
    return byMonitor;
  }
  const wanted = new Set(asked.map((monitor) => monitor.monitorId));
  for (const check of Array.isArray(response?.checks) ? response.checks : []) {
    if (typeof check?.monitorId !== 'string' || !wanted.has(check.monitorId)) continue;
    if (check.status !== 'UP' && check.status !== 'DOWN' && check.status !== 'UNKNOWN') continue;
    const { monitorId, ...vote } = check;
    // The region reported is the one asked, whatever the answer says.
    byMonitor.set(monitorId, { ...vote, region });
  }
  for (const monitor of asked) {
    if (!byMonitor.has(monitor.monitorId))
      byMonitor.set(monitor.monitorId, unknownFor(region, 'no answer for this monitor'));
  }
  return byMonitor;
}

/** {@link RegionalProbes} over `invoke`. */
export function createRegionalProbes(options: RegionalProbesOptions): RegionalProbes {
  const { homeRegion, regions, quorum, invoke, logger } = options;
  const defaultTimeoutMs = options.defaultTimeoutMs ?? 60_000;
  return {
    homeRegion,
    quorum,
    start(monitors, deadline): RegionalRound {
      const asked = monitors.filter(probedRemotely);
      const remote = new Set(asked.map((monitor) => monitor.monitorId));
      const timeoutMs = deadline === undefined ? defaultTimeoutMs : Math.max(0, deadline - Date.now());
      const request: ProbeRequest = { monitors: asked, ...(deadline === undefined ? {} : { deadline }) };
      const answers = regions.map(async (region): Promise<Map<string, RegionCheck>> => {
        if (asked.length === 0) return new Map();
        try {
          const answer = await invoke(region, request, AbortSignal.timeout(timeoutMs));
          return answerOf(region, answer, asked);
        } catch (error) {
          const reason = error instanceof Error ? error.message : String(error);
          logger.warn('A probe region did not answer; its votes are left out', { region, error: reason });
          return new Map(asked.map((monitor) => [monitor.monitorId, unknownFor(region, reason)]));
        }
      });
      return {
        async checksFor(monitorId) {
          if (!remote.has(monitorId)) return [];
          const maps = await Promise.all(answers);
          return maps.map(
            (map, index) => map.get(monitorId) ?? unknownFor(regions[index] ?? '?', 'no answer'),
          );
        },
      };
    },
  };
}

/** {@link RegionInvoker} with one Lambda client per region (endpoint: `AWS_ENDPOINT_URL_LAMBDA` locally). */
export function lambdaRegionInvoker(functionName: string): RegionInvoker {
  return async (region, request, signal) => {
    // Loaded with the first run that has probe regions: a stack without them never needs the client.
    const { InvokeCommand, lambdaClientFor } = await import('../../lib/clients/lambda.js');
    const output = await lambdaClientFor(region).send(
      new InvokeCommand({
        FunctionName: functionName,
        Payload: new TextEncoder().encode(JSON.stringify(request)),
      }),
      { abortSignal: signal },
    );
    const text = output.Payload === undefined ? '' : new TextDecoder().decode(output.Payload);
    if (output.FunctionError !== undefined) throw new Error(`${output.FunctionError}: ${text.slice(0, 300)}`);
    return text === '' ? null : (JSON.parse(text) as unknown);
  };
}
