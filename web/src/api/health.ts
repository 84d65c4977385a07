import { type ApiClient, type RequestOptions, useApi } from '../composables/useApi';
import type {
  CheckResult,
  HistoryResponse,
  MonitorInput,
  MonitorListResponse,
  MonitorResponse,
  MonitorView,
} from '../types/health';

/** The health checker's routes (docs/health-api.md), on top of a generic API client. */
export interface HealthApi {
  listMonitors(options?: RequestOptions): Promise<MonitorView[]>;
  createMonitor(input: MonitorInput): Promise<MonitorView>;
  deleteMonitor(monitorId: string): Promise<void>;
  history(monitorId: string, hours: number, options?: RequestOptions): Promise<CheckResult[]>;
}

export function createHealthApi(client: ApiClient): HealthApi {
  const monitorPath = (monitorId: string) => `/monitors/${encodeURIComponent(monitorId)}`;
  return {
    listMonitors: async (options) => (await client.get<MonitorListResponse>('/monitors', options)).monitors,
    createMonitor: async (input) => (await client.post<MonitorResponse>('/monitors', input)).monitor,
    deleteMonitor: (monitorId) => client.delete(monitorPath(monitorId)),
    history: async (monitorId, hours, options) =>
      (
        await client.get<HistoryResponse>(`${monitorPath(monitorId)}/history`, {
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
