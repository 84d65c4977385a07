import { fileURLToPath } from 'node:url';
import type { LocalConfig } from '../config.js';
import type { HttpGuardOptions } from '../guard/index.js';
// Only light modules here: the emulators' packages (dynalite, s3rver, cognito-local) load in their
// threads, not on the main thread (40 MB and a second of start-up spared); the in-process fallbacks are
// imported when used.
import { usesCognito } from '../services/cognito/template-pools.js';
import { releaseOwnLock } from '../services/dynamodb/data-lock.js';
import { usesS3 } from '../services/s3/buckets.js';
import { startS3Notifications } from '../services/s3/deliveries.js';
import type { ObjectChange } from '../services/s3/notifications.js';
import type { TemplateModel } from '../template/types.js';
import type { LocalService, RunningService, ServiceContext } from '../types.js';

/** The emulators that run in worker threads. */
export type EmulatorName = 'dynamodb' | 's3' | 'cognito';

/** What an emulator's worker thread starts from (structured-clonable: the worker rebuilds the rest). */
export interface EmulatorInit {
  service: EmulatorName;
  model: TemplateModel;
  host: string;
  port: number;
  /** The service's own data folder. */
  dataDir: string;
  fresh: boolean;
  config: LocalConfig;
  endpoints: Record<string, string>;
  /** The guard is rebuilt from its options: Host, Origin and token checks as on the main thread. */
  guard: HttpGuardOptions;
}

/**
 * Each emulator's worker entry: one module each, so a thread loads only its own emulator's packages
 * (dynalite, s3rver or cognito-local).
 */
export const WORKER_ENTRIES: Readonly<Record<EmulatorName, string>> = {
  dynamodb: fileURLToPath(new URL('./dynamodb-worker.ts', import.meta.url)),
  s3: fileURLToPath(new URL('./s3-worker.ts', import.meta.url)),
  cognito: fileURLToPath(new URL('./cognito-worker.ts', import.meta.url)),
};

function emulatorInit(ctx: ServiceContext, service: EmulatorName): EmulatorInit {
  return {
    service,
    model: ctx.model,
    host: ctx.host,
    port: ctx.port(service),
    dataDir: ctx.dataDir(service),
    fresh: ctx.fresh,
    config: ctx.config,
    endpoints: { ...ctx.endpoints },
    guard: { token: ctx.guard.token, webOrigins: ctx.guard.webOrigins, hosts: [ctx.host] },
  };
}

/** What the main thread keeps of an emulator that runs in a worker: its hooks into the functions. */
interface MainThreadPart {
  onNotice?: (topic: string, data: unknown) => void;
  stop(): Promise<void>;
}

/** An emulator the supervisor runs in a worker thread. */
interface OffThreadSpec {
  name: EmulatorName;
  /** False when the template declares nothing it serves (as the in-process service says). */
  needed(model: TemplateModel): boolean;
  /** The same service in-process, for a context without a supervisor (single-service tests). */
  inProcess(): Promise<LocalService>;
  /** The part that must stay with the functions (S3's notifications); none by default. */
  mainThread?(ctx: ServiceContext): MainThreadPart;
}

/** `spec`'s emulator in a worker thread of `ctx.workers` (the supervisor); in-process without one. */
function offThread(spec: OffThreadSpec): LocalService {
  const { name } = spec;
  return {
    name,
    needed: (model) => spec.needed(model),
    async start(ctx): Promise<RunningService> {
      const workers = ctx.workers;
      if (!workers) return (await spec.inProcess()).start(ctx);
      const part = spec.mainThread?.(ctx) ?? { stop: async () => {} };
      try {
        const worker = await workers.start({
          name,
          entry: WORKER_ENTRIES[name],
          init: emulatorInit(ctx, name),
          ...(part.onNotice ? { onNotice: part.onNotice } : {}),
        });
        const webConfig = worker.webConfig;
        return {
          name,
          ...(worker.endpointKey ? { endpointKey: worker.endpointKey } : {}),
          url: worker.url,
          ...(webConfig ? { webConfig: () => webConfig } : {}),
          async stop() {
            await worker.stop();
            await part.stop();
          },
        };
      } catch (error) {
        await part.stop();
        throw error;
      }
    },
  };
}

/** DynamoDB (dynalite and its LevelDB) in a worker thread; a thread that crashed leaves no lock behind. */
export const dynamodbWorkerService: LocalService = offThread({
  name: 'dynamodb',
  needed: (model) => model.tables.length > 0,
  inProcess: async () => (await import('../services/dynamodb/index.js')).dynamodbService,
  mainThread: (ctx) => ({ stop: () => releaseOwnLock(ctx.dataDir('dynamodb')) }),
});

/**
 * S3 (s3rver and the SigV4 front) in a worker thread; its object changes come back as notices and are
 * delivered to the functions' S3 event sources here, where the function runner is.
 */
export const s3WorkerService: LocalService = offThread({
  name: 's3',
  needed: usesS3,
  inProcess: async () => (await import('../services/s3/index.js')).s3Service,
  mainThread: (ctx) => {
    const notifications = startS3Notifications(ctx);
    return {
      onNotice: (topic, data) => {
        if (topic === 'object-change') notifications.deliver(data as ObjectChange);
      },
      stop: () => notifications.stop(),
    };
  },
});

/** Cognito user pools (cognito-local, token signing) in a worker thread. */
export const cognitoWorkerService: LocalService = offThread({
  name: 'cognito',
  needed: usesCognito,
  inProcess: async () => (await import('../services/cognito/index.js')).cognitoService,
});
