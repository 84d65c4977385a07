import { describe, expect, it } from 'vitest';
import {
  afterPage,
  afterStreamed,
  boundsFor,
  type CheckpointState,
  compareIds,
  onStop,
  snowflakeFloor,
} from '../../../../functions/posts/domain/checkpoint.js';
import { snowflakeId } from '../../../../functions/posts/producer/sample-posts.js';

describe('since_id checkpoint', () => {
  it('compares ids beyond 2^53 exactly', () => {
    expect(compareIds('1861234567890123457', '1861234567890123456')).toBe(1);
    expect(compareIds('99', '100')).toBe(-1);
    expect(compareIds('7', '7')).toBe(0);
  });

  it('a run that pages all the way down moves since_id to the newest id of its first page', () => {
    let state: CheckpointState = { sinceId: '100', version: 3 };
    expect(boundsFor(state)).toEqual({ sinceId: '100' });
    state = afterPage(state, ['150', '149', '140'], true);
    expect(state).toEqual({ sinceId: '100', gap: { untilId: '140', newestId: '150' }, version: 3 });
    state = afterPage(state, ['130', '120'], false);
    expect(state).toEqual({ sinceId: '150', version: 3 });
  });

  it('a run that stops midway leaves a gap the next run fills first, then advances', () => {
    const stopped = onStop(afterPage({ sinceId: '100', version: 1 }, ['150', '140'], true));
    expect(stopped.gap).toEqual({ untilId: '140', newestId: '150' });
    expect(boundsFor(stopped)).toEqual({ sinceId: '100', untilId: '140' });
    // The gap is (100, 140); newer posts (> 150) wait for the run after.
    const filled = afterPage(stopped, ['139', '101'], false);
    expect(filled).toEqual({ sinceId: '150', version: 1 });
  });

  it('an empty gap page completes the gap; an empty first page changes nothing', () => {
    expect(
      afterPage({ sinceId: '100', gap: { untilId: '140', newestId: '150' }, version: 0 }, [], false),
    ).toEqual({
      sinceId: '150',
      version: 0,
    });
    expect(afterPage({ sinceId: '100', version: 0 }, [], false)).toEqual({ sinceId: '100', version: 0 });
    expect(afterPage({ version: 0 }, [], false)).toEqual({ version: 0 });
  });

  it('the very first run starts from now when it cannot page to the end', () => {
    const first = afterPage({ version: 0 }, ['500', '480'], true);
    expect(first).toEqual({ gap: { untilId: '480', newestId: '500' }, version: 0 });
    expect(onStop(first)).toEqual({ sinceId: '500', version: 0 });
  });

  it('never moves since_id backwards', () => {
    expect(
      afterPage({ sinceId: '900', gap: { untilId: '950', newestId: '800' }, version: 0 }, [], false).sinceId,
    ).toBe('900');
  });
});

describe('the stream producer and the checkpoint', () => {
  it('snowflakeFloor(t) is above every id made before t and at most every id made from t on', () => {
    const at = new Date('2026-12-06T01:00:00.000Z');
    const before = snowflakeId(new Date(at.getTime() - 1), 4_194_303);
    const atItself = snowflakeId(at, 0);
    const after = snowflakeId(new Date(at.getTime() + 1), 0);
    expect(compareIds(before, snowflakeFloor(at))).toBe(-1);
    expect(compareIds(atItself, snowflakeFloor(at))).toBe(0);
    expect(compareIds(after, snowflakeFloor(at))).toBe(1);
    expect(snowflakeFloor(new Date(0))).toBe('0');
  });

  it('afterStreamed moves since_id forward only, and leaves a gap to the catch-up that owns it', () => {
    expect(afterStreamed({ sinceId: '100', version: 4 }, '150')).toEqual({ sinceId: '150', version: 4 });
    expect(afterStreamed({ version: 0 }, '150')).toEqual({ sinceId: '150', version: 0 });
    expect(afterStreamed({ sinceId: '150', version: 4 }, '150')).toBeUndefined();
    expect(afterStreamed({ sinceId: '150', version: 4 }, '99')).toBeUndefined();
    expect(
      afterStreamed({ sinceId: '100', gap: { untilId: '140', newestId: '150' }, version: 4 }, '200'),
    ).toBeUndefined();
  });
});
