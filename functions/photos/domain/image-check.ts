/**
 * Checks of an uploaded photo's real bytes, in Rekognition's terms: a JPEG or PNG (by magic number, not
 * by name or declared type), that decodes, at least 80 px and at most 10,000 px on each side, at most
 * 15 MB. Each failure is a {@link Rejection} with a reason the owner can read.
 */
import type { ImageFormat, Rejection } from './types.js';
import { MAX_PHOTO_BYTES } from './upload.js';

/** Rekognition's smallest image side. */
export const MIN_SIDE_PX = 80;
/** Rekognition's largest image side. */
export const MAX_SIDE_PX = 10_000;

const JPEG_MAGIC = [0xff, 0xd8, 0xff];
const PNG_MAGIC = [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a];

const startsWith = (bytes: Uint8Array, magic: readonly number[]) =>
  bytes.length >= magic.length && magic.every((byte, i) => bytes[i] === byte);

/** The format the first bytes announce, or undefined when they are neither JPEG nor PNG. */
export function sniffImageFormat(bytes: Uint8Array): ImageFormat | undefined {
  if (startsWith(bytes, JPEG_MAGIC)) return 'jpeg';
  if (startsWith(bytes, PNG_MAGIC)) return 'png';
  return undefined;
}

/** The size check, before reading anything. */
export function checkFileSize(size: number): Rejection | undefined {
  if (size === 0) return { code: 'EmptyFile', reason: 'The upload is empty' };
  if (size > MAX_PHOTO_BYTES) {
    return {
      code: 'FileTooLarge',
      reason: `The file is ${size} bytes; at most ${MAX_PHOTO_BYTES} bytes (15 MB) are accepted`,
    };
  }
  return undefined;
}

/** The magic-number check. */
export function checkMagic(bytes: Uint8Array): { format: ImageFormat } | Rejection {
  const format = sniffImageFormat(bytes);
  if (format === undefined) {
    return { code: 'NotAnImage', reason: 'The file is not a JPEG or PNG image (unrecognised content)' };
  }
  return { format };
}

/** The dimension check, on the decoded size (after EXIF orientation). */
export function checkDimensions(width: number, height: number): Rejection | undefined {
  if (width < MIN_SIDE_PX || height < MIN_SIDE_PX) {
    return {
      code: 'TooSmall',
      reason: `The image is ${width}x${height} px; each side must be at least ${MIN_SIDE_PX} px`,
    };
  }
  if (width > MAX_SIDE_PX || height > MAX_SIDE_PX) {
    return {
      code: 'TooLarge',
      reason: `The image is ${width}x${height} px; each side must be at most ${MAX_SIDE_PX} px`,
    };
  }
  return undefined;
}

/** The rejection of bytes that claim a format but do not decode. */
export function undecodable(format: ImageFormat, detail: string): Rejection {
  return {
    code: 'Undecodable',
    reason: `The file starts like a ${format.toUpperCase()} image but cannot be decoded (${detail})`,
  };
}
