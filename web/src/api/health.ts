import { type ApiClient, type RequestOptions, useApi } from '../composables/useApi';
import type {
  AnyMonitorView,
  CheckResult,
  HistoryResponse,
  MonitorInput,
  MonitorPage,
  MonitorPatch,
  MonitorResponse,
  MonitorView,
  PublicMonitorView,
  PushToken,
} from '../types/health';

/** Pages fetched at most for one list (100 monitors each): a bound, not an expected size. */
const maxPages = 20;

/** The health checker's routes (docs/health-api.md), on top of a generic API client. */
export interface HealthApi {
  /** The public monitors (anyone), every page. */
  listPublic(options?: RequestOptions): Promise<PublicMonitorView[]>;
  /** The caller's own monitors (every monitor for an operator), every page. */
  listMine(options?: RequestOptions): Promise<MonitorView[]>;
  /** The new monitor, and for a push monitor its token (shown this once). */
  createMonitor(input: MonitorInput): Promise<MonitorResponse>;
  /** A new push token for a push monitor (the old one stops working). */
  rotatePushToken(monitorId: string): Promise<PushToken>;
  updateMonitor(monitorId: string, patch: MonitorPatch): Promise<MonitorView>;
  deleteMonitor(monitorId: string): Promise<void>;
  /** Checks of the last `hours`: the full ones of an own monitor, else the public ones. */
  history(monitorId: string, hours: number, own: boolean, options?: RequestOptions): Promise<CheckResult[]>;
}

export function createHealthApi(client: ApiClient): HealthApi {
  const monitorPath = (monitorId: string) => `/monitors/${encodeURIComponent(monitorId)}`;

  async function allPages<T extends AnyMonitorView>(path: string, options?: RequestOptions): Promise<T[]> {
    const monitors: T[] = [];
    let cursor: string | undefined;
    for (let page = 0; page < maxPages; page++) {
      const answer = await client.get<MonitorPage<T>>(path, {
        ...options,
        query: { ...options?.query, limit: 100, cursor },
      });
      monitors.push(...answer.monitors);
      if (answer.nextCursor === null) break;
      cursor = answer.nextCursor;
    }
    return monitors;
  }

  return {
    listPublic: (options) => allPages<PublicMonitorView>('/monitors', options),
    listMine: (options) => allPages<MonitorView>('/my/monitors', options),
    createMonitor: (input) => client.post<MonitorResponse>('/monitors', input),
    rotatePushToken: async (monitorId) =>
      (await client.post<{ monitorId: string; push: PushToken }>(`${monitorPath(monitorId)}/push-token`, {}))
        .push,
    updateMonitor: async (monitorId, patch) =>
      (await client.patch<MonitorResponse>(monitorPath(monitorId), patch)).monitor,
    deleteMonitor: (monitorId) => client.delete(monitorPath(monitorId)),
    history: async (monitorId, hours, own, options) =>
      (
        await client.get<HistoryResponse>(`${own ? '/my' : ''}${monitorPath(monitorId)}/history`, {
          ...options,
          query: { ...options?.query, hours },
        })
      ).results,
  };
}

/** The health API at the configured `apiUrl`. */
export function useHealthApi(): HealthApi {
  return createHealthApi(useApi());
}
