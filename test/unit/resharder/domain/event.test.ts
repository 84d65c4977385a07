import { describe, expect, it } from 'vitest';
import { parseAlarmNotifications, staleReason } from '../../../../functions/resharder/domain/event.js';
import {
  alarmView,
  notificationOf,
  reshardEvent,
  SCALE_IN_ALARM,
  SCALE_OUT_ALARM,
} from '../../../helpers/resharder.js';

describe('Function: parseAlarmNotifications()', () => {
  it('reads the scale-out fixture: SNS message id, alarm, states and CloudWatch time (+0000)', () => {
    const { notifications, errors } = parseAlarmNotifications(reshardEvent('reshard-scale-out'));
    expect(errors).toEqual([]);
    expect(notifications).toEqual([
      {
        messageId: 'c9f3a7d2-6b1e-5f4a-9d8c-2e7b1a0f3c55',
        topicArn: 'arn:aws:sns:us-east-1:123456789012:kumo-dev-ReshardTopic-7YtE4rWq2Lp0',
        publishedAt: new Date('2026-11-27T17:02:04.172Z'),
        alarmName: SCALE_OUT_ALARM,
        alarmArn: `arn:aws:cloudwatch:us-east-1:123456789012:alarm:${SCALE_OUT_ALARM}`,
        newState: 'ALARM',
        oldState: 'OK',
        reason: expect.stringContaining('Threshold Crossed'),
        stateChangeTime: new Date('2026-11-27T17:02:04.117Z'),
      },
    ]);
  });

  it('reads the scale-in fixture', () => {
    expect(notificationOf('reshard-scale-in')).toMatchObject({
      alarmName: SCALE_IN_ALARM,
      newState: 'ALARM',
      stateChangeTime: new Date('2026-11-27T19:11:03.560Z'),
    });
  });

  it('names what is wrong with the malformed fixture instead of throwing', () => {
    const { notifications, errors } = parseAlarmNotifications(reshardEvent('reshard-malformed'));
    expect(notifications).toEqual([]);
    expect(errors).toHaveLength(1);
    expect(errors[0]).toContain('is not an alarm notification');
    expect(errors[0]).toContain('NewStateValue');
    expect(errors[0]).toContain('StateChangeTime: not a timestamp: yesterday');
  });

  it('refuses a Message that is not JSON, a record that is not SNS, an event that is not SNS', () => {
    expect(
      parseAlarmNotifications(reshardEvent('reshard-scale-out', { message: 'hello' })).errors[0],
    ).toContain('Message is not JSON');
    const notSns = reshardEvent('reshard-scale-out') as unknown as { Records: Record<string, unknown>[] };
    (notSns.Records[0] as Record<string, unknown>).EventSource = 'aws:sqs';
    expect(parseAlarmNotifications(notSns).errors[0]).toContain('is not an SNS record');
    expect(parseAlarmNotifications({ detail: {} }).errors[0]).toContain('not an SNS event');
    expect(parseAlarmNotifications(null).errors).toHaveLength(1);
  });
});

describe('Function: staleReason()', () => {
  const notification = notificationOf('reshard-scale-out');
  const changed = notification.stateChangeTime;
  const before = new Date(changed.getTime() - 60_000);
  const after = new Date(changed.getTime() + 60_000);
  const firing = alarmView(SCALE_OUT_ALARM, 'ALARM', 4, changed);

  it.each([
    { name: 'still in ALARM, nothing changed since', alarm: firing, lastScaledAt: before, stale: undefined },
    { name: 'never scaled', alarm: firing, lastScaledAt: undefined, stale: undefined },
    { name: 'the alarm is gone', alarm: undefined, lastScaledAt: undefined, stale: 'alarm-not-found' },
    {
      name: 'the alarm is OK again',
      alarm: { ...firing, state: 'OK' as const },
      lastScaledAt: before,
      stale: 'alarm-no-longer-in-alarm',
    },
    {
      name: 'the stream was scaled after the state change',
      alarm: firing,
      lastScaledAt: after,
      stale: 'scaled-after-alarm',
    },
    {
      name: 'the alarm was retargeted after the state change',
      alarm: { ...firing, configurationUpdatedAt: after },
      lastScaledAt: undefined,
      stale: 'alarm-retargeted-after-alarm',
    },
  ])('$name -> $stale', ({ alarm, lastScaledAt, stale }) => {
    expect(staleReason(notification, alarm, lastScaledAt)).toBe(stale);
  });

  it('judges the stale fixture stale once the stream has been scaled since', () => {
    const old = notificationOf('reshard-stale');
    expect(staleReason(old, firing, new Date('2026-11-27T16:55:00Z'))).toBe('scaled-after-alarm');
  });
});
