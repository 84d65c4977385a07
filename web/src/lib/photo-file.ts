import type { PhotoContentType } from '../types/photos';

/** Rekognition's limit for images read from S3; the API refuses more (POST /photos). */
export const maxPhotoBytes = 15 * 1024 * 1024;

/** For `<input type="file" accept>`. */
export const acceptAttribute = 'image/jpeg,image/png,.jpg,.jpeg,.png';

export type FileCheck = { ok: true; contentType: PhotoContentType } | { ok: false; message: string };

export function formatBytes(bytes: number): string {
  if (bytes < 1024) return `${bytes} bytes`;
  if (bytes < 1024 * 1024) return `${(bytes / 1024).toFixed(0)} KB`;
  const megabytes = bytes / (1024 * 1024);
  return `${Number.isInteger(megabytes) ? megabytes : megabytes.toFixed(1)} MB`;
}

/** What the first bytes say the file is: JPEG starts FF D8 FF, PNG with its 8-byte signature. */
function sniff(bytes: Uint8Array): PhotoContentType | undefined {
  if (bytes[0] === 0xff && bytes[1] === 0xd8 && bytes[2] === 0xff) return 'image/jpeg';
  const png = [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a];
  if (png.every((value, index) => bytes[index] === value)) return 'image/png';
  return undefined;
}

function declaredType(file: File): PhotoContentType | undefined {
  if (file.type === 'image/jpeg' || file.type === 'image/png') return file.type;
  if (file.type !== '') return undefined;
  // Some systems give no type: go by the name.
  if (/\.jpe?g$/i.test(file.name)) return 'image/jpeg';
  if (/\.png$/i.test(file.name)) return 'image/png';
  return undefined;
}

/**
 * The checks the API and the labeler would make anyway, done before anything is sent: JPEG or PNG
 * (by type and by the bytes themselves), not empty, at most 15 MB.
 */
export async function checkPhotoFile(file: File): Promise<FileCheck> {
  const declared = declaredType(file);
  if (!declared) {
    const kind = file.type ? `a ${file.type} file` : 'not a JPEG or PNG file';
    return { ok: false, message: `“${file.name}” is ${kind}. Only JPEG and PNG photos can be posted.` };
  }
  if (file.size === 0) return { ok: false, message: `“${file.name}” is empty.` };
  if (file.size > maxPhotoBytes) {
    return {
      ok: false,
      message: `“${file.name}” is ${formatBytes(file.size)}. Photos can be at most ${formatBytes(maxPhotoBytes)}.`,
    };
  }
  const actual = sniff(new Uint8Array(await file.slice(0, 8).arrayBuffer()));
  if (!actual) {
    return {
      ok: false,
      message: `“${file.name}” is named like a photo, but its contents are not JPEG or PNG.`,
    };
  }
  // A PNG saved as .jpg is still a photo the labeler can read: send what the bytes are.
  return { ok: true, contentType: actual };
}
