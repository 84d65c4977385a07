/**
 * Ingestion smoke test against a deployed stage: one post put on the posts stream comes out of the
 * consumer into PostsTable and is served by `GET /posts/{postId}` (Kinesis → Lambda → DynamoDB → API).
 */
import { randomInt } from 'node:crypto';
import { KinesisClient, PutRecordCommand } from '@aws-sdk/client-kinesis';
import { NodeHttpHandler } from '@smithy/node-http-handler';
import { describe, expect, it } from 'vitest';
import { apiUrl, eventually, requireEnv } from './env.js';

/** A decimal id of 19 digits, as X's snowflakes are (well above real ones' range today: no clash). */
function smokeId(): string {
  return `9${String(randomInt(10 ** 9)).padStart(9, '0')}${String(randomInt(10 ** 9)).padStart(9, '0')}`;
}

describe('ingestion smoke', () => {
  it('a post put on the stream is served by the API within two minutes', async () => {
    const streamName = requireEnv('KUMO_POSTS_STREAM_NAME');
    const postId = smokeId();
    const authorId = smokeId();
    const envelope = {
      schemaVersion: 1,
      source: 'feed',
      receivedAt: new Date().toISOString(),
      post: {
        id: postId,
        text: `Kumo smoke test #kumosmoke ${postId}`,
        author_id: authorId,
        created_at: new Date().toISOString(),
        lang: 'en',
      },
      users: [{ id: authorId, username: 'kumosmoke', name: 'Kumo smoke test' }],
    };
    // HTTP/1.1, as the application's own Kinesis client (functions/lib/clients/kinesis.ts).
    const kinesis = new KinesisClient({ requestHandler: new NodeHttpHandler({ connectionTimeout: 5_000 }) });
    await kinesis.send(
      new PutRecordCommand({
        StreamName: streamName,
        PartitionKey: postId,
        Data: new TextEncoder().encode(JSON.stringify(envelope)),
      }),
    );
    kinesis.destroy();

    const post = await eventually(
      async () => {
        const response = await fetch(`${apiUrl()}/posts/${postId}`);
        return response.status === 200 ? ((await response.json()) as Record<string, unknown>) : undefined;
      },
      { timeoutMs: 120_000, what: `post ${postId} in GET /posts/{postId}` },
    );
    expect(JSON.stringify(post)).toContain(postId);
  });
});
