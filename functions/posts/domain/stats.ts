/**
 * Per-minute ingestion statistics for the stream page. The consumer adds, per invocation, the posts it
 * wrote to the counter of the minute they arrived in Kinesis (`approximateArrivalTimestamp`) and the
 * shard ids they came from. Honest limits: a replayed batch counts again (the counter is an ADD; the
 * posts themselves are not duplicated), and "shards" are the shards that delivered posts that minute,
 * not the stream's configured count — the API reads that from Kinesis. CloudWatch's IncomingRecords
 * will replace the counter once the local cloud serves CloudWatch (issue 4). Pure.
 */

/** Minute counters are kept this long (DynamoDB TTL). */
export const STATS_RETENTION_DAYS = 7;

/** `STATS#2026-11-27` / `MINUTE#17:04` for the minute holding `at`. */
export function minuteKey(at: Date): { pk: string; sk: string } {
  const iso = at.toISOString();
  return { pk: `STATS#${iso.slice(0, 10)}`, sk: `MINUTE#${iso.slice(11, 16)}` };
}

/** The start of the minute holding `at`, ISO. */
export function minuteStart(at: Date): string {
  return `${at.toISOString().slice(0, 16)}:00.000Z`;
}

/** What one invocation adds to one minute. */
export interface MinuteIncrement {
  minute: string;
  posts: number;
  shardIds: string[];
}

/** Group written records by arrival minute. */
export function incrementsFor(records: readonly { arrivedAt: Date; shardId?: string }[]): MinuteIncrement[] {
  const byMinute = new Map<string, { posts: number; shards: Set<string> }>();
  for (const record of records) {
    const minute = minuteStart(record.arrivedAt);
    const entry = byMinute.get(minute) ?? { posts: 0, shards: new Set<string>() };
    entry.posts++;
    if (record.shardId) entry.shards.add(record.shardId);
    byMinute.set(minute, entry);
  }
  return [...byMinute.entries()].map(([minute, { posts, shards }]) => ({
    minute,
    posts,
    shardIds: [...shards].sort(),
  }));
}

/** One point of the stream page's chart. */
export interface MinutePoint {
  /** Start of the minute, ISO. */
  minute: string;
  posts: number;
  /** posts / 60, or over the elapsed part of the current minute. */
  perSecond: number;
  /** Shards that delivered posts that minute. */
  activeShards: number;
}

/**
 * A gap-free series of the last `minutes` minutes ending with the one holding `now`: minutes without a
 * counter are zero. The current minute's rate is over the seconds elapsed so far.
 */
export function buildSeries(
  counters: readonly { minute: string; posts: number; shards: number }[],
  now: Date,
  minutes: number,
): MinutePoint[] {
  const byMinute = new Map(counters.map((c) => [c.minute, c]));
  const current = Date.parse(minuteStart(now));
  const points: MinutePoint[] = [];
  for (let i = minutes - 1; i >= 0; i--) {
    const startMs = current - i * 60_000;
    const minute = new Date(startMs).toISOString();
    const counter = byMinute.get(minute);
    const posts = counter?.posts ?? 0;
    const seconds = i === 0 ? Math.max(1, (now.getTime() - startMs) / 1000) : 60;
    points.push({
      minute,
      posts,
      perSecond: Math.round((posts / seconds) * 100) / 100,
      activeShards: counter?.shards ?? 0,
    });
  }
  return points;
}

/** The day partitions (`STATS#<day>`) covering the last `minutes` minutes before `now`. */
export function statsPartitions(now: Date, minutes: number): { pk: string; fromSk: string; toSk: string }[] {
  const from = new Date(now.getTime() - (minutes - 1) * 60_000);
  const first = minuteKey(from);
  const last = minuteKey(now);
  if (first.pk === last.pk) return [{ pk: first.pk, fromSk: first.sk, toSk: last.sk }];
  return [
    { pk: first.pk, fromSk: first.sk, toSk: 'MINUTE#23:59' },
    { pk: last.pk, fromSk: 'MINUTE#00:00', toSk: last.sk },
  ];
}
