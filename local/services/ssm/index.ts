import { createServer } from 'node:http';
import { close, listen } from '../../listen.js';
import type { TemplateModel } from '../../template/types.js';
import type { LocalService, RunningService, ServiceContext } from '../../types.js';
import { ssmOperations } from './operations.js';
import { ParameterStore } from './parameter-store.js';
import { ssmRequestListener } from './server.js';

/** SAM policy templates and actions by which a function reads Parameter Store. */
const SSM_POLICY = /SSMParameter|ssm:GetParameter/;

/** The running SSM emulator. */
export interface SsmService extends RunningService {
  /** The decrypted value of a parameter, or undefined. */
  valueOf(name: string): string | undefined;
}

/**
 * SSM Parameter Store for the local cloud: the JSON 1.1 protocol of @aws-sdk/client-ssm on its own
 * port, seeded from kumo.local.json `ssmParameters` and the template's `AWS::SSM::Parameter`
 * resources, kept in `.kumo/data/ssm/parameters.json`. Needed when the template declares a parameter
 * or lets a function read one (an SSMParameter… policy template or an `ssm:GetParameter…` action).
 */
export function createSsmService(): LocalService {
  return {
    name: 'ssm',
    needed: (model: TemplateModel) =>
      [...model.resources.values()].some(
        (r) =>
          r.type === 'AWS::SSM::Parameter' ||
          (r.type === 'AWS::Serverless::Function' &&
            SSM_POLICY.test(JSON.stringify(r.properties.Policies ?? null))),
      ),
    start: startSsm,
  };
}

/** The SSM service, for the orchestrator. */
export const ssmService: LocalService = createSsmService();

async function startSsm(ctx: ServiceContext): Promise<SsmService> {
  const store = await ParameterStore.open(ctx.dataDir('ssm'), ctx.fresh);
  for (const [name, seed] of Object.entries(ctx.config.ssmParameters)) {
    const current = tryGet(store, name);
    if (current?.value === seed.value && current.type === seed.type) continue;
    await store.put(
      {
        name,
        type: seed.type,
        value: seed.value,
        keyId: seed.type === 'SecureString' ? 'alias/aws/ssm' : undefined,
      },
      true,
    );
  }
  for (const resource of ctx.model.resources.values()) {
    if (resource.type !== 'AWS::SSM::Parameter') continue;
    const p = resource.properties;
    const name = typeof p.Name === 'string' ? p.Name : `CFN-${resource.logicalId}`;
    const type = p.Type === 'StringList' ? 'StringList' : 'String';
    const value = Array.isArray(p.Value) ? p.Value.join(',') : String(p.Value ?? '');
    if (tryGet(store, name)?.value !== value) {
      await store.put(
        { name, type, value, description: typeof p.Description === 'string' ? p.Description : undefined },
        true,
      );
    }
  }
  const server = createServer(
    ssmRequestListener(
      ssmOperations(store, { region: ctx.model.region, accountId: ctx.model.accountId }),
      ctx.log,
    ),
  );
  const url = await listen(server, ctx.host, ctx.port('ssm'), 'ssm', {
    guard: ctx.guard,
    errors: 'aws',
  });
  return {
    name: 'ssm',
    endpointKey: 'ssm',
    url,
    valueOf: (name) => tryGet(store, name)?.value,
    async stop() {
      await close(server);
      await store.flush();
    },
  };
}

function tryGet(store: ParameterStore, name: string) {
  try {
    return store.get(name);
  } catch {
    return undefined;
  }
}
