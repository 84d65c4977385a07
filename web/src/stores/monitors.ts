import { defineStore } from 'pinia';
import { computed, ref } from 'vue';
import { useHealthApi } from '../api/health';
import { ApiError } from '../composables/useApi';
import type {
  AnyMonitorView,
  MonitorInput,
  MonitorPatch,
  MonitorStatus,
  MonitorView,
  PublicMonitorView,
  PushToken,
} from '../types/health';
import { useAuthStore } from './auth';

function toApiError(error: unknown): ApiError {
  if (error instanceof ApiError) return error;
  const message = error instanceof Error ? error.message : String(error);
  return new ApiError(message, 0, 'InternalError', { cause: error });
}

function isAbort(error: unknown): boolean {
  return error instanceof DOMException && error.name === 'AbortError';
}

const byName = (a: { name: string }, b: { name: string }) => a.name.localeCompare(b.name);

/**
 * The health monitors: the public ones (anyone) and, for a signed-in user, their own (every monitor for
 * an operator). Shared by the status page and anything that summarises them.
 */
export const useMonitorsStore = defineStore('monitors', () => {
  const api = useHealthApi();
  const auth = useAuthStore();

  /** The public status page's monitors (redacted views). */
  const monitors = ref<PublicMonitorView[]>([]);
  /** The signed-in user's own monitors, in full; empty when signed out. */
  const mine = ref<MonitorView[]>([]);
  /** Push paths (`/push/<token>`) made or rotated in this session, by monitor id: the API shows each once. */
  const newPushPaths = ref<Record<string, string>>({});
  /** True once a list has arrived; until then the page shows its loading or error state. */
  const loaded = ref(false);
  /** True once the caller's own list has arrived (signed in). */
  const mineLoaded = ref(false);
  const loading = ref(false);
  /** The last refresh's failure; cleared by the next success. Older data stays on screen. */
  const error = ref<ApiError>();
  const updatedAt = ref<number>();

  /** Every monitor shown, once: the caller's own in full, the public ones that are not theirs. */
  const shown = computed<AnyMonitorView[]>(() => {
    const own = new Set(mine.value.map((m) => m.monitorId));
    return [...mine.value, ...monitors.value.filter((m) => !own.has(m.monitorId))];
  });

  const counts = computed(() => {
    const result: Record<MonitorStatus, number> = { UP: 0, DOWN: 0, PENDING: 0, PAUSED: 0 };
    for (const monitor of shown.value) result[monitor.state.status] += 1;
    return result;
  });

  async function refresh(signal?: AbortSignal): Promise<void> {
    loading.value = true;
    try {
      const signedIn = auth.isSignedIn;
      const [publicList, own] = await Promise.all([
        api.listPublic({ signal }),
        signedIn ? api.listMine({ signal }) : Promise.resolve([]),
      ]);
      monitors.value = publicList;
      mine.value = [...own].sort(byName);
      mineLoaded.value = signedIn;
      loaded.value = true;
      error.value = undefined;
      updatedAt.value = Date.now();
    } catch (caught) {
      if (!isAbort(caught)) error.value = toApiError(caught);
    } finally {
      loading.value = false;
    }
  }

  function upsert(monitor: MonitorView) {
    mine.value = [...mine.value.filter((m) => m.monitorId !== monitor.monitorId), monitor].sort(byName);
    // The public list is the API's to redact: fetch it again rather than guess.
    if (monitor.public || monitors.value.some((m) => m.monitorId === monitor.monitorId)) void refresh();
  }

  /** Creates a monitor; rejects with the API's ApiError (a 400 names the bad field, 409 the quota). */
  /** Adds a monitor; a push monitor comes with its token, which the API shows this once. */
  async function add(input: MonitorInput): Promise<{ monitor: MonitorView; push?: PushToken }> {
    const created = await api.createMonitor(input);
    upsert(created.monitor);
    if (created.push !== undefined) newPushPaths.value[created.monitor.monitorId] = created.push.path;
    return created;
  }

  /** A new push URL for a push monitor (the old one stops working). */
  async function rotatePushToken(monitorId: string): Promise<PushToken> {
    const push = await api.rotatePushToken(monitorId);
    newPushPaths.value[monitorId] = push.path;
    return push;
  }

  /** Changes a monitor (settings, paused, public); rejects with the API's ApiError. */
  async function update(monitorId: string, patch: MonitorPatch): Promise<MonitorView> {
    const monitor = await api.updateMonitor(monitorId, patch);
    upsert(monitor);
    return monitor;
  }

  /** Deletes a monitor; one that is already gone counts as deleted. */
  async function remove(monitorId: string): Promise<void> {
    try {
      await api.deleteMonitor(monitorId);
    } catch (caught) {
      if (!(caught instanceof ApiError && caught.status === 404)) throw toApiError(caught);
    }
    mine.value = mine.value.filter((m) => m.monitorId !== monitorId);
    monitors.value = monitors.value.filter((m) => m.monitorId !== monitorId);
  }

  return {
    monitors,
    mine,
    newPushPaths,
    shown,
    loaded,
    mineLoaded,
    loading,
    error,
    updatedAt,
    counts,
    refresh,
    add,
    rotatePushToken,
    update,
    remove,
  };
});
