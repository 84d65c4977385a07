/**
 * LabelPhotoFunction: S3 ObjectCreated notifications for `uploads/` → check, normalise, label, publish
 * under `photos/` and `thumbnails/`, READY or REJECTED, delete the upload (domain/process-upload.ts).
 * Records it cannot use are logged and skipped; a transient fault throws, so that Lambda retries the
 * (idempotent) invocation, and after the retries the event goes to the OnFailure queue.
 */
import type { S3Event } from 'aws-lambda';
import { documentClient } from '../../lib/clients/dynamodb.js';
import { rekognitionClient } from '../../lib/clients/rekognition.js';
import { s3Client } from '../../lib/clients/s3.js';
import { withPowertools } from '../../lib/middy.js';
import { logger, MetricUnit, metrics } from '../../lib/powertools.js';
import { loadPhotosConfig } from '../adapters/config.js';
import { DynamoPhotoStore } from '../adapters/dynamo-photo-store.js';
import { RekognitionLabeler } from '../adapters/rekognition-labeler.js';
import { S3LabelerObjects } from '../adapters/s3-labeler-objects.js';
import { sharpImages } from '../adapters/sharp-images.js';
import { processUpload, type UploadOutcome } from '../domain/process-upload.js';
import { objectCreatedRecords } from '../domain/s3-event.js';

const config = loadPhotosConfig(process.env);
const objects = new S3LabelerObjects(s3Client, config.bucket);
const deps = {
  store: new DynamoPhotoStore(documentClient, config.table),
  objects,
  images: sharpImages,
  labeler: new RekognitionLabeler(rekognitionClient, {
    maxLabels: config.maxLabels,
    minConfidence: config.minConfidence,
    moderationMinConfidence: config.moderationMinConfidence,
  }),
};

const METRIC: Record<UploadOutcome['status'], string> = {
  ready: 'PhotosReady',
  rejected: 'PhotosRejected',
  duplicate: 'DuplicateDeliveries',
  orphan: 'OrphanObjects',
  missing: 'MissingObjects',
  ignored: 'IgnoredObjects',
};

/** What an invocation did, one entry per record processed. */
export interface LabelPhotoResult {
  outcomes: UploadOutcome[];
  skipped: number;
}

/** The handler before middleware. */
export async function labelPhoto(event: S3Event): Promise<LabelPhotoResult> {
  const { records, skipped } = objectCreatedRecords(event);
  for (const skip of skipped) logger.warn('Skipped record', { index: skip.index, why: skip.why });
  const outcomes: UploadOutcome[] = [];
  for (const record of records) {
    if (record.bucket !== config.bucket) {
      logger.warn('Skipped record of another bucket', { bucket: record.bucket, key: record.key });
      continue;
    }
    const started = Date.now();
    const outcome = await processUpload(deps, record.key);
    outcomes.push(outcome);
    metrics.addMetric(METRIC[outcome.status], MetricUnit.Count, 1);
    if (outcome.status === 'ready') {
      metrics.addMetric('LabelLatency', MetricUnit.Milliseconds, Date.now() - started);
    }
    logger.info('Processed upload', { key: record.key, ...outcome, ms: Date.now() - started });
  }
  return { outcomes, skipped: skipped.length };
}

/** Lambda entry point (template.yaml: `label-photo.handler`). */
export const handler = withPowertools(labelPhoto);
