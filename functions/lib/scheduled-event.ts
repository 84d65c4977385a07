/** The EventBridge "Scheduled Event" that Schedule event sources deliver (shared by every scheduled handler). */
import * as z from 'zod';

export const scheduledEventSchema = z.object({
  version: z.string(),
  id: z.string(),
  'detail-type': z.literal('Scheduled Event'),
  source: z.literal('aws.events'),
  account: z.string(),
  time: z.string(),
  region: z.string(),
  resources: z.array(z.string()),
  detail: z.record(z.string(), z.unknown()),
});
