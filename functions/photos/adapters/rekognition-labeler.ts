/**
 * {@link ImageLabeler} over Rekognition: DetectLabels and DetectModerationLabels at once, on the image
 * bytes sent in the request (`Image.Bytes`, at most 5 MB): the labels are those of exactly the bytes
 * that get published, never of an S3 object that could be replaced meanwhile.
 */
import {
  DetectLabelsCommand,
  DetectModerationLabelsCommand,
  type RekognitionClient,
} from '@aws-sdk/client-rekognition';
import { judgeModeration, toPhotoLabels } from '../domain/labels.js';
import type { DetectionResult, ImageLabeler } from '../domain/ports.js';

/** Rekognition errors that mean "this image will never work", not "try again". */
const REFUSALS: Record<string, string> = {
  InvalidImageFormatException: 'Rekognition cannot read this image format',
  ImageTooLargeException: 'The image is too large for Rekognition',
};

/** Options of {@link RekognitionLabeler}. */
export interface RekognitionLabelerOptions {
  maxLabels: number;
  minConfidence: number;
  moderationMinConfidence: number;
}

/** DetectLabels + DetectModerationLabels. */
export class RekognitionLabeler implements ImageLabeler {
  public constructor(
    private readonly client: RekognitionClient,
    private readonly options: RekognitionLabelerOptions,
  ) {}

  public async detect(bytes: Uint8Array): Promise<DetectionResult> {
    const image = { Bytes: bytes };
    try {
      const [labels, moderation] = await Promise.all([
        this.client.send(
          new DetectLabelsCommand({
            Image: image,
            MaxLabels: this.options.maxLabels,
            MinConfidence: this.options.minConfidence,
          }),
        ),
        this.client.send(
          new DetectModerationLabelsCommand({
            Image: image,
            // Ask for everything worth showing the owner; judgeModeration applies the threshold.
            MinConfidence: Math.min(50, this.options.moderationMinConfidence),
          }),
        ),
      ]);
      return {
        ok: true,
        detection: {
          labels: toPhotoLabels(labels.Labels ?? []),
          moderation: judgeModeration(
            moderation.ModerationLabels ?? [],
            this.options.moderationMinConfidence,
          ),
        },
      };
    } catch (error) {
      const refusal = error instanceof Error ? REFUSALS[error.name] : undefined;
      if (refusal === undefined) throw error;
      return {
        ok: false,
        rejection: { code: 'RekognitionRefused', reason: `${refusal} (${(error as Error).message})` },
      };
    }
  }
}
