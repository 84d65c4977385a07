/** {@link ChannelStore} in memory, for tests and `npm run invoke` without a table. */
import type { ChannelStore } from '../domain/channel-delivery.js';
import type { Channel, DeliveryRecord } from '../domain/channels.js';

export class MemoryChannelStore implements ChannelStore {
  public readonly channels = new Map<string, Channel>();

  public async get(channelId: string): Promise<Channel | undefined> {
    const channel = this.channels.get(channelId);
    return channel === undefined ? undefined : structuredClone(channel);
  }

  public async getMany(channelIds: readonly string[]): Promise<Channel[]> {
    return [...new Set(channelIds)].flatMap((id) => {
      const channel = this.channels.get(id);
      return channel === undefined ? [] : [structuredClone(channel)];
    });
  }

  public async listByOwner(ownerId: string): Promise<Channel[]> {
    return [...this.channels.values()]
      .filter((channel) => channel.ownerId === ownerId)
      .sort((a, b) => a.createdAt.localeCompare(b.createdAt))
      .map((channel) => structuredClone(channel));
  }

  public async create(channel: Channel): Promise<void> {
    if (this.channels.has(channel.channelId)) throw new Error(`channel ${channel.channelId} exists`);
    this.channels.set(channel.channelId, structuredClone({ ...channel, failureCount: 0 }));
  }

  public async update(channel: Channel, ownerId: string): Promise<boolean> {
    const stored = this.channels.get(channel.channelId);
    if (stored === undefined || stored.ownerId !== ownerId) return false;
    stored.name = channel.name;
    stored.targetHint = channel.targetHint;
    stored.target = structuredClone(channel.target);
    return true;
  }

  public async remove(channelId: string, ownerId: string): Promise<boolean> {
    const stored = this.channels.get(channelId);
    if (stored === undefined || stored.ownerId !== ownerId) return false;
    return this.channels.delete(channelId);
  }

  public async recordDelivery(channelId: string, record: DeliveryRecord): Promise<void> {
    const stored = this.channels.get(channelId);
    if (stored === undefined) return;
    stored.lastDelivery = record;
    if (!record.ok) {
      stored.lastFailure = record;
      stored.failureCount += 1;
    }
  }
}
