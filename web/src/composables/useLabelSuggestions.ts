import { onScopeDispose, type Ref, ref } from 'vue';
import { usePhotosApi } from '../api/photos';
import type { LabelCount } from '../types/photos';

/**
 * The most used labels (GET /labels), for search suggestions. A failure leaves the list empty and
 * says why: searching still works without suggestions.
 */
export function useLabelSuggestions(): { labels: Ref<LabelCount[]>; error: Ref<string | undefined> } {
  const api = usePhotosApi();
  const labels = ref<LabelCount[]>([]);
  const error = ref<string>();
  const controller = new AbortController();
  api.labels({ signal: controller.signal }).then(
    (result) => {
      labels.value = result;
    },
    (caught: unknown) => {
      if (!controller.signal.aborted) error.value = caught instanceof Error ? caught.message : String(caught);
    },
  );
  onScopeDispose(() => controller.abort());
  return { labels, error };
}
