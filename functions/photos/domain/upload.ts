/**
 * `POST /photos`: validation of the declared upload, the new PENDING photo and its S3 keys.
 */
import * as z from 'zod';
import { formatIssues, type ParseResult } from '../../lib/validation.js';
import type { Photo, PhotoContentType } from './types.js';

/** Rekognition's limit for images read from S3. */
export const MAX_PHOTO_BYTES = 15 * 1024 * 1024;

/** How long a presigned upload stays valid. */
export const UPLOAD_TTL_SECONDS = 15 * 60;

/** How long a PENDING photo whose upload never came is kept (table TTL). */
export const PENDING_TTL_SECONDS = 24 * 60 * 60;

/** Content types accepted by `POST /photos`. */
export const PHOTO_CONTENT_TYPES: readonly PhotoContentType[] = ['image/jpeg', 'image/png'];

/** Body of `POST /photos`. */
export interface CreatePhotoInput {
  contentType: PhotoContentType;
  /** Bytes, 1..{@link MAX_PHOTO_BYTES}. */
  size: number;
  /** Shown to the owner; path parts are dropped. */
  fileName?: string;
}

const createPhotoSchema = z.strictObject({
  contentType: z.enum(['image/jpeg', 'image/png'], {
    error: (issue) => (issue.input === undefined ? 'is required' : 'must be image/jpeg or image/png'),
  }),
  size: z
    .int({
      error: (issue) => (issue.input === undefined ? 'is required' : 'must be an integer number of bytes'),
    })
    .min(1, { error: 'must be at least 1 byte' })
    .max(MAX_PHOTO_BYTES, { error: `must be at most ${MAX_PHOTO_BYTES} bytes (15 MB)` }),
  fileName: z
    .string({ error: 'must be a string' })
    .trim()
    .min(1, { error: 'must not be empty' })
    .max(255, { error: 'must be at most 255 characters' })
    .refine((name) => ![...name].some((char) => (char.codePointAt(0) ?? 0) < 0x20 || char === '\u007f'), {
      error: 'must not contain control characters',
    })
    .optional(),
});

/** Validate an untrusted `POST /photos` body; `error` names every bad field. */
export function parseCreatePhotoInput(body: unknown): ParseResult<CreatePhotoInput> {
  const parsed = createPhotoSchema.safeParse(body);
  if (!parsed.success) return { success: false, error: formatIssues(parsed.error.issues) };
  const { fileName, ...rest } = parsed.data;
  const base = fileName?.split(/[\\/]/).pop();
  return { success: true, data: base ? { ...rest, fileName: base } : rest };
}

/**
 * Where objects live in the photos bucket. Browsers write only under {@link UPLOAD_PREFIX}, through a
 * presigned POST pinned to one key; only the labeler writes {@link IMAGE_PREFIX} and
 * {@link THUMBNAIL_PREFIX}, and only those are ever presigned for reading. So what users see is always
 * bytes the labeler verified, whatever is posted afterwards.
 */
export const UPLOAD_PREFIX = 'uploads/';
/** The published (normalised, verified) images. */
export const IMAGE_PREFIX = 'photos/';
/** The thumbnails of the published images. */
export const THUMBNAIL_PREFIX = 'thumbnails/';

/** S3 key a photo's upload is posted to (and deleted from once processed). */
export function uploadKeyOf(ownerId: string, photoId: string): string {
  return `${UPLOAD_PREFIX}${ownerId}/${photoId}`;
}

/**
 * S3 key of a photo's published image. `version` names the bytes (a digest of them), so a key never
 * changes content: two labeler runs racing on one photo write different keys, and the photo item names
 * the winner's.
 */
export function imageKeyOf(ownerId: string, photoId: string, version: string): string {
  return `${IMAGE_PREFIX}${ownerId}/${photoId}/${version}.jpg`;
}

/** S3 key of a photo's thumbnail (same `version` as its image). */
export function thumbnailKeyOf(ownerId: string, photoId: string, version: string): string {
  return `${THUMBNAIL_PREFIX}${ownerId}/${photoId}/${version}.jpg`;
}

/** True for a key only the labeler writes: the only keys presigned for reading. */
export function isPublishedKey(key: string): boolean {
  return (
    (key.startsWith(IMAGE_PREFIX) || key.startsWith(THUMBNAIL_PREFIX)) &&
    !key.split('/').some((part) => part === '' || part === '.' || part === '..')
  );
}

/** The owner and photo an upload belongs to, or undefined for any other key. */
export function parseUploadKey(key: string): { ownerId: string; photoId: string } | undefined {
  const match = /^uploads\/([A-Za-z0-9-]{1,128})\/([0-9A-HJKMNP-TV-Z]{26})$/.exec(key);
  if (!match) return undefined;
  return { ownerId: match[1] as string, photoId: match[2] as string };
}

/** Every key a photo may have objects under (for its deletion). */
export function objectKeysOf(photo: Photo): string[] {
  // Items written before uploads/ existed have no uploadKey: skip what is missing rather than fail.
  return [photo.uploadKey, photo.imageKey, photo.thumbnailKey].filter(
    (key): key is string => typeof key === 'string' && key !== '',
  );
}

/** The PENDING photo `POST /photos` creates. */
export function createPendingPhoto(
  input: CreatePhotoInput,
  ownerId: string,
  photoId: string,
  now: Date,
): Photo {
  const photo: Photo = {
    photoId,
    ownerId,
    state: 'PENDING',
    contentType: input.contentType,
    size: input.size,
    createdAt: now.toISOString(),
    uploadKey: uploadKeyOf(ownerId, photoId),
    labels: [],
    colours: [],
  };
  if (input.fileName !== undefined) photo.fileName = input.fileName;
  return photo;
}

/** Epoch seconds at which a PENDING photo created at `createdAt` expires. */
export function pendingExpiry(createdAt: string): number {
  return Math.floor(Date.parse(createdAt) / 1000) + PENDING_TTL_SECONDS;
}
