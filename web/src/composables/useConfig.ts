import { type InjectionKey, inject } from 'vue';
import type { AppConfig, AuthConfig } from '../types/config';

/** Why the app could not start: /config.json missing, unreadable or incomplete. */
export class ConfigError extends Error {
  override readonly name = 'ConfigError';

  constructor(
    message: string,
    readonly configUrl: string,
    options?: ErrorOptions,
  ) {
    super(message, options);
  }
}

export const configKey: InjectionKey<AppConfig> = Symbol('kumo-config');

/** Where the app finds its configuration: next to index.html, wherever that is served. */
export const configUrl = `${import.meta.env.BASE_URL}config.json`;

// These stand in when `vite dev` runs
// from VITE_API_URL alone.
const devDefaults = { region: 'us-east-1', stage: 'dev' } as const;

function requireString(raw: Record<string, unknown>, field: string, url: string): string {
  const value = raw[field];
  if (typeof value !== 'string' || value.trim() === '') {
    throw new ConfigError(`config.json: "${field}" must be a non-empty string`, url);
  }
  return value.trim();
}

function normaliseUrl(field: string, value: string, url: string): string {
  let parsed: URL;
  try {
    parsed = new URL(value);
  } catch (cause) {
    throw new ConfigError(`config.json: "${field}" is not a URL: ${value}`, url, { cause });
  }
  if (parsed.protocol !== 'http:' && parsed.protocol !== 'https:') {
    throw new ConfigError(`config.json: "${field}" must be http(s): ${value}`, url);
  }
  // API Gateway stage URLs end in "/Prod/"; paths are joined with a leading slash.
  return value.replace(/\/+$/, '');
}

/**
 * The user pool, when config.json names one. Without `userPoolId` and `userPoolClientId` the app
 * still runs (the status page is public) and says that sign-in is unavailable.
 */
function parseAuth(record: Record<string, unknown>, region: string, url: string): AuthConfig | undefined {
  if (record.userPoolId === undefined && record.userPoolClientId === undefined) return undefined;
  const auth: AuthConfig = {
    region,
    userPoolId: requireString(record, 'userPoolId', url),
    userPoolClientId: requireString(record, 'userPoolClientId', url),
  };
  if (record.cognitoEndpoint !== undefined) {
    auth.endpoint = normaliseUrl('cognitoEndpoint', requireString(record, 'cognitoEndpoint', url), url);
  }
  return auth;
}

/** Validates the parsed body of /config.json; throws a ConfigError naming the bad field. */
export function parseConfig(raw: unknown, url = configUrl): AppConfig {
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) {
    throw new ConfigError('config.json must be a JSON object', url);
  }
  const record = raw as Record<string, unknown>;
  const region = requireString(record, 'region', url);
  const local = record.local === true;
  return {
    apiUrl: normaliseUrl('apiUrl', requireString(record, 'apiUrl', url), url),
    region,
    stage: requireString(record, 'stage', url),
    local,
    ...(local && record.kumoToken !== undefined
      ? { kumoToken: requireString(record, 'kumoToken', url) }
      : {}),
    auth: parseAuth(record, region, url),
  };
}

async function fetchConfig(url: string, fetchImpl: typeof fetch): Promise<unknown> {
  let response: Response;
  try {
    response = await fetchImpl(url, { cache: 'no-store', headers: { accept: 'application/json' } });
  } catch (cause) {
    throw new ConfigError(`Could not reach ${url}`, url, { cause });
  }
  if (!response.ok) {
    throw new ConfigError(`${url} answered HTTP ${response.status}`, url);
  }
  // A server with an SPA fallback answers index.html for a missing config.json.
  const type = response.headers.get('content-type') ?? '';
  if (!type.includes('json')) {
    throw new ConfigError(`${url} is not JSON (content-type "${type || 'none'}"); is it being served?`, url);
  }
  try {
    return await response.json();
  } catch (cause) {
    throw new ConfigError(`${url} is not valid JSON`, url, { cause });
  }
}

/**
 * Loads the runtime configuration. Under `vite dev`, VITE_API_URL overrides `apiUrl`, and stands in
 * for the whole file when none is served.
 */
export async function loadConfig(fetchImpl: typeof fetch = fetch, url = configUrl): Promise<AppConfig> {
  const devApiUrl = import.meta.env.DEV ? import.meta.env.VITE_API_URL : undefined;
  if (!devApiUrl) {
    return parseConfig(await fetchConfig(url, fetchImpl), url);
  }
  let raw: unknown;
  try {
    raw = await fetchConfig(url, fetchImpl);
  } catch (error) {
    if (!(error instanceof ConfigError)) throw error;
    raw = devDefaults;
  }
  const served = typeof raw === 'object' && raw !== null ? raw : {};
  return parseConfig({ ...devDefaults, ...served, apiUrl: devApiUrl }, url);
}

/** The configuration main.ts loaded before mounting the app. */
export function useConfig(): AppConfig {
  const config = inject(configKey);
  if (!config) {
    throw new Error('useConfig() needs the config provided by main.ts (app.provide(configKey, ...))');
  }
  return config;
}
