import { readFile } from 'node:fs/promises';
import path from 'node:path';

/** What a running local cloud writes to `.kumo/endpoints.json`. */
export interface CloudEndpoints {
  web?: string;
  api?: string;
  /** The local X API, when the template has the post pipeline (`${x}` in kumo.local.json). */
  x?: string;
  services: Record<string, string>;
  /** This run's token for the `/_kumo/*` routes (header `X-Kumo-Token`); the file is the user's only. */
  token?: string;
}

/** The `X-Kumo-Token` of the local cloud running from this root (from `.kumo/endpoints.json`), if any. */
export async function readRunToken(kumoDir: string): Promise<string | undefined> {
  try {
    const { token } = JSON.parse(
      await readFile(path.join(kumoDir, 'endpoints.json'), 'utf8'),
    ) as CloudEndpoints;
    return typeof token === 'string' ? token : undefined;
  } catch {
    return undefined;
  }
}

/**
 * The endpoints of the local cloud running from this root, if one is: `.kumo/endpoints.json` exists
 * and `GET <web>/_kumo/health` answers 200 (a stale file left by a killed cloud does not count).
 */
export async function findRunningCloud(
  kumoDir: string,
  timeoutMs = 1_500,
): Promise<CloudEndpoints | undefined> {
  let endpoints: CloudEndpoints;
  try {
    endpoints = JSON.parse(await readFile(path.join(kumoDir, 'endpoints.json'), 'utf8')) as CloudEndpoints;
  } catch {
    return undefined;
  }
  if (typeof endpoints.web !== 'string' || typeof endpoints.services !== 'object') return undefined;
  try {
    const response = await fetch(`${endpoints.web}/_kumo/health`, { signal: AbortSignal.timeout(timeoutMs) });
    await response.body?.cancel();
    return response.status === 200 ? endpoints : undefined;
  } catch {
    return undefined;
  }
}
