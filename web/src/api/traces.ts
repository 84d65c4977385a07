import type { TraceDetail, TraceListResponse } from '../types/traces';
import { kumoHeaders } from './kumo';

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

async function getJson<T>(url: string, token: string | undefined, signal?: AbortSignal): Promise<T> {
  let response: Response;
  try {
    response = await fetch(url, { signal, headers: kumoHeaders(token) });
  } catch (cause) {
    if (signal?.aborted) throw cause;
    throw new TracesError('The local cloud did not answer: is `npm start` still running?');
  }
  if (!response.ok) throw new TracesError(`The local cloud answered ${response.status}`, response.status);
  return (await response.json()) as T;
}

/** Recent traces, newest first; `token` is config.json's `kumoToken`. */
export function fetchTraces(token: string | undefined, signal?: AbortSignal): Promise<TraceListResponse> {
  return getJson<TraceListResponse>(base, token, signal);
}

/** One trace with its spans in timeline order; `token` is config.json's `kumoToken`. */
export function fetchTrace(
  traceId: string,
  token: string | undefined,
  signal?: AbortSignal,
): Promise<TraceDetail> {
  return getJson<TraceDetail>(`${base}/${encodeURIComponent(traceId)}`, token, signal);
}
