/**
 * The labeler's decision for one uploaded object: check the real bytes, label it, make its thumbnail,
 * and record READY or REJECTED — once. Every write is conditional on the photo still being PENDING, so
 * a second delivery of the same notification (S3 and Lambda both retry) changes nothing.
 */
import { dominantColours } from './colours.js';
import { checkDimensions, checkFileSize, checkMagic, undecodable } from './image-check.js';
import type { ImageLabeler, ImageProcessor, LabelerObjects, PhotoStore } from './ports.js';
import type { Photo, Rejection } from './types.js';
import { parseObjectKey, thumbnailKeyOf } from './upload.js';

/** Longer side of thumbnails. */
export const THUMBNAIL_SIDE_PX = 320;

/** What happened to one object. */
export type UploadOutcome =
  | { status: 'ready'; photoId: string; labels: number; flagged: boolean }
  | { status: 'rejected'; photoId: string; rejection: Rejection }
  /** Already READY or REJECTED: a retry or a duplicate delivery. */
  | { status: 'duplicate'; photoId: string; state: Photo['state'] }
  /** No photo item (deleted, or expired before the upload): the object is removed. */
  | { status: 'orphan'; key: string }
  /** The object is gone (deleted meanwhile): nothing to do. */
  | { status: 'missing'; key: string }
  /** Not a `private/{owner}/{photoId}` key of ours. */
  | { status: 'ignored'; key: string; why: string };

/** What {@link processUpload} works with. */
export interface ProcessUploadDeps {
  store: PhotoStore;
  objects: LabelerObjects;
  images: ImageProcessor;
  labeler: ImageLabeler;
  now?: () => Date;
}

async function reject(
  deps: ProcessUploadDeps,
  photo: Photo,
  rejection: Rejection,
  now: Date,
): Promise<UploadOutcome> {
  if (!(await deps.store.markRejected(photo, rejection, now.toISOString()))) return settled(deps, photo);
  // Keep the item (with its reason) for the owner, not the unusable bytes.
  await deps.objects.remove([photo.objectKey]);
  return { status: 'rejected', photoId: photo.photoId, rejection };
}

/** A decoder's promise as a value: its result, or the first line of its error. */
async function settle<T>(
  promise: Promise<T>,
): Promise<{ ok: true; value: T } | { ok: false; error: string }> {
  try {
    return { ok: true, value: await promise };
  } catch (error) {
    const text = error instanceof Error ? error.message : String(error);
    return { ok: false, error: text.split('\n')[0]?.trim() || 'decoder error' };
  }
}

/** After a conditional write lost: what the photo became (or that it is gone). */
async function settled(deps: ProcessUploadDeps, photo: Photo): Promise<UploadOutcome> {
  const current = await deps.store.get(photo.photoId);
  if (current === undefined) {
    await deps.objects.remove([photo.objectKey, thumbnailKeyOf(photo.ownerId, photo.photoId)]);
    return { status: 'orphan', key: photo.objectKey };
  }
  return { status: 'duplicate', photoId: photo.photoId, state: current.state };
}

/**
 * Process the object `key` (already URL-decoded) of the photos bucket.
 *
 * @throws on transient faults (storage, S3, Rekognition throttling): the invocation is retried
 */
export async function processUpload(deps: ProcessUploadDeps, key: string): Promise<UploadOutcome> {
  const now = deps.now ?? (() => new Date());
  const owner = parseObjectKey(key);
  if (owner === undefined) return { status: 'ignored', key, why: 'not a private/{owner}/{photoId} key' };

  const photo = await deps.store.get(owner.photoId);
  if (photo === undefined) {
    await deps.objects.remove([key]);
    return { status: 'orphan', key };
  }
  if (photo.ownerId !== owner.ownerId || photo.objectKey !== key) {
    return { status: 'ignored', key, why: `photo ${photo.photoId} belongs to another key` };
  }
  if (photo.state !== 'PENDING') return { status: 'duplicate', photoId: photo.photoId, state: photo.state };

  const bytes = await deps.objects.size(key);
  if (bytes === undefined) return { status: 'missing', key };
  const sizeProblem = checkFileSize(bytes);
  if (sizeProblem) return reject(deps, photo, sizeProblem, now());

  const object = await deps.objects.read(key);
  if (object === undefined) return { status: 'missing', key };
  const magic = checkMagic(object.bytes);
  if ('code' in magic) return reject(deps, photo, magic, now());

  // Header first: an oversized image is refused before it is decoded.
  const size = await settle(deps.images.inspect(object.bytes));
  if (!size.ok) return reject(deps, photo, undecodable(magic.format, size.error), now());
  const dimensionProblem = checkDimensions(size.value.width, size.value.height);
  if (dimensionProblem) return reject(deps, photo, dimensionProblem, now());
  const sample = await settle(deps.images.sample(object.bytes));
  if (!sample.ok) return reject(deps, photo, undecodable(magic.format, sample.error), now());

  const [result, thumbnail] = await Promise.all([
    deps.labeler.detect(key),
    deps.images.thumbnail(object.bytes, THUMBNAIL_SIDE_PX),
  ]);
  if (!result.ok) return reject(deps, photo, result.rejection, now());

  const thumbnailKey = thumbnailKeyOf(photo.ownerId, photo.photoId);
  await deps.objects.writeThumbnail(thumbnailKey, thumbnail);
  const { labels, moderation } = result.detection;
  const written = await deps.store.markReady(photo, {
    format: magic.format,
    width: size.value.width,
    height: size.value.height,
    thumbnailKey,
    labels,
    colours: dominantColours(sample.value.pixels, sample.value.channels),
    moderation,
    processedAt: now().toISOString(),
  });
  if (!written) return settled(deps, photo);
  return { status: 'ready', photoId: photo.photoId, labels: labels.length, flagged: moderation.flagged };
}
