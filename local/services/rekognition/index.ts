import { createServer } from 'node:http';
import { DEFAULT_IDLE_MINUTES } from '../../config.js';
import { awsRequestListener } from '../../kit/index.js';
import { close, listen } from '../../listen.js';
import type { Resolved, TemplateModel } from '../../template/types.js';
import type { LocalService, RunningService, ServiceContext } from '../../types.js';
import { imageTooLarge, internalError, serializationError, unknownOperation } from './errors.js';
import { ImageSource, MAX_BYTES_IMAGE } from './images.js';
import { type ModelState, type ModelsReady, ModelWorker } from './model-worker.js';
import { rekognitionOperations } from './operations.js';

export { toRekognitionLabels } from './labels.js';
export { toModerationResult } from './moderation.js';

/** The JSON protocol's target: `X-Amz-Target: RekognitionService.DetectLabels`. */
const TARGET = 'RekognitionService';
/** A base64 image of 5 MB and the JSON around it. */
const MAX_REQUEST_BYTES = Math.ceil((MAX_BYTES_IMAGE * 4) / 3) + 64 * 1024;

/** The running Rekognition service. */
export interface RekognitionService extends RunningService {
  /** Whether the models are loaded: nothing loads until the first detection request. */
  readonly modelState: ModelState;
  /** Loads the models now (once), resolving with the load time and the process RSS then. */
  load(): Promise<ModelsReady>;
}

/** Policy templates and actions that show a function calls Rekognition's detection APIs. */
const POLICY_HINTS = ['RekognitionDetectOnlyPolicy', 'RekognitionLabelsPolicy', 'rekognition:Detect'];

/** True when some function's Policies grant Rekognition's detection APIs. */
export function usesRekognition(model: TemplateModel): boolean {
  return model.functions.some((fn) => {
    const policies: Resolved | undefined = model.resources.get(fn.logicalId)?.properties.Policies;
    const text = JSON.stringify(policies ?? null);
    return POLICY_HINTS.some((hint) => text.includes(hint));
  });
}

/**
 * Rekognition for the local cloud: DetectLabels and DetectModerationLabels in Rekognition's JSON 1.1
 * protocol, answered by real models (CenterNet COCO-80 and nsfwjs's MobileNetV2 on tfjs WebAssembly) in a
 * worker thread started by the first request, which waits until the models are ready (about a second,
 * some 300 MB that an idle local cloud does not hold).
 */
export function createRekognitionService(): LocalService {
  return { name: 'rekognition', needed: usesRekognition, start: startRekognition };
}

/** The Rekognition service, for the orchestrator. */
export const rekognitionService: LocalService = createRekognitionService();

async function startRekognition(ctx: ServiceContext): Promise<RekognitionService> {
  let stopping = false;
  // Idle models end as an idle execution environment does (kumo.local.json functions.idleMinutes).
  const idleMinutes = ctx.config.functions?.idleMinutes ?? DEFAULT_IDLE_MINUTES;
  const models = new ModelWorker({
    idleMs: idleMinutes * 60_000,
    onLoad: (ready, again) => {
      ctx.log.info(
        `rekognition: ${again ? 'a request after idle time' : 'first request'}: loading models (CenterNet COCO-80, NSFW MobileNetV2)…`,
      );
      ready.then(
        ({ loadMs, rssMb }) =>
          ctx.log.info(`rekognition: models ready in ${loadMs} ms (process RSS ${rssMb} MB)`),
        (error: Error) => {
          if (!stopping) ctx.log.error(`rekognition: the models did not load: ${error.message}`);
        },
      );
    },
    onUnload: () => ctx.log.info(`rekognition: models unloaded after ${idleMinutes} min without a request`),
  });
  const images = new ImageSource(() => ctx.endpoints.s3, ctx.model.region);
  const operations = rekognitionOperations({ models, images, log: ctx.log });
  const server = createServer(
    awsRequestListener({
      name: 'rekognition',
      operations,
      json: { target: TARGET, version: '1.1' },
      errorShape: { messageKeys: ['Message'], errorTypeHeader: true },
      // A base64 image over 5 MB is refused whole, as Rekognition does.
      maxBodyBytes: MAX_REQUEST_BYTES,
      errors: {
        unknownOperation: (operation) =>
          unknownOperation(`${TARGET}.${operation} is not supported by the local cloud`),
        notServed: () => unknownOperation('Unknown operation'),
        malformed: serializationError,
        tooLarge: imageTooLarge,
        internal: () => internalError(),
      },
      log: ctx.log,
    }),
  );
  let url: string;
  try {
    url = await listen(server, ctx.host, ctx.port('rekognition'), 'rekognition', {
      guard: ctx.guard,
      errors: 'aws',
    });
  } catch (error) {
    await models.stop();
    throw error;
  }
  return {
    name: 'rekognition',
    endpointKey: 'rekognition',
    url,
    get modelState() {
      return models.state;
    },
    load: () => models.load(),
    async stop() {
      stopping = true;
      await close(server);
      images.destroy();
      await models.stop();
    },
  };
}
