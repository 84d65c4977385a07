import { fileURLToPath } from 'node:url';
import type { LocalConfig } from '../config.js';
import type { HttpGuardOptions } from '../guard/index.js';
import { cognitoService } from '../services/cognito/index.js';
import { releaseOwnLock } from '../services/dynamodb/data-lock.js';
import { dynamodbService } from '../services/dynamodb/index.js';
import { type ObjectChange, s3Service, startS3Notifications } from '../services/s3/index.js';
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

/**
 * `inProcess`'s emulator in a worker thread of `ctx.workers` (the supervisor), with `mainThread` the part
 * that must stay with the functions (S3's notifications). Without a supervisor (single-service tests) it
 * runs in-process, as `inProcess` does.
 */
function offThread(
  inProcess: LocalService,
  name: EmulatorName,
  mainThread: (ctx: ServiceContext) => MainThreadPart = () => ({ stop: async () => {} }),
): LocalService {
  return {
    name: inProcess.name,
    needed: (model) => inProcess.needed(model),
    async start(ctx): Promise<RunningService> {
      const workers = ctx.workers;
      if (!workers) return inProcess.start(ctx);
      const part = mainThread(ctx);
      try {
        const worker = await workers.start({
          name,
          entry: WORKER_ENTRIES[name],
          init: emulatorInit(ctx, name),
          ...(part.onNotice ? { onNotice: part.onNotice } : {}),
        });
        const webConfig = worker.webConfig;
        return {
          name: inProcess.name,
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
export const dynamodbWorkerService: LocalService = offThread(dynamodbService, 'dynamodb', (ctx) => ({
  stop: () => releaseOwnLock(ctx.dataDir('dynamodb')),
}));

/**
 * S3 (s3rver and the SigV4 front) in a worker thread; its object changes come back as notices and are
 * delivered to the functions' S3 event sources here, where the function runner is.
 */
export const s3WorkerService: LocalService = offThread(s3Service, 's3', (ctx) => {
  const notifications = startS3Notifications(ctx);
  return {
    onNotice: (topic, data) => {
      if (topic === 'object-change') notifications.deliver(data as ObjectChange);
    },
    stop: () => notifications.stop(),
  };
});

/** Cognito user pools (cognito-local, token signing) in a worker thread. */
export const cognitoWorkerService: LocalService = offThread(cognitoService, 'cognito');
