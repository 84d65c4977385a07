import type { PresignedUpload } from '../types/photos';

/** The upload to the bucket failed; `message` is S3's own when it sent one. */
export class UploadError extends Error {
  override readonly name = 'UploadError';

  constructor(
    message: string,
    /** HTTP status; 0 when nothing answered. */
    readonly status: number,
    options?: ErrorOptions,
  ) {
    super(message, options);
  }
}

/** S3 answers errors as `<Error><Code>…</Code><Message>…</Message></Error>`. */
function s3Message(body: string): string | undefined {
  if (!body.trimStart().startsWith('<')) return undefined;
  const doc = new DOMParser().parseFromString(body, 'application/xml');
  const message = doc.querySelector('Error > Message')?.textContent?.trim();
  const code = doc.querySelector('Error > Code')?.textContent?.trim();
  if (message && code) return `${message} (${code})`;
  return message || code || undefined;
}

/**
 * Sends `file` to a presigned POST: the policy's fields first, the file last (S3 ignores anything
 * after the file). XMLHttpRequest rather than fetch, for upload progress events.
 */
export function postToPresignedUpload(
  upload: PresignedUpload,
  file: Blob,
  onProgress: (fraction: number) => void,
  signal?: AbortSignal,
): Promise<void> {
  const form = new FormData();
  for (const [name, value] of Object.entries(upload.fields)) form.append(name, value);
  form.append('file', file);

  return new Promise((resolve, reject) => {
    const xhr = new XMLHttpRequest();
    const abort = () => xhr.abort();
    signal?.addEventListener('abort', abort, { once: true });
    const done = () => signal?.removeEventListener('abort', abort);

    xhr.upload.addEventListener('progress', (event) => {
      if (event.lengthComputable && event.total > 0) onProgress(event.loaded / event.total);
    });
    xhr.addEventListener('load', () => {
      done();
      if (xhr.status >= 200 && xhr.status < 300) {
        onProgress(1);
        resolve();
        return;
      }
      const detail = s3Message(xhr.responseText) ?? `HTTP ${xhr.status}`;
      reject(new UploadError(`The storage service refused the upload: ${detail}`, xhr.status));
    });
    xhr.addEventListener('error', () => {
      done();
      reject(new UploadError('The upload could not reach the storage service. Check your connection.', 0));
    });
    xhr.addEventListener('abort', () => {
      done();
      reject(new DOMException('The upload was cancelled', 'AbortError'));
    });
    xhr.open('POST', upload.url);
    xhr.send(form);
    if (signal?.aborted) xhr.abort();
  });
}
