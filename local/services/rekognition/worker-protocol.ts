import type { Detection } from './labels.js';
import type { NsfwPrediction } from './moderation.js';

/** Absolute paths of what the worker loads (resolved in the main thread, where node_modules is known). */
export interface WorkerPaths {
  tfjs: string;
  wasmBackend: string;
  /** The tfjs-backend-wasm `dist/` folder with the .wasm files, ending in `/`. */
  wasmDir: string;
  /** `@vladmandic/human/dist/human.node-wasm.js` (its `exports` map would give the tfjs-node build). */
  human: string;
  humanModels: string;
  /** nsfwjs's ES module entry (imported, not required). */
  nsfwjs: string;
  sharp: string;
}

/** Longest side the images are scaled to before inference (a 12 MP photo at full size: 1 s, 700 MB). */
export const MAX_INFERENCE_SIDE = 1024;

export type WorkerRequest = {
  id: number;
  image: Uint8Array;
  labels: boolean;
  moderation: boolean;
};

export type WorkerMessage =
  | { type: 'ready'; loadMs: number; rssMb: number }
  | { type: 'load-failed'; message: string }
  | {
      type: 'result';
      id: number;
      ok: true;
      width: number;
      height: number;
      detections?: Detection[];
      nsfw?: NsfwPrediction[];
      inferenceMs: number;
    }
  | {
      type: 'result';
      id: number;
      ok: false;
      code: 'InvalidImageFormatException' | 'InternalServerError';
      message: string;
    };
