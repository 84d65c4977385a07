import { defineStore } from 'pinia';
import { computed, ref } from 'vue';
import { useHealthApi } from '../api/health';
import { ApiError } from '../composables/useApi';
import type { MonitorInput, MonitorStatus, MonitorView } from '../types/health';

function toApiError(error: unknown): ApiError {
  if (error instanceof ApiError) return error;
  const message = error instanceof Error ? error.message : String(error);
  return new ApiError(message, 0, 'InternalError', { cause: error });
}

function isAbort(error: unknown): boolean {
  return error instanceof DOMException && error.name === 'AbortError';
}

const byName = (a: MonitorView, b: MonitorView) => a.name.localeCompare(b.name);

/** The health monitors, shared by the status page and anything that summarises them. */
export const useMonitorsStore = defineStore('monitors', () => {
  const api = useHealthApi();

  const monitors = ref<MonitorView[]>([]);
  /** True once a list has arrived; until then the page shows its loading or error state. */
  const loaded = ref(false);
  const loading = ref(false);
  /** The last refresh's failure; cleared by the next success. Older data stays on screen. */
  const error = ref<ApiError>();
  const updatedAt = ref<number>();

  const counts = computed(() => {
    const result: Record<MonitorStatus, number> = { UP: 0, DOWN: 0, PENDING: 0 };
    for (const monitor of monitors.value) result[monitor.state.status] += 1;
    return result;
  });

  async function refresh(signal?: AbortSignal): Promise<void> {
    loading.value = true;
    try {
      monitors.value = await api.listMonitors({ signal });
      loaded.value = true;
      error.value = undefined;
      updatedAt.value = Date.now();
    } catch (caught) {
      if (!isAbort(caught)) error.value = toApiError(caught);
    } finally {
      loading.value = false;
    }
  }

  /** Creates a monitor; rejects with the API's ApiError (a 400 names the bad field). */
  async function add(input: MonitorInput): Promise<MonitorView> {
    const monitor = await api.createMonitor(input);
    monitors.value = [...monitors.value.filter((m) => m.monitorId !== monitor.monitorId), monitor].sort(
      byName,
    );
    return monitor;
  }

  /** Deletes a monitor; one that is already gone counts as deleted. */
  async function remove(monitorId: string): Promise<void> {
    try {
      await api.deleteMonitor(monitorId);
    } catch (caught) {
      if (!(caught instanceof ApiError && caught.status === 404)) throw toApiError(caught);
    }
    monitors.value = monitors.value.filter((m) => m.monitorId !== monitorId);
  }

  return { monitors, loaded, loading, error, updatedAt, counts, refresh, add, remove };
});
