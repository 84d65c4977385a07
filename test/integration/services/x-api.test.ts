import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createXService, type XPost, type XService } from '../../../local/services/x/index.js';
import { fixtureModel, TEST_TOKEN, tempDataRoot, testContext } from '../../helpers/service-context.js';

const TOKEN = 'test-token';
let x: XService;

async function api(route: string, init: RequestInit & { token?: string | null } = {}) {
  const { token = TOKEN, ...rest } = init;
  const response = await fetch(`${x.url}${route}`, {
    ...rest,
    headers: {
      ...(token ? { Authorization: `Bearer ${token}` } : {}),
      // The control routes ask for the local cloud's token (local/guard), the X API for its bearer.
      ...(route.startsWith('/_kumo/') ? { 'X-Kumo-Token': TEST_TOKEN } : {}),
      ...(rest.body ? { 'Content-Type': 'application/json' } : {}),
    },
  });
  const text = await response.text();
  return { status: response.status, headers: response.headers, body: text ? JSON.parse(text) : undefined };
}

const control = (route: string, body: unknown) =>
  api(`/_kumo/x/${route}`, { method: 'POST', body: JSON.stringify(body), token: null });

async function allPosts(): Promise<XPost[]> {
  return (await api('/_kumo/x/posts?limit=10000', { token: null })).body.data;
}

beforeAll(async () => {
  const model = await fixtureModel('kinesis.yaml');
  const { ctx } = testContext(model, await tempDataRoot());
  x = (await createXService({
    postsPerSecond: 0,
    bearerTokens: [TOKEN],
    heartbeatSeconds: 0.1,
    seed: 7,
    rateLimits: { rules: { limit: 3, windowSeconds: 1 } },
  }).start(ctx)) as XService;
});

afterAll(async () => {
  await x?.stop();
});

describe('Service: local X API', () => {
  it('is needed with the post pipeline (a Kinesis stream) and refuses requests without the bearer token', async () => {
    const model = await fixtureModel('kinesis.yaml');
    expect(createXService().needed(model)).toBe(true);
    expect(createXService().needed({ ...model, resources: new Map() })).toBe(false);
    const missing = await api('/2/tweets/search/recent?query=aws', { token: null });
    expect(missing.status).toBe(401);
    expect(missing.body).toEqual({
      title: 'Unauthorized',
      type: 'about:blank',
      status: 401,
      detail: 'Unauthorized',
    });
    expect((await api('/2/tweets/search/recent?query=aws', { token: 'wrong' })).status).toBe(401);
  });

  it('pages through recent search with next_token, newest first, with the fields and expansions asked for', async () => {
    await control('generate', { count: 800 });
    const expected = (await allPosts())
      .filter((p) => p.entities?.hashtags?.some((h) => h.tag === 'aws'))
      .map((p) => p.id)
      .reverse();
    expect(expected.length).toBeGreaterThan(100);

    const seen: string[] = [];
    let token: string | undefined;
    let pages = 0;
    do {
      const params = new URLSearchParams({
        query: '#aws',
        max_results: '100',
        'tweet.fields': 'author_id,created_at,lang,entities',
        expansions: 'author_id',
        ...(token ? { next_token: token } : {}),
      });
      const { status, body, headers } = await api(`/2/tweets/search/recent?${params}`);
      expect(status).toBe(200);
      expect(headers.get('x-rate-limit-limit')).toBe('450');
      expect(Number(headers.get('x-rate-limit-remaining'))).toBeLessThan(450);
      expect(Number(headers.get('x-rate-limit-reset'))).toBeGreaterThan(Date.now() / 1000);
      const ids = body.data.map((p: XPost) => p.id);
      expect(body.meta).toMatchObject({ newest_id: ids[0], oldest_id: ids.at(-1), result_count: ids.length });
      const [post] = body.data;
      expect(Object.keys(post).sort()).toEqual(
        ['author_id', 'created_at', 'edit_history_tweet_ids', 'entities', 'id', 'lang', 'text'].sort(),
      );
      expect(body.includes.users.map((u: { id: string }) => u.id)).toContain(post.author_id);
      expect(Object.keys(body.includes.users[0]).sort()).toEqual(['id', 'name', 'username']);
      seen.push(...ids);
      token = body.meta.next_token;
      pages += 1;
    } while (token);
    expect(seen).toEqual(expected);
    expect(pages).toBe(Math.ceil(expected.length / 100));
  });

  it('returns only posts newer than since_id, and an empty result as X does', async () => {
    const newest = (await allPosts()).at(-1)?.id as string;
    const none = await api(
      `/2/tweets/search/recent?query=${encodeURIComponent('lang:en OR -lang:en')}&since_id=${newest}`,
    );
    expect(none.body).toEqual({ meta: { result_count: 0 } });
    await control('generate', { count: 15 });
    const some = await api(
      `/2/tweets/search/recent?query=${encodeURIComponent('lang:en OR -lang:en')}&since_id=${newest}&max_results=100`,
    );
    expect(some.body.meta.result_count).toBe(15);
    expect(some.body.data.every((p: XPost) => BigInt(p.id) > BigInt(newest))).toBe(true);
    const bad = await api('/2/tweets/search/recent?query=aws&max_results=5');
    expect(bad.status).toBe(400);
    expect(bad.body.title).toBe('Invalid Request');
  });

  it('answers 429 when the limit is used up or a fault asks for it, then recovers', async () => {
    const injected = await control('faults', { rateLimit: 2, rateLimitResetSeconds: 1 });
    expect(injected.status).toBe(200);
    for (let i = 0; i < 2; i += 1) {
      const limited = await api('/2/tweets/search/recent?query=aws');
      expect(limited.status).toBe(429);
      expect(limited.headers.get('x-rate-limit-remaining')).toBe('0');
      expect(Number(limited.headers.get('x-rate-limit-reset'))).toBeLessThanOrEqual(
        Math.ceil(Date.now() / 1000) + 1,
      );
    }
    expect((await api('/2/tweets/search/recent?query=aws')).status).toBe(200);

    const statuses = [];
    for (let i = 0; i < 4; i += 1) statuses.push((await api('/2/tweets/search/stream/rules')).status);
    expect(statuses).toEqual([200, 200, 200, 429]);
    await new Promise((resolve) => setTimeout(resolve, 1_100));
    expect((await api('/2/tweets/search/stream/rules')).status).toBe(200);

    await control('faults', { httpError: 503 });
    expect((await api('/2/tweets/search/recent?query=aws')).status).toBe(503);
    expect((await api('/2/tweets/search/recent?query=aws')).status).toBe(200);
  });

  it('streams posts matching the rules with keep-alives, allows one connection, and drops it on demand', async () => {
    const added = await api('/2/tweets/search/stream/rules', {
      method: 'POST',
      body: JSON.stringify({
        add: [{ value: '#aws -is:retweet', tag: 'aws posts' }, { value: '(unbalanced' }],
      }),
    });
    expect(added.status).toBe(201);
    expect(added.body.meta.summary).toEqual({ created: 1, not_created: 1, valid: 1, invalid: 1 });
    const ruleId = added.body.data[0].id;

    const response = await fetch(`${x.url}/2/tweets/search/stream?expansions=author_id`, {
      headers: { Authorization: `Bearer ${TOKEN}` },
    });
    expect(response.status).toBe(200);
    expect((await api('/2/tweets/search/stream')).body.connection_issue).toBe('TooManyConnections');
    const reader = (response.body as ReadableStream<Uint8Array>).getReader();
    const decoder = new TextDecoder();
    let text = '';
    const readUntil = async (done: (t: string) => boolean) => {
      while (!done(text)) {
        const chunk = await reader.read();
        if (chunk.done) break;
        text += decoder.decode(chunk.value);
      }
    };
    await readUntil((t) => t.includes('\r\n'));
    expect(text.trim()).toBe('');

    await control('generate', { count: 60 });
    await readUntil((t) => t.split('\r\n').some((line) => line.startsWith('{')));
    const line = text.split('\r\n').find((l) => l.startsWith('{')) as string;
    const message = JSON.parse(line);
    expect(message.matching_rules).toEqual([{ id: ruleId, tag: 'aws posts' }]);
    expect(message.data.text).toContain('#aws');
    expect(message.includes.users).toHaveLength(1);

    const dropped = await control('faults', { dropStream: true });
    expect(dropped.body.droppedStreams).toBe(1);
    await expect(
      (async () => {
        for (;;) {
          const chunk = await reader.read();
          if (chunk.done) return 'ended';
        }
      })(),
    ).rejects.toThrow();
  });
});
