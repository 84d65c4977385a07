/**
 * The Rekognition models, in a worker thread: CenterNet (COCO-80, from @vladmandic/human) and nsfwjs's
 * MobileNetV2 on tfjs's WebAssembly backend, loaded once, then one message per image. Not imported by
 * the local cloud: `model-worker.ts` bundles this file and runs it with the module paths in workerData.
 */
import { readFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { parentPort, workerData } from 'node:worker_threads';
import type { Detection } from './labels.js';
import type { NsfwPrediction } from './moderation.js';
import {
  MAX_INFERENCE_SIDE,
  type WorkerMessage,
  type WorkerPaths,
  type WorkerRequest,
} from './worker-protocol.js';

// biome-ignore lint/suspicious/noExplicitAny: tfjs, human and nsfwjs are loaded by path at run time.
type Any = any;

const paths = (workerData as { paths: WorkerPaths }).paths;
const load = createRequire(paths.tfjs);
const port = parentPort;
if (!port) throw new Error('worker.ts runs only as a worker thread');

function post(message: WorkerMessage): void {
  port?.postMessage(message);
}

/** tfjs without tfjs-node has no file:// loader: read graph models (JSON + weight shards) from disk. */
function registerFileLoader(tf: Any): void {
  tf.io.registerLoadRouter((url: unknown) => {
    const target = Array.isArray(url) ? url[0] : url;
    if (typeof target !== 'string' || !target.startsWith('file://')) return null;
    const file = target.slice('file://'.length);
    return {
      load: async () => {
        const json = JSON.parse(await readFile(file, 'utf8'));
        const specs: unknown[] = [];
        const buffers: Buffer[] = [];
        for (const group of json.weightsManifest ?? []) {
          specs.push(...group.weights);
          for (const shard of group.paths) buffers.push(await readFile(path.join(path.dirname(file), shard)));
        }
        const weights = Buffer.concat(buffers);
        return {
          modelTopology: json.modelTopology,
          format: json.format,
          generatedBy: json.generatedBy,
          convertedBy: json.convertedBy,
          signature: json.signature,
          userDefinedMetadata: json.userDefinedMetadata,
          weightSpecs: specs,
          weightData: weights.buffer.slice(weights.byteOffset, weights.byteOffset + weights.byteLength),
        };
      },
    };
  });
}

async function loadModels() {
  const started = performance.now();
  const tf = load(paths.tfjs);
  load(paths.wasmBackend);
  registerFileLoader(tf);
  const { Human } = load(paths.human);
  const human = new Human({
    backend: 'wasm',
    wasmPath: paths.wasmDir,
    modelBasePath: `file://${paths.humanModels}/`,
    debug: false,
    async: true,
    warmup: 'none',
    cacheModels: false,
    // Every request is a new photo: none of human's video-frame caching.
    cacheSensitivity: 0,
    skipAllowed: false,
    face: { enabled: false },
    body: { enabled: false },
    hand: { enabled: false },
    gesture: { enabled: false },
    segmentation: { enabled: false },
    filter: { enabled: false },
    object: {
      enabled: true,
      modelPath: 'centernet.json',
      minConfidence: 0.1,
      maxDetected: 25,
      iouThreshold: 0.4,
      skipFrames: 0,
      skipTime: 0,
    },
  });
  await human.init();
  await human.load();
  const nsfwjs = await import(pathToFileURL(paths.nsfwjs).href);
  // nsfwjs prints a notice about hosting models on every load; it is noise here.
  const info = console.info;
  console.info = () => undefined;
  let nsfw: Any;
  try {
    nsfw = await nsfwjs.load('MobileNetV2');
  } finally {
    console.info = info;
  }
  const sharp = load(paths.sharp);
  return { tf, human, nsfw, sharp, loadMs: Math.round(performance.now() - started) };
}

type Models = Awaited<ReturnType<typeof loadModels>>;

/** Decodes and scales the image (EXIF orientation applied), or says it is not a JPEG or PNG. */
async function decode(models: Models, image: Uint8Array) {
  let meta: Any;
  try {
    meta = await models.sharp(image).metadata();
  } catch {
    return undefined;
  }
  if (meta.format !== 'jpeg' && meta.format !== 'png') return undefined;
  try {
    const { data, info } = await models
      .sharp(image)
      .rotate()
      .resize({
        width: MAX_INFERENCE_SIDE,
        height: MAX_INFERENCE_SIDE,
        fit: 'inside',
        withoutEnlargement: true,
      })
      .removeAlpha()
      .raw()
      .toBuffer({ resolveWithObject: true });
    return { data: data as Buffer, width: info.width as number, height: info.height as number };
  } catch {
    return undefined;
  }
}

/**
 * CenterNet on the image letterboxed to a square: the detector stretches its input to a square, and a
 * stretched cat reads as a dog. Boxes come back as fractions of the original image.
 */
async function detectObjects(models: Models, pixels: { data: Buffer; width: number; height: number }) {
  const side = Math.max(pixels.width, pixels.height);
  const left = Math.floor((side - pixels.width) / 2);
  const top = Math.floor((side - pixels.height) / 2);
  const square = await models
    .sharp(pixels.data, { raw: { width: pixels.width, height: pixels.height, channels: 3 } })
    .extend({
      left,
      right: side - pixels.width - left,
      top,
      bottom: side - pixels.height - top,
      background: { r: 0, g: 0, b: 0 },
    })
    .raw()
    .toBuffer();
  const tensor = models.tf.tensor4d(new Uint8Array(square), [1, side, side, 3], 'int32');
  try {
    const result = await models.human.detect(tensor);
    return (result.object ?? []).map((o: Any): Detection => {
      const [x, y, w, h] = o.boxRaw as [number, number, number, number];
      return {
        label: o.label,
        score: o.score,
        box: {
          left: (x * side - left) / pixels.width,
          top: (y * side - top) / pixels.height,
          width: (w * side) / pixels.width,
          height: (h * side) / pixels.height,
        },
      };
    });
  } finally {
    tensor.dispose();
  }
}

async function classifyNsfw(models: Models, pixels: { data: Buffer; width: number; height: number }) {
  const tensor = models.tf.tensor3d(new Uint8Array(pixels.data), [pixels.height, pixels.width, 3], 'int32');
  try {
    return (await models.nsfw.classify(tensor, 5)) as NsfwPrediction[];
  } finally {
    tensor.dispose();
  }
}

async function handle(models: Models, request: WorkerRequest): Promise<WorkerMessage> {
  const started = performance.now();
  const pixels = await decode(models, request.image);
  if (!pixels) {
    return {
      type: 'result',
      id: request.id,
      ok: false,
      code: 'InvalidImageFormatException',
      message: 'Request has invalid image format',
    };
  }
  const detections = request.labels ? await detectObjects(models, pixels) : undefined;
  const nsfw = request.moderation ? await classifyNsfw(models, pixels) : undefined;
  return {
    type: 'result',
    id: request.id,
    ok: true,
    width: pixels.width,
    height: pixels.height,
    detections,
    nsfw,
    inferenceMs: Math.round(performance.now() - started),
  };
}

loadModels().then(
  (models) => {
    post({ type: 'ready', loadMs: models.loadMs, rssMb: Math.round(process.memoryUsage().rss / 1e6) });
    // One image at a time: the wasm backend is single-threaded, and so is this worker.
    let queue = Promise.resolve();
    port.on('message', (request: WorkerRequest) => {
      queue = queue.then(() =>
        handle(models, request).then(post, (error: unknown) =>
          post({
            type: 'result',
            id: request.id,
            ok: false,
            code: 'InternalServerError',
            message: String(error),
          }),
        ),
      );
    });
  },
  (error: unknown) =>
    post({ type: 'load-failed', message: error instanceof Error ? error.message : String(error) }),
);
