/**
 * Reading the local cloud's traces (`/_kumo/traces`, with the run's token) from integration tests:
 * the function segments arrive over UDP after the invocation answers, so reads poll until what the test
 * waits for is there or 10 s have passed (then the test's own assertions say what is missing).
 */
import type { TraceDetail, TraceSummary } from '../../local/tracing/trace-view.js';

/** What the helpers need of a running local cloud. */
export interface TracedCloud {
  endpoints: { web?: string };
  token: string;
}

const POLL_MS = 100;
const WAIT_MS = 10_000;

function tracesUrl(cloud: TracedCloud, route = ''): string {
  if (!cloud.endpoints.web) throw new Error('the local cloud serves no /_kumo routes (no web endpoint)');
  return `${cloud.endpoints.web}/_kumo/traces${route}`;
}

/** The recorded traces, newest first. */
export async function listTraces(cloud: TracedCloud): Promise<TraceSummary[]> {
  const response = await fetch(tracesUrl(cloud), { headers: { 'X-Kumo-Token': cloud.token } });
  if (response.status !== 200) throw new Error(`/_kumo/traces: ${response.status}`);
  return ((await response.json()) as { traces: TraceSummary[] }).traces;
}

/** The newest trace whose name has `name`, once there is one. */
export async function newestTrace(cloud: TracedCloud, name: string): Promise<TraceSummary> {
  const deadline = Date.now() + WAIT_MS;
  for (;;) {
    const found = (await listTraces(cloud)).find((trace) => trace.name.includes(name));
    if (found !== undefined) return found;
    if (Date.now() > deadline) throw new Error(`no ${name} trace`);
    await new Promise((resolve) => setTimeout(resolve, POLL_MS));
  }
}

/** Trace `traceId` once `done` holds for it (or as it is after 10 s). */
export async function traceOf(
  cloud: TracedCloud,
  traceId: string,
  done: (trace: TraceDetail) => boolean,
): Promise<TraceDetail> {
  const deadline = Date.now() + WAIT_MS;
  for (;;) {
    const response = await fetch(tracesUrl(cloud, `/${traceId}`), {
      headers: { 'X-Kumo-Token': cloud.token },
    });
    if (response.status === 200) {
      const trace = (await response.json()) as TraceDetail;
      if (done(trace) || Date.now() > deadline) return trace;
    } else if (Date.now() > deadline) throw new Error(`trace ${traceId}: ${response.status}`);
    await new Promise((resolve) => setTimeout(resolve, POLL_MS));
  }
}
