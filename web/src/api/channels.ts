import { type ApiClient, useApi } from '../composables/useApi';
import type { ChannelCreated, ChannelInput, ChannelView, TestDelivery } from '../types/health';

/** The notification channel routes (docs/health.md, Notification channels). */
export interface ChannelsApi {
  list(signal?: AbortSignal): Promise<ChannelView[]>;
  create(input: ChannelInput): Promise<ChannelCreated>;
  remove(channelId: string): Promise<void>;
  /** "Send a test": one delivery now, and how it went. */
  test(channelId: string): Promise<TestDelivery>;
}

export function createChannelsApi(client: ApiClient): ChannelsApi {
  const channelPath = (channelId: string) => `/channels/${encodeURIComponent(channelId)}`;
  return {
    list: async (signal) => (await client.get<{ channels: ChannelView[] }>('/channels', { signal })).channels,
    create: (input) => client.post<ChannelCreated>('/channels', input),
    remove: (channelId) => client.delete(channelPath(channelId)),
    test: async (channelId) =>
      (await client.post<{ delivery: TestDelivery }>(`${channelPath(channelId)}/test`, {})).delivery,
  };
}

/** The channels API at the configured `apiUrl`. */
export function useChannelsApi(): ChannelsApi {
  return createChannelsApi(useApi());
}
