/**
 * The labeler's decision for one upload: check the real bytes, normalise them (upright, sRGB, no
 * metadata, bounded), label exactly those normalised bytes, publish them and their thumbnail under keys
 * no browser can write, record READY or REJECTED — once — and delete the upload.
 *
 * Why it cannot be swapped: the presigned POST stays valid for a while after processing, but it can
 * only write `uploads/{owner}/{photoId}`, which nobody is ever shown. Whatever arrives there after the
 * photo left PENDING is deleted unread. Every state write is conditional on the photo still being
 * PENDING, and published keys carry a digest of their bytes, so two runs racing on one photo (two quick
 * POSTs, or a retried notification) each write their own keys and the item names the winner's: labels,
 * image and thumbnail always belong together.
 */
import { createHash } from 'node:crypto';
import { dominantColours } from './colours.js';
import { checkDimensions, checkFileSize, checkMagic, undecodable } from './image-check.js';
import type {
  EncodeBounds,
  ImageLabeler,
  ImageProcessor,
  LabelerObjects,
  NormalisedImage,
  PhotoStore,
} from './ports.js';
import type { Photo, Rejection } from './types.js';
import { imageKeyOf, parseUploadKey, thumbnailKeyOf } from './upload.js';

/** Longer side of thumbnails. */
export const THUMBNAIL_SIDE_PX = 320;

/** Rekognition's limit for image bytes sent in the request (not read from S3). */
export const MAX_DETECT_BYTES = 5 * 1024 * 1024;

/**
 * Encodings of the published image, tried in order until one fits {@link MAX_DETECT_BYTES}: almost
 * every photo fits the first; only huge, noisy ones step down.
 */
export const PUBLISH_ENCODINGS: readonly EncodeBounds[] = [
  { maxSide: 4096, quality: 85 },
  { maxSide: 4096, quality: 70 },
  { maxSide: 2560, quality: 75 },
  { maxSide: 1600, quality: 75 },
];

/** What happened to one object. */
export type UploadOutcome =
  | { status: 'ready'; photoId: string; labels: number; flagged: boolean }
  | { status: 'rejected'; photoId: string; rejection: Rejection }
  /** Already READY or REJECTED: a retry, a duplicate delivery or a re-post; the upload is deleted. */
  | { status: 'duplicate'; photoId: string; state: Photo['state'] }
  /** No photo waits for this upload (deleted, expired, or someone else's key): it is removed. */
  | { status: 'orphan'; key: string }
  /** The object is gone (deleted meanwhile): nothing to do. */
  | { status: 'missing'; key: string }
  /** Not an `uploads/{owner}/{photoId}` key. */
  | { status: 'ignored'; key: string; why: string };

/** What {@link processUpload} works with. */
export interface ProcessUploadDeps {
  store: PhotoStore;
  objects: LabelerObjects;
  images: ImageProcessor;
  labeler: ImageLabeler;
  now?: () => Date;
}

/** Names published bytes: 16 hex digits of their SHA-256. */
export function versionOf(bytes: Uint8Array): string {
  return createHash('sha256').update(bytes).digest('hex').slice(0, 16);
}

async function reject(
  deps: ProcessUploadDeps,
  photo: Photo,
  rejection: Rejection,
  now: Date,
): Promise<UploadOutcome> {
  if (!(await deps.store.markRejected(photo, rejection, now.toISOString()))) return settled(deps, photo, []);
  // Keep the item (with its reason) for the owner, not the unusable bytes.
  await deps.objects.remove([photo.uploadKey]);
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

/**
 * After a conditional write lost: what the photo became (or that it is gone). The upload goes either
 * way; so do the keys this run wrote, unless the photo names them (the same bytes won).
 */
async function settled(deps: ProcessUploadDeps, photo: Photo, written: string[]): Promise<UploadOutcome> {
  const current = await deps.store.get(photo.photoId);
  if (current === undefined) {
    await deps.objects.remove([photo.uploadKey, ...written]);
    return { status: 'orphan', key: photo.uploadKey };
  }
  const kept = new Set([current.imageKey, current.thumbnailKey]);
  await deps.objects.remove([photo.uploadKey, ...written.filter((key) => !kept.has(key))]);
  return { status: 'duplicate', photoId: photo.photoId, state: current.state };
}

/** The first encoding that Rekognition accepts as bytes, or undefined when none is small enough. */
async function normalise(images: ImageProcessor, bytes: Uint8Array): Promise<NormalisedImage | undefined> {
  for (const bounds of PUBLISH_ENCODINGS) {
    const image = await images.normalise(bytes, bounds);
    if (image.bytes.length <= MAX_DETECT_BYTES) return image;
  }
  return undefined;
}

/**
 * Process the object `key` (already URL-decoded) of the photos bucket.
 *
 * @throws on transient faults (storage, S3, Rekognition throttling): the invocation is retried
 */
export async function processUpload(deps: ProcessUploadDeps, key: string): Promise<UploadOutcome> {
  const now = deps.now ?? (() => new Date());
  const owner = parseUploadKey(key);
  if (owner === undefined) return { status: 'ignored', key, why: 'not an uploads/{owner}/{photoId} key' };

  const photo = await deps.store.get(owner.photoId);
  if (photo === undefined || photo.ownerId !== owner.ownerId || photo.uploadKey !== key) {
    // Nobody waits for these bytes, and nobody is ever shown an upload: drop them.
    await deps.objects.remove([key]);
    return { status: 'orphan', key };
  }
  if (photo.state !== 'PENDING') {
    // A re-post to a still-valid presigned POST after processing (or a repeated notification): what
    // was verified stays as it is, the new bytes go unread.
    await deps.objects.remove([key]);
    return { status: 'duplicate', photoId: photo.photoId, state: photo.state };
  }

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

  const normalised = await settle(normalise(deps.images, object.bytes));
  if (!normalised.ok) return reject(deps, photo, undecodable(magic.format, normalised.error), now());
  const image = normalised.value;
  if (image === undefined) {
    return reject(
      deps,
      photo,
      { code: 'TooLarge', reason: 'The image does not compress below 5 MB even at 1600 px' },
      now(),
    );
  }
  // A very long, thin image can fall under the smallest side once scaled into the bounds.
  const scaledProblem = checkDimensions(image.width, image.height);
  if (scaledProblem) return reject(deps, photo, scaledProblem, now());

  // Everything below works on the normalised bytes only: they are what is labelled and published.
  const [result, thumbnail, sample] = await Promise.all([
    deps.labeler.detect(image.bytes),
    deps.images.thumbnail(image.bytes, THUMBNAIL_SIDE_PX),
    deps.images.sample(image.bytes),
  ]);
  if (!result.ok) return reject(deps, photo, result.rejection, now());

  const version = versionOf(image.bytes);
  const imageKey = imageKeyOf(photo.ownerId, photo.photoId, version);
  const thumbnailKey = thumbnailKeyOf(photo.ownerId, photo.photoId, version);
  // Published before the item names them, so a READY photo never points at a missing object.
  await Promise.all([
    deps.objects.writeJpeg(imageKey, image.bytes),
    deps.objects.writeJpeg(thumbnailKey, thumbnail),
  ]);
  const { labels, moderation } = result.detection;
  const won = await deps.store.markReady(photo, {
    format: magic.format,
    width: image.width,
    height: image.height,
    imageKey,
    thumbnailKey,
    labels,
    colours: dominantColours(sample.pixels, sample.channels),
    moderation,
    processedAt: now().toISOString(),
  });
  if (!won) return settled(deps, photo, [imageKey, thumbnailKey]);
  await deps.objects.remove([key]);
  return { status: 'ready', photoId: photo.photoId, labels: labels.length, flagged: moderation.flagged };
}
