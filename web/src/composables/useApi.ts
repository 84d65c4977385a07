import { useRouter } from 'vue-router';
import { sessionExpiredMessage, useAuthStore } from '../stores/auth';
import { useConfig } from './useConfig';

/** Error codes the API sends (docs/health-api.md, docs/photos-api.yaml), plus the ones this client adds. */
export type ApiErrorCode =
  | 'ValidationError'
  | 'Unauthorized'
  | 'Forbidden'
  | 'NotFound'
  | 'Conflict'
  | 'QuotaExceeded'
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

/** Where the client gets the `Authorization` header from, and what it does when the API refuses it. */
export interface ApiAuth {
  /** The ID token to send; undefined when signed out (the request goes without one). */
  idToken(): Promise<string | undefined>;
  /** After a 401: a renewed ID token, or undefined when the session is over. */
  refresh(): Promise<string | undefined>;
  /** The API refused the request even with a renewed token (`hadToken`), or without any token. */
  onUnauthorized(hadToken: boolean): void;
}

export interface ApiClientOptions {
  fetchImpl?: typeof fetch;
  auth?: ApiAuth;
}

export interface ApiClient {
  get<T>(path: string, options?: RequestOptions): Promise<T>;
  post<T>(path: string, body: unknown, options?: RequestOptions): Promise<T>;
  patch<T>(path: string, body: unknown, options?: RequestOptions): Promise<T>;
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

/**
 * A typed fetch wrapper for the REST API at `baseUrl`. With `auth`, every request carries the ID token
 * in `Authorization` (as API Gateway's Cognito authorizer expects: the bare token); a 401 renews the
 * token and retries once, and a second 401 hands over to `auth.onUnauthorized()`.
 */
export function createApiClient(baseUrl: string, clientOptions: ApiClientOptions = {}): ApiClient {
  const fetchImpl = clientOptions.fetchImpl ?? ((input, init) => fetch(input, init));
  const auth = clientOptions.auth;

  async function send(
    method: string,
    path: string,
    body: unknown,
    options: RequestOptions,
    token: string | undefined,
  ): Promise<Response> {
    const timeout = AbortSignal.timeout(requestTimeoutMs);
    const signal = options.signal ? AbortSignal.any([options.signal, timeout]) : timeout;
    const headers: Record<string, string> = { accept: 'application/json' };
    if (token) headers.authorization = token;
    const init: RequestInit = { method, signal, headers };
    if (body !== undefined) {
      headers['content-type'] = 'application/json';
      init.body = JSON.stringify(body);
    }
    try {
      return await fetchImpl(buildUrl(baseUrl, path, options.query), init);
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
  }

  async function renewedToken(): Promise<string | undefined> {
    try {
      return await auth?.refresh();
    } catch (cause) {
      const message = cause instanceof Error ? cause.message : String(cause);
      throw new ApiError(`Could not renew your session: ${message}`, 0, 'NetworkError', { cause });
    }
  }

  async function request<T>(
    method: string,
    path: string,
    body: unknown,
    options: RequestOptions = {},
  ): Promise<T> {
    const token = await auth?.idToken();
    let response = await send(method, path, body, options, token);
    if (response.status === 401 && auth) {
      const renewed = token ? await renewedToken() : undefined;
      if (renewed) response = await send(method, path, body, options, renewed);
      if (response.status === 401) {
        auth.onUnauthorized(token !== undefined);
        throw new ApiError(token ? sessionExpiredMessage : 'Sign in to do this.', 401, 'Unauthorized');
      }
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
    patch: (path, body, options) => request('PATCH', path, body, options),
    delete: (path, options) => request('DELETE', path, undefined, options),
  };
}

/** The API client for the configured `apiUrl`, signed in as the current user (when there is one). */
export function useApi(): ApiClient {
  const auth = useAuthStore();
  const router = useRouter();
  return createApiClient(useConfig().apiUrl, {
    auth: {
      idToken: () => auth.idToken(),
      refresh: () => auth.refresh(),
      onUnauthorized: (hadToken) => {
        if (hadToken) auth.expire();
        const current = router.currentRoute.value;
        if (current.meta.guestOnly) return;
        void router.push({ name: 'sign-in', query: { redirect: current.fullPath } });
      },
    },
  });
}
