import { type CloudEndpoints, readEndpointsFile } from '../endpoints-file.js';
import type { RemoteInvocation } from '../web/invoke-route.js';

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

/** Why the running cloud did not run the invocation (`npm run invoke` then says so, or runs it itself). */
export class CloudInvokeError extends Error {
  override readonly name = 'CloudInvokeError';
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
  ) {
    super(message);
  }
}

/**
 * Invokes a function through the running cloud's warm execution environments
 * (`POST /_kumo/invoke/<LogicalId>` with the run's token). Undefined when that cloud does not listen
 * any more (nothing ran); a CloudInvokeError when it refused the request (the function did not run).
 */
export async function invokeThroughCloud(
  endpoints: CloudEndpoints,
  logicalId: string,
  event: unknown,
): Promise<RemoteInvocation | undefined> {
  if (!endpoints.web || !endpoints.token) return undefined;
  let response: Response;
  try {
    response = await fetch(`${endpoints.web}/_kumo/invoke/${encodeURIComponent(logicalId)}`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json', 'X-Kumo-Token': endpoints.token },
      body: JSON.stringify(event ?? null),
    });
  } catch (error) {
    if ((error as { cause?: { code?: string } }).cause?.code === 'ECONNREFUSED') return undefined;
    throw error;
  }
  const body = (await response.json().catch(() => ({}))) as Record<string, unknown>;
  if (response.status !== 200) {
    throw new CloudInvokeError(
      response.status,
      String(body.code ?? 'Error'),
      String(body.message ?? `the local cloud answered ${response.status}`),
    );
  }
  return body as unknown as RemoteInvocation;
}
