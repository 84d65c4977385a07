/**
 * PostsApiFunction: the stream page API over API Gateway REST proxy events.
 *
 * - `GET /posts?hashtag=&author=&cursor=&limit=` — newest first; `nextCursor` pages on.
 * - `GET /posts/{postId}` — one post.
 * - `GET /stream/stats?minutes=` — the stream's shard count (Kinesis DescribeStreamSummary) and the
 *   posts the consumer stored per minute (see domain/stats.ts for what that counter does and does not
 *   measure).
 */
import { documentClient } from '../../lib/clients/dynamodb.js';
import { NotFoundError, ValidationError } from '../../lib/errors.js';
import { json } from '../../lib/http.js';
import { withPowertools } from '../../lib/middy.js';
import { once } from '../../lib/once.js';
import { logger } from '../../lib/powertools.js';
import { createRouter, type Route } from '../../lib/router.js';
import { loadApiConfig } from '../adapters/config.js';
import type { StreamInfo } from '../adapters/kinesis.js';
import { type PostPage, PostQueries } from '../adapters/posts-table.js';
import { encodeCursor } from '../domain/post-items.js';
import { parsePostsQuery, parseStatsMinutes } from '../domain/posts-query.js';
import { buildSeries } from '../domain/stats.js';

const config = loadApiConfig(process.env);
const queries = new PostQueries(documentClient, config.postsTable);
// Kinesis (client and adapter) is loaded on the first /stream/stats request, not at init.
const loadStream = once(async () => {
  const [{ kinesisClient }, { describeStream }] = await Promise.all([
    import('../../lib/clients/kinesis.js'),
    import('../adapters/kinesis.js'),
  ]);
  return () => describeStream(kinesisClient, config.streamName);
});

function pageBody(page: PostPage) {
  return {
    posts: page.posts,
    nextCursor: page.nextBefore === undefined ? null : encodeCursor(page.nextBefore),
  };
}

/** The routes of the stream page. */
export const routes: Route[] = [
  {
    method: 'GET',
    resource: '/posts',
    handler: async ({ event }) => {
      const parsed = parsePostsQuery(event.queryStringParameters);
      if (!parsed.success) throw new ValidationError(parsed.error);
      const { hashtag, author, before, limit } = parsed.data;
      const page = { limit, ...(before === undefined ? {} : { before }) };
      const result =
        hashtag !== undefined
          ? await queries.byHashtag(hashtag, page, author)
          : author !== undefined
            ? await queries.byAuthor(author, page)
            : await queries.latest(page);
      return json(200, pageBody(result));
    },
  },
  {
    method: 'GET',
    resource: '/posts/{postId}',
    handler: async ({ event }) => {
      const postId = event.pathParameters?.postId;
      if (postId === undefined || !/^\d{1,19}$/.test(postId))
        throw new ValidationError('postId: a decimal id');
      const post = await queries.get(postId);
      if (post === undefined) throw new NotFoundError(`Post ${postId} not found`);
      return json(200, { post });
    },
  },
  {
    method: 'GET',
    resource: '/stream/stats',
    handler: async ({ event }) => {
      const minutes = parseStatsMinutes(event.queryStringParameters);
      if (!minutes.success) throw new ValidationError(minutes.error);
      const now = new Date();
      const [stream, counters] = await Promise.all([
        loadStream()
          .then((describe) => describe())
          .catch((error: unknown): StreamInfo | null => {
            // The chart still has something to show without the stream's own description.
            logger.warn('DescribeStreamSummary failed', { error: (error as Error).message });
            return null;
          }),
        queries.minuteCounters(minutes.data),
      ]);
      return json(200, {
        generatedAt: now.toISOString(),
        stream,
        series: buildSeries(counters, now, minutes.data),
        rateSource: 'consumer',
      });
    },
  },
];

/** The router before middleware. */
export const postsApi = createRouter(routes);

/** Lambda entry point (template.yaml: `posts-api.handler`). */
export const handler = withPowertools(postsApi, {
  correlationId: (event) => (event as Partial<typeof event> | null)?.requestContext?.requestId,
});
