import { useConfig } from './useConfig';

/** Error codes the API sends (docs/health-api.md), plus the ones this client adds. */
export type ApiErrorCode =
  | 'ValidationError'
  | 'NotFound'
  | 'Conflict'
  | 'MethodNotAllowed'
  | 'InternalError'
  | 'NetworkError'
  | 'Timeout'
  | 'HttpError'
  | 'InvalidResponse'
  | (string & {});

/** A failed API call: the API's `{ message, code }` body, or what went wrong on the way. */
export class ApiError extends Error {
  override readonly name = 'ApiError';

  constructor(
    message: string,
    /** HTTP status; 0 when no response arrived. */
    readonly status: number,
    readonly code: ApiErrorCode,
    options?: ErrorOptions,
  ) {
    super(message, options);
  }
}

export interface RequestOptions {
  signal?: AbortSignal;
  query?: Record<string, string | number | undefined>;
}

export interface ApiClient {
  get<T>(path: string, options?: RequestOptions): Promise<T>;
  post<T>(path: string, body: unknown, options?: RequestOptions): Promise<T>;
  delete(path: string, options?: RequestOptions): Promise<void>;
}

const requestTimeoutMs = 15_000;

function isApiErrorBody(body: unknown): body is { message: string; code: string } {
  if (typeof body !== 'object' || body === null) return false;
  const { message, code } = body as Record<string, unknown>;
  return typeof message === 'string' && typeof code === 'string';
}

function buildUrl(baseUrl: string, path: string, query: RequestOptions['query']): string {
  const url = new URL(`${baseUrl}${path}`);
  for (const [key, value] of Object.entries(query ?? {})) {
    if (value !== undefined) url.searchParams.set(key, String(value));
  }
  return url.toString();
}

async function readJson(response: Response): Promise<unknown> {
  const text = await response.text();
  if (text === '') return undefined;
  try {
    return JSON.parse(text);
  } catch (cause) {
    throw new ApiError(
      `The API answered HTTP ${response.status} with a body that is not JSON`,
      response.status,
      'InvalidResponse',
      {
        cause,
      },
    );
  }
}

/** A typed fetch wrapper for the REST API at `baseUrl`. */
export function createApiClient(
  baseUrl: string,
  fetchImpl: typeof fetch = (input, init) => fetch(input, init),
): ApiClient {
  async function request<T>(
    method: string,
    path: string,
    body: unknown,
    options: RequestOptions = {},
  ): Promise<T> {
    const timeout = AbortSignal.timeout(requestTimeoutMs);
    const signal = options.signal ? AbortSignal.any([options.signal, timeout]) : timeout;
    const init: RequestInit = { method, signal, headers: { accept: 'application/json' } };
    if (body !== undefined) {
      init.headers = { accept: 'application/json', 'content-type': 'application/json' };
      init.body = JSON.stringify(body);
    }

    let response: Response;
    try {
      response = await fetchImpl(buildUrl(baseUrl, path, options.query), init);
    } catch (cause) {
      if (timeout.aborted) {
        throw new ApiError(`The API did not answer within ${requestTimeoutMs / 1000} s`, 0, 'Timeout', {
          cause,
        });
      }
      // The caller gave up: let its AbortError through untouched.
      if (options.signal?.aborted) throw cause;
      throw new ApiError(`Could not reach the API at ${baseUrl}`, 0, 'NetworkError', { cause });
    }

    if (response.status === 204) return undefined as T;
    const payload = await readJson(response);
    if (response.ok) return payload as T;
    if (isApiErrorBody(payload)) throw new ApiError(payload.message, response.status, payload.code);
    throw new ApiError(`The API answered HTTP ${response.status}`, response.status, 'HttpError');
  }

  return {
    get: (path, options) => request('GET', path, undefined, options),
    post: (path, body, options) => request('POST', path, body, options),
    delete: (path, options) => request('DELETE', path, undefined, options),
  };
}

/** The API client for the configured `apiUrl`. */
export function useApi(): ApiClient {
  return createApiClient(useConfig().apiUrl);
}
