import type { LocalLogger } from '../../types.js';
import { internalError, invalidImageFormat, invalidParameter } from './errors.js';
import type { ImageSource } from './images.js';
import { toRekognitionLabels } from './labels.js';
import type { ModelWorker } from './model-worker.js';
import { MODERATION_MODEL_VERSION, toModerationResult } from './moderation.js';

/** The version string DetectLabels reports. */
export const LABEL_MODEL_VERSION = '3.0';

export type Operation = (input: Record<string, unknown>) => Promise<Record<string, unknown>>;

function optionalNumber(
  input: Record<string, unknown>,
  name: string,
  min: number,
  max: number,
): number | undefined {
  const value = input[name];
  if (value === undefined) return undefined;
  if (typeof value !== 'number' || Number.isNaN(value) || value < min || value > max) {
    throw invalidParameter(`${name} must be a number between ${min} and ${max}`);
  }
  return value;
}

const round = (n: number) => Math.round(n * 1e4) / 1e4;

/** DetectLabels and DetectModerationLabels over the worker's models. */
export function rekognitionOperations(deps: {
  models: ModelWorker;
  images: ImageSource;
  log: LocalLogger;
}): Record<string, Operation> {
  const run = async (input: Record<string, unknown>, what: { labels: boolean; moderation: boolean }) => {
    const image = await deps.images.read(input.Image);
    const result = await deps.models.detect(image, what);
    if (!result.ok) {
      if (result.code === 'InvalidImageFormatException') throw invalidImageFormat();
      throw internalError(result.message);
    }
    return result;
  };

  return {
    async DetectLabels(input) {
      const maxLabels = optionalNumber(input, 'MaxLabels', 0, 1000);
      const minConfidence = optionalNumber(input, 'MinConfidence', 0, 100);
      const result = await run(input, { labels: true, moderation: false });
      const labels = toRekognitionLabels(result.detections ?? [], { maxLabels, minConfidence });
      for (const label of labels) {
        label.Confidence = round(label.Confidence);
        for (const instance of label.Instances) {
          instance.Confidence = round(instance.Confidence);
          const box = instance.BoundingBox;
          instance.BoundingBox = {
            Width: round(box.Width),
            Height: round(box.Height),
            Left: round(box.Left),
            Top: round(box.Top),
          };
        }
      }
      const summary = labels.length
        ? labels
            .slice(0, 5)
            .map((l) => `${l.Name} ${l.Confidence.toFixed(1)}`)
            .join(', ')
        : 'no labels';
      deps.log.event(
        'rekognition',
        `DetectLabels ${result.width}×${result.height}: ${summary} (${result.inferenceMs} ms)`,
      );
      return { Labels: labels, LabelModelVersion: LABEL_MODEL_VERSION };
    },

    async DetectModerationLabels(input) {
      const minConfidence = optionalNumber(input, 'MinConfidence', 0, 100);
      const result = await run(input, { labels: false, moderation: true });
      const moderation = toModerationResult(result.nsfw ?? [], minConfidence ?? 50);
      const labels = moderation.ModerationLabels.map((l) => ({ ...l, Confidence: round(l.Confidence) }));
      const summary = labels.length
        ? labels.map((l) => `${l.Name} ${l.Confidence.toFixed(1)}`).join(', ')
        : 'nothing';
      deps.log.event(
        'rekognition',
        `DetectModerationLabels ${result.width}×${result.height}: ${summary} (${result.inferenceMs} ms)`,
      );
      return {
        ModerationLabels: labels,
        ModerationModelVersion: MODERATION_MODEL_VERSION,
        ContentTypes: moderation.ContentTypes.map((c) => ({ ...c, Confidence: round(c.Confidence) })),
      };
    },
  };
}
