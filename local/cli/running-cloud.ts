import { type CloudEndpoints, readEndpointsFile } from '../endpoints-file.js';

export type { CloudEndpoints } from '../endpoints-file.js';

/**
 * The endpoints of the local cloud running from this root, if one is: `.kumo/endpoints.json` exists
 * and `GET <web>/_kumo/health` answers 200 (a stale file left by a killed cloud does not count).
 */
export async function findRunningCloud(
  kumoDir: string,
  timeoutMs = 1_500,
): Promise<CloudEndpoints | undefined> {
  const endpoints = await readEndpointsFile(kumoDir);
  if (endpoints?.web === undefined) return undefined;
  try {
    const response = await fetch(`${endpoints.web}/_kumo/health`, { signal: AbortSignal.timeout(timeoutMs) });
    await response.body?.cancel();
    return response.status === 200 ? endpoints : undefined;
  } catch {
    return undefined;
  }
}
