/**
 * The event that invokes the resharder: an SNS notification (one record per invocation, as SNS
 * delivers to Lambda) whose Message is a CloudWatch alarm state change, as JSON. Validated with zod,
 * then judged: a notification is acted upon only while it still describes the alarm's state.
 */
import * as z from 'zod';
import type { AlarmState, AlarmView } from './ports.js';

const alarmStateSchema = z.enum(['OK', 'ALARM', 'INSUFFICIENT_DATA']);

/** CloudWatch writes `2026-11-27T17:01:02.345+0000`; JavaScript only promises to read `+00:00`. */
function parseCloudWatchTime(value: string): Date | undefined {
  const normalised = value.replace(/([+-]\d{2})(\d{2})$/, '$1:$2');
  const time = Date.parse(normalised);
  return Number.isNaN(time) ? undefined : new Date(time);
}

const timestampSchema = z.string().transform((value, ctx) => {
  const date = parseCloudWatchTime(value);
  if (date === undefined) {
    ctx.addIssue({ code: 'custom', message: `not a timestamp: ${value}` });
    return z.NEVER;
  }
  return date;
});

/** The alarm notification CloudWatch publishes (only the fields the resharder reads are required). */
export const alarmMessageSchema = z.looseObject({
  AlarmName: z.string().min(1),
  AlarmArn: z.string().optional(),
  NewStateValue: alarmStateSchema,
  OldStateValue: alarmStateSchema.optional(),
  NewStateReason: z.string().optional(),
  StateChangeTime: timestampSchema,
});

/** One SNS record as Lambda receives it. */
export const snsRecordSchema = z.looseObject({
  EventSource: z.literal('aws:sns'),
  Sns: z.looseObject({
    MessageId: z.string().min(1),
    TopicArn: z.string().min(1),
    Message: z.string(),
    Timestamp: timestampSchema,
  }),
});

/** The Lambda event of an SNS subscription. */
export const snsEventSchema = z.object({ Records: z.array(z.unknown()).min(1) });

/** A validated alarm notification. */
export interface AlarmNotification {
  /** SNS MessageId: the same on every delivery of one notification. */
  messageId: string;
  topicArn: string;
  publishedAt: Date;
  alarmName: string;
  alarmArn?: string;
  newState: AlarmState;
  oldState?: AlarmState;
  reason?: string;
  stateChangeTime: Date;
}

/** Outcome of {@link parseAlarmNotifications}. */
export interface ParsedNotifications {
  notifications: AlarmNotification[];
  /** One line per record that is not an alarm notification. */
  errors: string[];
}

function issuesOf(error: z.ZodError): string {
  return error.issues.map((issue) => `${issue.path.join('.') || '(root)'}: ${issue.message}`).join('; ');
}

/** Every alarm notification of an SNS event; records that are not are named in `errors`. */
export function parseAlarmNotifications(event: unknown): ParsedNotifications {
  const parsed = snsEventSchema.safeParse(event);
  if (!parsed.success) return { notifications: [], errors: [`not an SNS event: ${issuesOf(parsed.error)}`] };
  const notifications: AlarmNotification[] = [];
  const errors: string[] = [];
  for (const [index, raw] of parsed.data.Records.entries()) {
    const record = snsRecordSchema.safeParse(raw);
    if (!record.success) {
      errors.push(`Records[${index}] is not an SNS record: ${issuesOf(record.error)}`);
      continue;
    }
    const { Sns: sns } = record.data;
    let body: unknown;
    try {
      body = JSON.parse(sns.Message);
    } catch {
      errors.push(`Records[${index}] (${sns.MessageId}): Message is not JSON`);
      continue;
    }
    const message = alarmMessageSchema.safeParse(body);
    if (!message.success) {
      errors.push(
        `Records[${index}] (${sns.MessageId}) is not an alarm notification: ${issuesOf(message.error)}`,
      );
      continue;
    }
    const alarm = message.data;
    notifications.push({
      messageId: sns.MessageId,
      topicArn: sns.TopicArn,
      publishedAt: sns.Timestamp,
      alarmName: alarm.AlarmName,
      ...(alarm.AlarmArn === undefined ? {} : { alarmArn: alarm.AlarmArn }),
      newState: alarm.NewStateValue,
      ...(alarm.OldStateValue === undefined ? {} : { oldState: alarm.OldStateValue }),
      ...(alarm.NewStateReason === undefined ? {} : { reason: alarm.NewStateReason }),
      stateChangeTime: alarm.StateChangeTime,
    });
  }
  return { notifications, errors };
}

/** Why a notification no longer calls for action. */
export type StaleReason =
  | 'alarm-not-found'
  | 'alarm-no-longer-in-alarm'
  | 'scaled-after-alarm'
  | 'alarm-retargeted-after-alarm';

/**
 * Why a notification is stale, or undefined when it still stands: its alarm must still be in ALARM (per
 * DescribeAlarms, now), and neither the stream nor the alarm's math may have changed since the state
 * change it reports — that ALARM judged a capacity the stream no longer has.
 */
export function staleReason(
  notification: AlarmNotification,
  alarm: AlarmView | undefined,
  lastScaledAt: Date | undefined,
): StaleReason | undefined {
  if (alarm === undefined) return 'alarm-not-found';
  if (alarm.state !== 'ALARM') return 'alarm-no-longer-in-alarm';
  const changedAt = notification.stateChangeTime.getTime();
  if (lastScaledAt !== undefined && lastScaledAt.getTime() >= changedAt) return 'scaled-after-alarm';
  if (alarm.configurationUpdatedAt !== undefined && alarm.configurationUpdatedAt.getTime() > changedAt) {
    return 'alarm-retargeted-after-alarm';
  }
  return undefined;
}

/**
 * The scheduled event that runs the forecast: an EventBridge rule's (`aws.events`) or EventBridge
 * Scheduler's (`aws.scheduler`) "Scheduled Event".
 */
export const scheduledEventSchema = z.looseObject({
  'detail-type': z.literal('Scheduled Event'),
  source: z.enum(['aws.events', 'aws.scheduler']),
  id: z.string().min(1),
});

/** True when the event is a scheduled event (a forecast run), not an SNS notification. */
export function isScheduledEvent(event: unknown): event is z.infer<typeof scheduledEventSchema> {
  return scheduledEventSchema.safeParse(event).success;
}
