import { type ApiClient, type RequestOptions, useApi } from '../composables/useApi';
import type {
  AnyIncident,
  AnyMonitorView,
  CheckResult,
  HistoryResponse,
  LatencyPercentiles,
  MaintenanceList,
  MaintenanceWindowInput,
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
  /** The same checks with their response-time percentiles. */
  historyWithLatency(
    monitorId: string,
    hours: number,
    own: boolean,
    options?: RequestOptions,
  ): Promise<{ results: CheckResult[]; latency: LatencyPercentiles }>;
  /** The most recent incidents, newest first: in full for an own monitor, else the public ones. */
  incidents(monitorId: string, own: boolean, options?: RequestOptions): Promise<AnyIncident[]>;
  /** The maintenance windows of an own monitor, and the one in progress or next. */
  maintenance(monitorId: string, options?: RequestOptions): Promise<MaintenanceList>;
  addMaintenanceWindow(monitorId: string, input: MaintenanceWindowInput): Promise<MaintenanceList>;
  removeMaintenanceWindow(monitorId: string, windowId: string): Promise<void>;
}

/** Incidents a card lists. */
const incidentLimit = 10;

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

  const historyOf = (monitorId: string, hours: number, own: boolean, options?: RequestOptions) =>
    client.get<HistoryResponse>(`${own ? '/my' : ''}${monitorPath(monitorId)}/history`, {
      ...options,
      query: { ...options?.query, hours },
    });

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
      (await historyOf(monitorId, hours, own, options)).results,
    historyWithLatency: async (monitorId, hours, own, options) => {
      const { results, latency } = await historyOf(monitorId, hours, own, options);
      return { results, latency };
    },
    incidents: async (monitorId, own, options) =>
      (
        await client.get<{ incidents: AnyIncident[] }>(
          `${own ? '/my' : ''}${monitorPath(monitorId)}/incidents`,
          {
            ...options,
            query: { ...options?.query, limit: incidentLimit },
          },
        )
      ).incidents,
    maintenance: (monitorId, options) =>
      client.get<MaintenanceList>(`${monitorPath(monitorId)}/maintenance`, options),
    addMaintenanceWindow: (monitorId, input) =>
      client.post<MaintenanceList>(`${monitorPath(monitorId)}/maintenance`, input),
    removeMaintenanceWindow: (monitorId, windowId) =>
      client.delete(`${monitorPath(monitorId)}/maintenance/${encodeURIComponent(windowId)}`),
  };
}

/** The health API at the configured `apiUrl`. */
export function useHealthApi(): HealthApi {
  return createHealthApi(useApi());
}
