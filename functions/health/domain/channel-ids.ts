/**
 * Channel ids and a monitor's `channelIds` field. A module of its own so that monitor.ts can validate
 * the field without importing channels.ts (which imports monitor.ts's helpers).
 */
import * as z from 'zod';

/** Channel ids: `ch-` and 20 hex digits from the handler's CSPRNG. */
export const CHANNEL_ID_PATTERN = /^ch-[0-9a-f]{20}$/;

/** Channels one monitor may name. */
export const MAX_MONITOR_CHANNELS = 10;

/** Zod schema of a monitor's `channelIds`: channel ids, at most {@link MAX_MONITOR_CHANNELS}, duplicates dropped. */
export const monitorChannelIdsSchema = z
  .array(
    z
      .string({ error: 'must be a channel id' })
      .regex(CHANNEL_ID_PATTERN, { error: 'must be a channel id (ch- and 20 hex digits)' }),
    { error: 'must be an array of channel ids' },
  )
  .max(MAX_MONITOR_CHANNELS, { error: `must list at most ${MAX_MONITOR_CHANNELS} channels` })
  .transform((ids) => [...new Set(ids)]);
