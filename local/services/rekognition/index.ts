import { randomUUID } from 'node:crypto';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import { close, listen } from '../../listen.js';
import type { Resolved, TemplateModel } from '../../template/types.js';
import type { LocalService, RunningService, ServiceContext } from '../../types.js';
import { RekognitionError } from './errors.js';
import { ImageSource, MAX_BYTES_IMAGE } from './images.js';
import { ModelWorker } from './model-worker.js';
import { type Operation, rekognitionOperations } from './operations.js';

export { toRekognitionLabels } from './labels.js';
export { toModerationResult } from './moderation.js';

/** The JSON protocol's target prefix: `X-Amz-Target: RekognitionService.DetectLabels`. */
const TARGET_PREFIX = 'RekognitionService.';
/** A base64 image of 5 MB and the JSON around it. */
const MAX_REQUEST_BYTES = Math.ceil((MAX_BYTES_IMAGE * 4) / 3) + 64 * 1024;

/** The running Rekognition service. */
export interface RekognitionService extends RunningService {
  /** Resolves when the models are loaded, with the load time and the process RSS then. */
  ready: Promise<{ loadMs: number; rssMb: number }>;
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
 * worker thread that starts loading at once; requests wait until the models are ready.
 */
export function createRekognitionService(): LocalService {
  return { name: 'rekognition', needed: usesRekognition, start: startRekognition };
}

/** The Rekognition service, for the orchestrator. */
export const rekognitionService: LocalService = createRekognitionService();

async function startRekognition(ctx: ServiceContext): Promise<RekognitionService> {
  const models = await ModelWorker.start();
  ctx.log.info('rekognition: loading models (CenterNet COCO-80, NSFW MobileNetV2) in a worker…');
  models.ready.then(
    ({ loadMs, rssMb }) =>
      ctx.log.info(`rekognition: models ready in ${loadMs} ms (process RSS ${rssMb} MB)`),
    (error: Error) => ctx.log.error(`rekognition: the models did not load: ${error.message}`),
  );
  const images = new ImageSource(() => ctx.endpoints.s3, ctx.model.region);
  const operations = rekognitionOperations({ models, images, log: ctx.log });
  const server = createServer((req, res) => {
    handle(operations, req, res).catch((error: unknown) => {
      ctx.log.error(`rekognition: ${String(error)}`);
      if (!res.headersSent)
        sendError(res, new RekognitionError('InternalServerError', 'Internal server error', 500));
    });
  });
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
    ready: models.ready,
    async stop() {
      await close(server);
      images.destroy();
      await models.stop();
    },
  };
}

async function handle(operations: Record<string, Operation>, req: IncomingMessage, res: ServerResponse) {
  const target = String(req.headers['x-amz-target'] ?? '');
  const body = await readBody(req);
  if (req.method !== 'POST' || !target.startsWith(TARGET_PREFIX)) {
    sendError(res, new RekognitionError('UnknownOperationException', 'Unknown operation'));
    return;
  }
  const operation = operations[target.slice(TARGET_PREFIX.length)];
  if (!operation) {
    sendError(
      res,
      new RekognitionError('UnknownOperationException', `${target} is not supported by the local cloud`),
    );
    return;
  }
  if (body === undefined) {
    sendError(res, new RekognitionError('ImageTooLargeException', 'Image size is too large.'));
    return;
  }
  let input: unknown;
  try {
    input = JSON.parse(body.toString('utf8') || '{}');
  } catch {
    sendError(
      res,
      new RekognitionError('SerializationException', 'Start of structure or map found where not expected.'),
    );
    return;
  }
  try {
    const output = await operation((input ?? {}) as Record<string, unknown>);
    send(res, 200, output);
  } catch (error) {
    if (error instanceof RekognitionError) sendError(res, error);
    else throw error;
  }
}

function readBody(req: IncomingMessage): Promise<Buffer | undefined> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size <= MAX_REQUEST_BYTES) chunks.push(chunk);
    });
    req.on('end', () => resolve(size > MAX_REQUEST_BYTES ? undefined : Buffer.concat(chunks)));
    req.on('error', reject);
  });
}

function send(res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}) {
  const text = JSON.stringify(body);
  res.writeHead(status, {
    'Content-Type': 'application/x-amz-json-1.1',
    'Content-Length': Buffer.byteLength(text),
    'x-amzn-RequestId': randomUUID(),
    ...headers,
  });
  res.end(text);
}

function sendError(res: ServerResponse, error: RekognitionError) {
  send(res, error.status, { __type: error.code, Message: error.message }, { 'x-amzn-ErrorType': error.code });
}
