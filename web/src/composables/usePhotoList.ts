import { onScopeDispose, type Ref, ref, watch } from 'vue';
import { type PhotoListing, usePhotosApi } from '../api/photos';
import type { Photo } from '../types/photos';
import { ApiError } from './useApi';
import { usePageVisible } from './usePageVisible';

export interface PhotoList {
  photos: Ref<Photo[]>;
  /** True once the first page arrived for the current listing. */
  loaded: Ref<boolean>;
  loading: Ref<boolean>;
  loadingMore: Ref<boolean>;
  /** The first page failed: the view shows an error instead of the grid. */
  error: Ref<string | undefined>;
  /** A later page failed: the grid stays, with the message by the Load more button. */
  moreError: Ref<string | undefined>;
  /** False on the last page. */
  hasMore: Ref<boolean>;
  reload(): Promise<void>;
  loadMore(): Promise<void>;
  /** Puts a photo at the top (a fresh upload), or updates it where it is. */
  upsert(photo: Photo): void;
  remove(photoId: string): void;
}

const messageOf = (error: unknown) => (error instanceof Error ? error.message : String(error));

// The owner's list shows photos still being labelled; ask for those again until they settle.
const pendingPollMs = 3000;
const pendingBatch = 12;

/**
 * Pages through `GET /photos` for a listing (feed, mine, label) with the API's opaque cursor. A new
 * listing starts over; a request for an old one is abandoned.
 */
export function usePhotoList(listing: Readonly<Ref<PhotoListing | undefined>>): PhotoList {
  const api = usePhotosApi();
  const photos = ref<Photo[]>([]);
  const loaded = ref(false);
  const loading = ref(false);
  const loadingMore = ref(false);
  const error = ref<string>();
  const moreError = ref<string>();
  const hasMore = ref(false);
  let cursor: string | undefined;
  let controller: AbortController | undefined;

  function restart(): AbortSignal {
    controller?.abort();
    controller = new AbortController();
    return controller.signal;
  }

  async function reload(): Promise<void> {
    const signal = restart();
    const current = listing.value;
    loadingMore.value = false;
    moreError.value = undefined;
    error.value = undefined;
    if (!current) {
      photos.value = [];
      loaded.value = false;
      loading.value = false;
      return;
    }
    loading.value = true;
    try {
      const page = await api.list(current, undefined, { signal });
      photos.value = page.photos;
      cursor = page.nextCursor ?? undefined;
      hasMore.value = cursor !== undefined;
      loaded.value = true;
    } catch (caught) {
      if (signal.aborted) return;
      error.value = messageOf(caught);
      loaded.value = false;
    } finally {
      if (!signal.aborted) loading.value = false;
    }
  }

  async function loadMore(): Promise<void> {
    const current = listing.value;
    if (!current || !cursor || loadingMore.value || loading.value) return;
    const signal = controller?.signal ?? restart();
    loadingMore.value = true;
    moreError.value = undefined;
    try {
      const page = await api.list(current, cursor, { signal });
      const seen = new Set(photos.value.map((photo) => photo.photoId));
      photos.value = [...photos.value, ...page.photos.filter((photo) => !seen.has(photo.photoId))];
      cursor = page.nextCursor ?? undefined;
      hasMore.value = cursor !== undefined;
    } catch (caught) {
      if (!signal.aborted) moreError.value = messageOf(caught);
    } finally {
      if (!signal.aborted) loadingMore.value = false;
    }
  }

  function upsert(photo: Photo) {
    const index = photos.value.findIndex((candidate) => candidate.photoId === photo.photoId);
    if (index === -1) photos.value = [photo, ...photos.value];
    else photos.value = photos.value.map((candidate, i) => (i === index ? photo : candidate));
  }

  function remove(photoId: string) {
    photos.value = photos.value.filter((photo) => photo.photoId !== photoId);
  }

  const visible = usePageVisible();
  let pendingTimer: ReturnType<typeof setTimeout> | undefined;

  async function refreshPending(): Promise<void> {
    pendingTimer = undefined;
    const signal = controller?.signal;
    const pending = photos.value.filter((photo) => photo.state === 'PENDING').slice(0, pendingBatch);
    const answers = await Promise.allSettled(pending.map((photo) => api.get(photo.photoId, { signal })));
    if (signal?.aborted) return;
    answers.forEach((answer, index) => {
      const photoId = pending[index]?.photoId;
      if (!photoId) return;
      if (answer.status === 'fulfilled') {
        if (answer.value.state !== 'PENDING') upsert(answer.value);
      } else if (answer.reason instanceof ApiError && answer.reason.status === 404) {
        // Never uploaded and expired, or deleted elsewhere.
        remove(photoId);
      }
    });
    schedulePending();
  }

  function schedulePending() {
    if (pendingTimer !== undefined || !visible.value) return;
    if (!photos.value.some((photo) => photo.state === 'PENDING')) return;
    pendingTimer = setTimeout(() => void refreshPending(), pendingPollMs);
  }

  function stopPending() {
    if (pendingTimer !== undefined) clearTimeout(pendingTimer);
    pendingTimer = undefined;
  }

  watch(
    () => JSON.stringify(listing.value ?? null),
    () => void reload(),
    { immediate: true },
  );
  watch([photos, visible], schedulePending);
  watch(visible, (isVisible) => {
    if (!isVisible) stopPending();
  });
  onScopeDispose(() => {
    controller?.abort();
    stopPending();
  });

  return {
    photos,
    loaded,
    loading,
    loadingMore,
    error,
    moreError,
    hasMore,
    reload,
    loadMore,
    upsert,
    remove,
  };
}
