/**
 * The worker side of the shared local cloud (see test/helpers/local-cloud.ts for when a file uses it, and
 * test/helpers/shared-cloud-setup.ts for the process that holds it).
 */
import { expect, inject } from 'vitest';
import type { LocalCloud } from '../../local/index.js';
import type { ResourceModel, TemplateModel } from '../../local/template/types.js';
import type { InvokeResult } from '../../local/types.js';
import type { CloudView } from './local-cloud.js';

declare module 'vitest' {
  export interface ProvidedContext {
    /** Where the shared local cloud's broker listens, and the secret it asks for. */
    kumoSharedCloud: { url: string; secret: string };
  }
}

/** The shared cloud as its broker describes it (JSON: the model's resources Map as entries). */
export interface SharedCloudDescription {
  dataDir: string;
  token: string;
  endpoints: LocalCloud['endpoints'];
  webOrigins: string[];
  model: Omit<TemplateModel, 'resources'> & { resources: [string, ResourceModel][] };
}

/** The shared cloud of this run, as a test file sees it. */
export interface SharedCloud extends CloudView {
  /** Its data folder (`data/cognito/signing-key.json`, `endpoints.json`). */
  dataDir: string;
  /** Runs a function once with `event`, as the cloud's own invoker does. */
  invoke(logicalId: string, event: unknown): Promise<InvokeResult>;
  /** Every trace document recorded so far, by every file on the shared cloud. */
  traces(): Promise<unknown[]>;
}

/** The header that carries the broker's secret (test/helpers/shared-cloud-setup.ts). */
export const SHARED_CLOUD_SECRET_HEADER = 'x-kumo-shared-cloud';

/**
 * The local cloud shared by every file of this `vitest run` that asks for it (see the top of this file),
 * started by the first that does. Call it in `beforeAll`; nothing to close.
 */
export async function sharedCloud(): Promise<SharedCloud> {
  const broker = inject('kumoSharedCloud');
  if (!broker)
    throw new Error('no shared cloud broker: vitest.config.ts must list test/helpers/shared-cloud-setup.ts');
  const call = async <T>(method: string, route: string, body?: unknown): Promise<T> => {
    const response = await fetch(`${broker.url}${route}`, {
      method,
      headers: { [SHARED_CLOUD_SECRET_HEADER]: broker.secret, 'Content-Type': 'application/json' },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    const text = await response.text();
    if (!response.ok) throw new Error(`shared cloud: ${route}: ${response.status} ${text}`);
    return JSON.parse(text) as T;
  };
  // The asking file: the broker counts the files that used the cloud.
  const described = await call<SharedCloudDescription>('POST', '/cloud', {
    file: expect.getState().testPath ?? 'unknown',
  });
  return {
    model: { ...described.model, resources: new Map(described.model.resources) },
    token: described.token,
    endpoints: described.endpoints,
    guard: { webOrigins: described.webOrigins },
    dataDir: described.dataDir,
    invoke: (logicalId, event) => call<InvokeResult>('POST', '/invoke', { logicalId, event }),
    traces: () => call<unknown[]>('GET', '/traces'),
  };
}
