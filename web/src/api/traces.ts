import type { TraceDetail, TraceListResponse } from '../types/traces';

/** The local cloud's trace routes, served by the same origin as the app (not the API). */
const base = `${import.meta.env.BASE_URL}_kumo/traces`;

/** Why traces could not be read. */
export class TracesError extends Error {
  override readonly name = 'TracesError';

  constructor(
    message: string,
    readonly status?: number,
  ) {
    super(message);
  }
}

async function getJson<T>(url: string, signal?: AbortSignal): Promise<T> {
  let response: Response;
  try {
    response = await fetch(url, { signal, headers: { Accept: 'application/json' } });
  } catch (cause) {
    if (signal?.aborted) throw cause;
    throw new TracesError('The local cloud did not answer: is `npm start` still running?');
  }
  if (!response.ok) throw new TracesError(`The local cloud answered ${response.status}`, response.status);
  return (await response.json()) as T;
}

/** Recent traces, newest first. */
export function fetchTraces(signal?: AbortSignal): Promise<TraceListResponse> {
  return getJson<TraceListResponse>(base, signal);
}

/** One trace with its spans in timeline order. */
export function fetchTrace(traceId: string, signal?: AbortSignal): Promise<TraceDetail> {
  return getJson<TraceDetail>(`${base}/${encodeURIComponent(traceId)}`, signal);
}
