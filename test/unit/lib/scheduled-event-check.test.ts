import { describe, expect, it } from 'vitest';
import { scheduledEventSchema } from '../../../functions/lib/scheduled-event.js';
import { checkScheduledEvent } from '../../../functions/lib/scheduled-event-check.js';
import { loadEvent } from '../../helpers/factories.js';

const rule = loadEvent<Record<string, unknown>>('check-sites-schedule');
// EventBridge Scheduler's default notification for ScheduleV2: the same envelope, detail as a string.
const scheduler = { ...rule, source: 'aws.scheduler', detail: '{}' };

const variants: [string, unknown][] = [
  ['the EventBridge rule fixture', rule],
  ['a Scheduler notification', scheduler],
  ['another detail-type', { ...rule, 'detail-type': 'Object Created' }],
  ['another source', { ...rule, source: 'aws.s3' }],
  ['no id', { ...rule, id: undefined }],
  ['a numeric time', { ...rule, time: 1_700_000_000 }],
  ['resources not an array', { ...rule, resources: 'arn:aws:events:rule' }],
  ['a resource that is not a string', { ...rule, resources: [42] }],
  ['detail null', { ...rule, detail: null }],
  ['detail an array', { ...rule, detail: [] }],
  ['null', null],
  ['an array', []],
  ['a string', 'Scheduled Event'],
];

describe('Function: checkScheduledEvent()', () => {
  it.each(variants)('agrees with scheduledEventSchema on %s', (_name, event) => {
    expect(checkScheduledEvent(event).success).toBe(scheduledEventSchema.safeParse(event).success);
  });

  it('returns the event itself when it fits', () => {
    const checked = checkScheduledEvent(scheduler);
    expect(checked).toEqual({ success: true, data: scheduler });
  });

  it('names every field that is wrong, with zod-style paths', () => {
    const checked = checkScheduledEvent({
      ...rule,
      'detail-type': 'Object Created',
      source: 'aws.s3',
      resources: [1],
    });
    expect(checked.success).toBe(false);
    if (checked.success) return;
    expect(checked.issues.map((issue) => issue.path)).toEqual([
      ['detail-type'],
      ['source'],
      ['resources', 0],
    ]);
    expect(checked.issues[0]?.message).toBe('expected "Scheduled Event"');
  });
});
