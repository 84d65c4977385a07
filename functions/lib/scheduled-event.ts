/**
 * The "Scheduled Event" that Schedule event sources deliver (shared by every scheduled handler): an
 * EventBridge rule's (`aws.events`, detail `{}`) or EventBridge Scheduler's default notification for
 * ScheduleV2 (`aws.scheduler`, detail the string "{}").
 */
import * as z from 'zod';

export const scheduledEventSchema = z.object({
  version: z.string(),
  id: z.string(),
  'detail-type': z.literal('Scheduled Event'),
  source: z.enum(['aws.events', 'aws.scheduler']),
  account: z.string(),
  time: z.string(),
  region: z.string(),
  resources: z.array(z.string()),
  detail: z.union([z.record(z.string(), z.unknown()), z.string()]),
});
