/**
 * What the photo site needs from storage, S3, Rekognition and image processing. Adapters implement
 * these over AWS (adapters/) or in memory (adapters/memory-photo-store.ts, tests).
 */
import type {
  DominantColour,
  ImageFormat,
  LabelCount,
  ListScope,
  Moderation,
  PagePosition,
  Photo,
  PhotoLabel,
  PhotoPage,
  Rejection,
} from './types.js';

/** What the labeler found, written when a PENDING photo becomes READY. */
export interface ReadyUpdate {
  format: ImageFormat;
  width: number;
  height: number;
  imageKey: string;
  thumbnailKey: string;
  labels: PhotoLabel[];
  colours: DominantColour[];
  moderation: Moderation;
  processedAt: string;
}

/** Photos, their label index and label counts. */
export interface PhotoStore {
  /** Create a PENDING photo (expiring unless processed). False when the id is taken. */
  create(photo: Photo): Promise<boolean>;
  get(photoId: string): Promise<Photo | undefined>;
  /**
   * PENDING → READY with the labels, one index item per label and the label counts (public photos
   * only), all at once and only if the photo is still PENDING. False otherwise (gone, or already
   * processed: a retry), in which case nothing changed.
   */
  markReady(photo: Photo, update: ReadyUpdate): Promise<boolean>;
  /** PENDING → REJECTED with the reason, only if still PENDING. False otherwise. */
  markRejected(photo: Photo, rejection: Rejection, processedAt: string): Promise<boolean>;
  /**
   * Delete the photo, its label index items and its share of the label counts, only if it is still in
   * the state it was read in. False when it changed meanwhile (read again and retry) or is gone.
   */
  remove(photo: Photo): Promise<boolean>;
  /** A page of a listing, newest first, after `after` when given. */
  list(scope: ListScope, limit: number, after?: PagePosition): Promise<PhotoPage>;
  /** The most used labels among public photos, most used first. */
  topLabels(limit: number): Promise<LabelCount[]>;
}

/** A presigned browser upload (S3 POST policy). */
export interface PresignedUpload {
  url: string;
  /** Form fields to send before the file, in order. */
  fields: Record<string, string>;
  /** ISO 8601. */
  expiresAt: string;
}

/** The photos bucket, as the API uses it. */
export interface PhotoObjects {
  /**
   * A POST policy for exactly this key (under `uploads/`), this content type and at most `maxBytes`.
   * @throws for a key outside `uploads/`
   */
  presignUpload(key: string, contentType: string, maxBytes: number): Promise<PresignedUpload>;
  /** A presigned GET URL. @throws for a key outside `photos/` and `thumbnails/` (never an upload) */
  presignDownload(key: string): Promise<string>;
  /** Delete keys; missing keys are fine. */
  remove(keys: readonly string[]): Promise<void>;
}

/** An object read back, or undefined when it does not exist. */
export interface StoredObject {
  bytes: Uint8Array;
  contentType?: string;
}

/** The photos bucket, as the labeler uses it. */
export interface LabelerObjects {
  /** Size in bytes, or undefined when the object does not exist. */
  size(key: string): Promise<number | undefined>;
  read(key: string): Promise<StoredObject | undefined>;
  /** Write a published JPEG (image or thumbnail); its key never changes content. */
  writeJpeg(key: string, jpeg: Uint8Array): Promise<void>;
  remove(keys: readonly string[]): Promise<void>;
}

/** An image's size from its header, EXIF orientation applied. */
export interface ImageSize {
  width: number;
  height: number;
}

/** A small decoded copy of an image, for its colours. */
export interface ImageSample {
  /** Packed 8-bit pixels, `channels` per pixel. */
  pixels: Uint8Array;
  channels: number;
}

/** How to encode a published image. */
export interface EncodeBounds {
  /** Longest side in px (smaller images are not enlarged). */
  maxSide: number;
  /** JPEG quality 1..100. */
  quality: number;
}

/** A published image: a JPEG with no metadata, and its size. */
export interface NormalisedImage {
  bytes: Uint8Array;
  width: number;
  height: number;
}

/** Image decoding (sharp). */
export interface ImageProcessor {
  /** Read the header only. @throws when the header cannot be read */
  inspect(bytes: Uint8Array): Promise<ImageSize>;
  /**
   * Decode fully (a truncated or corrupt file fails here), turn upright from its EXIF orientation,
   * convert to sRGB and re-encode as a JPEG within `bounds`, with no metadata at all: no EXIF (so no
   * GPS position, camera or time), no XMP, no IPTC, no ICC profile (sRGB, the web's default, needs none).
   * @throws when it does not decode
   */
  normalise(bytes: Uint8Array, bounds: EncodeBounds): Promise<NormalisedImage>;
  /** Decode fully (a truncated or corrupt file fails here) into a small copy. @throws when it does not decode */
  sample(bytes: Uint8Array): Promise<ImageSample>;
  /** A JPEG at most `maxSide` px on its longer side, EXIF orientation applied. */
  thumbnail(bytes: Uint8Array, maxSide: number): Promise<Uint8Array>;
}

/** What Rekognition says about an image. */
export interface Detection {
  labels: PhotoLabel[];
  moderation: Moderation;
}

/** Rekognition's verdict, or a rejection when it refuses the image (format, size). */
export type DetectionResult = { ok: true; detection: Detection } | { ok: false; rejection: Rejection };

/**
 * DetectLabels + DetectModerationLabels on image bytes: the very bytes that are published, never an
 * object that could change between moderation and publication.
 */
export interface ImageLabeler {
  detect(image: Uint8Array): Promise<DetectionResult>;
}
