import { defineStore } from 'pinia';
import { ref } from 'vue';
import { useChannelsApi } from '../api/channels';
import { ApiError } from '../composables/useApi';
import type { ChannelCreated, ChannelInput, ChannelView, TestDelivery } from '../types/health';

/**
 * The signed-in user's notification channels: the Channels section lists and manages them, and the
 * monitor form offers them to pick from.
 */
export const useChannelsStore = defineStore('channels', () => {
  const api = useChannelsApi();
  const channels = ref<ChannelView[]>([]);
  const loaded = ref(false);
  const error = ref<string>();

  async function refresh(signal?: AbortSignal): Promise<void> {
    try {
      channels.value = await api.list(signal);
      loaded.value = true;
      error.value = undefined;
    } catch (caught) {
      if (caught instanceof DOMException && caught.name === 'AbortError') return;
      error.value = caught instanceof Error ? caught.message : String(caught);
    }
  }

  function replace(channel: ChannelView) {
    const others = channels.value.filter((c) => c.channelId !== channel.channelId);
    channels.value = [...others, channel].sort((a, b) => a.createdAt.localeCompare(b.createdAt));
  }

  /** Creates a channel; a webhook's answer carries its secret, which is never shown again. */
  async function add(input: ChannelInput): Promise<ChannelCreated> {
    const created = await api.create(input);
    replace(created.channel);
    return created;
  }

  /** Deletes a channel; one already gone counts as deleted. */
  async function remove(channelId: string): Promise<void> {
    try {
      await api.remove(channelId);
    } catch (caught) {
      if (!(caught instanceof ApiError && caught.status === 404)) throw caught;
    }
    channels.value = channels.value.filter((c) => c.channelId !== channelId);
  }

  /** Sends a test and records its outcome on the channel shown. */
  async function test(channelId: string): Promise<TestDelivery> {
    const delivery = await api.test(channelId);
    const channel = channels.value.find((c) => c.channelId === channelId);
    if (channel) {
      const { durationMs: _durationMs, ...record } = delivery;
      replace({
        ...channel,
        lastDelivery: record,
        ...(record.ok ? {} : { lastFailure: record, failureCount: channel.failureCount + 1 }),
      });
    }
    return delivery;
  }

  function reset() {
    channels.value = [];
    loaded.value = false;
    error.value = undefined;
  }

  return { channels, loaded, error, refresh, add, remove, test, reset };
});
