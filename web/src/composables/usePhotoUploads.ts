import { computed, onScopeDispose, type Ref, reactive, ref } from 'vue';
import { usePhotosApi } from '../api/photos';
import { checkPhotoFile } from '../lib/photo-file';
import { postToPresignedUpload } from '../lib/presigned-upload';
import type { Photo } from '../types/photos';

/**
 * checking → requesting (POST /photos) → uploading (to the bucket) → processing (the labeler) → ready |
 * rejected; `failed` at any step with a message; `slow` when labelling outlasts the wait.
 */
export type UploadPhase =
  | 'checking'
  | 'requesting'
  | 'uploading'
  | 'processing'
  | 'ready'
  | 'rejected'
  | 'failed'
  | 'slow';

export interface PhotoUpload {
  id: number;
  fileName: string;
  size: number;
  /** A local object URL of the file, for a preview before the thumbnail exists. */
  previewUrl?: string;
  phase: UploadPhase;
  /** Bytes sent to the bucket, 0..1. */
  progress: number;
  /** Why it failed or was rejected; what is happening when slow. */
  message?: string;
  photo?: Photo;
}

export interface PhotoUploads {
  uploads: Ref<PhotoUpload[]>;
  /** True while any upload is still on its way or being labelled. */
  busy: Readonly<Ref<boolean>>;
  add(files: Iterable<File>): void;
  dismiss(id: number): void;
  /** Forgets every finished upload. */
  clearFinished(): void;
}

// Labelling takes a few seconds (longer while the local model loads): poll quickly at first, then
// back off, and give up waiting (not on the photo) after two minutes.
const pollDelaysMs = [500, 750, 1000, 1000, 1500, 2000, 2500, 3000];
const processingDeadlineMs = 120_000;
const settled: UploadPhase[] = ['ready', 'rejected', 'failed', 'slow'];

function wait(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(resolve, ms);
    signal.addEventListener(
      'abort',
      () => {
        clearTimeout(timer);
        reject(signal.reason);
      },
      { once: true },
    );
  });
}

const messageOf = (error: unknown) => (error instanceof Error ? error.message : String(error));

/**
 * Posts photos one after another: client-side checks, a presigned POST from the API, the upload with
 * progress, then polling until the labeler marks the photo READY or REJECTED. `onSettled` hears of each
 * photo that reached READY or REJECTED. Everything stops with the calling scope.
 */
export function usePhotoUploads(onSettled: (photo: Photo) => void): PhotoUploads {
  const api = usePhotosApi();
  const uploads = ref<PhotoUpload[]>([]);
  const stopped = new AbortController();
  let nextId = 1;
  let queue = Promise.resolve();

  const busy = computed(() => uploads.value.some((upload) => !settled.includes(upload.phase)));

  function fail(upload: PhotoUpload, message: string) {
    upload.phase = 'failed';
    upload.message = message;
  }

  async function waitForLabels(upload: PhotoUpload, photoId: string): Promise<void> {
    const signal = stopped.signal;
    const deadline = Date.now() + processingDeadlineMs;
    for (let attempt = 0; Date.now() < deadline; attempt++) {
      await wait(pollDelaysMs[Math.min(attempt, pollDelaysMs.length - 1)] ?? 3000, signal);
      let photo: Photo;
      try {
        photo = await api.get(photoId, { signal });
      } catch (error) {
        if (signal.aborted) throw error;
        // A failed poll is not a failed upload: say so and keep asking until the deadline.
        upload.message = `Could not check on the photo (${messageOf(error)}); trying again…`;
        continue;
      }
      upload.photo = photo;
      upload.message = undefined;
      if (photo.state === 'READY') {
        upload.phase = 'ready';
        onSettled(photo);
        return;
      }
      if (photo.state === 'REJECTED') {
        upload.phase = 'rejected';
        upload.message = photo.rejection?.reason ?? 'The photo could not be used.';
        onSettled(photo);
        return;
      }
    }
    upload.phase = 'slow';
    upload.message = 'Still being labelled. It will show up in your photos when it is ready.';
  }

  async function process(upload: PhotoUpload, file: File): Promise<void> {
    const check = await checkPhotoFile(file);
    if (!check.ok) return fail(upload, check.message);
    upload.previewUrl = URL.createObjectURL(file);

    upload.phase = 'requesting';
    let created: Awaited<ReturnType<typeof api.create>>;
    try {
      created = await api.create({ contentType: check.contentType, size: file.size, fileName: file.name });
    } catch (error) {
      return fail(upload, messageOf(error));
    }
    upload.photo = created.photo;

    upload.phase = 'uploading';
    try {
      await postToPresignedUpload(
        created.upload,
        file,
        (fraction) => {
          upload.progress = fraction;
        },
        stopped.signal,
      );
    } catch (error) {
      if (stopped.signal.aborted) return;
      return fail(upload, messageOf(error));
    }

    upload.phase = 'processing';
    try {
      await waitForLabels(upload, created.photo.photoId);
    } catch (error) {
      if (!stopped.signal.aborted) fail(upload, messageOf(error));
    }
  }

  function add(files: Iterable<File>) {
    for (const file of files) {
      const upload = reactive<PhotoUpload>({
        id: nextId++,
        fileName: file.name,
        size: file.size,
        phase: 'checking',
        progress: 0,
      });
      uploads.value.unshift(upload);
      queue = queue
        .then(() => process(upload, file))
        .catch((error: unknown) => fail(upload, messageOf(error)));
    }
  }

  function forget(upload: PhotoUpload) {
    if (upload.previewUrl) URL.revokeObjectURL(upload.previewUrl);
  }

  function dismiss(id: number) {
    const upload = uploads.value.find((candidate) => candidate.id === id);
    if (upload) forget(upload);
    uploads.value = uploads.value.filter((candidate) => candidate.id !== id);
  }

  function clearFinished() {
    for (const upload of uploads.value) if (settled.includes(upload.phase)) forget(upload);
    uploads.value = uploads.value.filter((upload) => !settled.includes(upload.phase));
  }

  onScopeDispose(() => {
    stopped.abort();
    for (const upload of uploads.value) forget(upload);
  });

  return { uploads, busy, add, dismiss, clearFinished };
}
