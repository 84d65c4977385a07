/**
 * Where the command-line tools find the AWS services and the X API: flags and the environment first,
 * then the running local cloud's `.kumo/endpoints.json` (written by `npm start`).
 */
import { readFile } from 'node:fs/promises';
import path from 'node:path';

export interface LocalEndpoints {
  /** `AWS_ENDPOINT_URL_<KEY>` suffixes in lower case → URL. */
  services: Record<string, string>;
  /** The local X API, when the local cloud serves one. */
  x?: string;
  api?: string;
}

/** `.kumo/endpoints.json` of the running local cloud; undefined when none is running. */
export async function readLocalEndpoints(rootDir = process.cwd()): Promise<LocalEndpoints | undefined> {
  let raw: unknown;
  try {
    raw = JSON.parse(await readFile(path.join(rootDir, '.kumo', 'endpoints.json'), 'utf8'));
  } catch {
    return undefined;
  }
  const value = (raw ?? {}) as { services?: Record<string, unknown>; x?: unknown; api?: unknown };
  const services = Object.fromEntries(
    Object.entries(value.services ?? {}).filter(
      (entry): entry is [string, string] => typeof entry[1] === 'string',
    ),
  );
  const x = typeof value.x === 'string' ? value.x : services.x;
  return {
    services,
    ...(x ? { x } : {}),
    ...(typeof value.api === 'string' ? { api: value.api } : {}),
  };
}

/**
 * Point the SDK at the local cloud: `AWS_ENDPOINT_URL_<KEY>` for each service not already set, dummy
 * credentials and a region when none are configured (the local emulators accept any).
 */
export function useLocalEndpoints(endpoints: LocalEndpoints, env: NodeJS.ProcessEnv = process.env): void {
  for (const [key, url] of Object.entries(endpoints.services)) {
    const name = `AWS_ENDPOINT_URL_${key.toUpperCase()}`;
    env[name] ??= url;
  }
  env.AWS_REGION ??= 'us-east-1';
  if (!env.AWS_ACCESS_KEY_ID && !env.AWS_PROFILE) {
    env.AWS_ACCESS_KEY_ID = 'local';
    env.AWS_SECRET_ACCESS_KEY = 'local';
  }
}

/** The local physical name of a template resource (the template reader's `<stack>-<LogicalId>`). */
export function localResourceName(logicalId: string, stackName = 'kumo-local'): string {
  return `${stackName}-${logicalId}`;
}
