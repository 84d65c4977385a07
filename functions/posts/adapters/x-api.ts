/**
 * X API v2 over fetch: recent search for the poller. Requests ask for what the consumer needs: the
 * author (expansions=author_id with username and name), created_at, lang and entities.
 */
import type {
  RecentSearch,
  RecentSearchRequest,
  RecentSearchResponse,
  StreamRules,
} from '../domain/ports.js';
import { parseRateLimit } from '../domain/search.js';

export const POST_FIELDS = 'created_at,lang,entities,author_id,conversation_id';
export const USER_FIELDS = 'username,name';

/** The query string of a recent-search call. */
export function recentSearchUrl(baseUrl: string, request: RecentSearchRequest): string {
  const url = new URL(`${baseUrl}/2/tweets/search/recent`);
  url.searchParams.set('query', request.query);
  url.searchParams.set('max_results', String(request.maxResults));
  url.searchParams.set('tweet.fields', POST_FIELDS);
  url.searchParams.set('expansions', 'author_id');
  url.searchParams.set('user.fields', USER_FIELDS);
  if (request.sinceId) url.searchParams.set('since_id', request.sinceId);
  if (request.untilId) url.searchParams.set('until_id', request.untilId);
  if (request.nextToken) url.searchParams.set('next_token', request.nextToken);
  return url.toString();
}

export class HttpRecentSearch implements RecentSearch {
  public constructor(
    private readonly baseUrl: string,
    private readonly token: () => Promise<string>,
    private readonly fetchImpl: typeof fetch = (input, init) => fetch(input, init),
    private readonly timeoutMs = 15_000,
  ) {}

  public async search(request: RecentSearchRequest): Promise<RecentSearchResponse> {
    const response = await this.fetchImpl(recentSearchUrl(this.baseUrl, request), {
      headers: { authorization: `Bearer ${await this.token()}`, accept: 'application/json' },
      signal: AbortSignal.timeout(this.timeoutMs),
    });
    const rateLimit = parseRateLimit((name) => response.headers.get(name));
    if (response.status === 429) {
      await response.body?.cancel();
      return { kind: 'rate-limited', rateLimit };
    }
    const text = await response.text();
    if (!response.ok) {
      return { kind: 'error', status: response.status, message: text.slice(0, 500), rateLimit };
    }
    try {
      return { kind: 'ok', body: JSON.parse(text) as unknown, rateLimit };
    } catch {
      return { kind: 'error', status: response.status, message: 'response body is not JSON', rateLimit };
    }
  }
}

/** `GET|POST /2/tweets/search/stream/rules`: the filtered stream's rules follow the producer's query. */
export class HttpStreamRules implements StreamRules {
  public constructor(
    private readonly baseUrl: string,
    private readonly token: () => Promise<string>,
    private readonly fetchImpl: typeof fetch = (input, init) => fetch(input, init),
    private readonly timeoutMs = 15_000,
  ) {}

  public async ensure(query: string, tag: string): Promise<{ added: number; deleted: number }> {
    const listed = (await this.call('GET')) as { data?: { id?: unknown; value?: unknown; tag?: unknown }[] };
    const rules = (listed.data ?? []).filter(
      (rule): rule is { id: string; value: string; tag?: unknown } =>
        typeof rule.id === 'string' && typeof rule.value === 'string',
    );
    let added = 0;
    if (!rules.some((rule) => rule.value === query)) {
      const created = (await this.call('POST', { add: [{ value: query, tag }] })) as {
        errors?: { title?: string; details?: string[] }[];
        meta?: { summary?: { created?: number } };
      };
      added = created.meta?.summary?.created ?? 0;
      if (added === 0) {
        const reason = created.errors?.[0];
        throw new Error(
          `X refused the stream rule: ${reason?.title ?? 'no rule created'} ${reason?.details?.join('; ') ?? ''}`.trim(),
        );
      }
    }
    const stale = rules.filter((rule) => rule.tag === tag && rule.value !== query).map((rule) => rule.id);
    if (stale.length > 0) await this.call('POST', { delete: { ids: stale } });
    return { added, deleted: stale.length };
  }

  private async call(method: 'GET' | 'POST', body?: unknown): Promise<unknown> {
    const response = await this.fetchImpl(`${this.baseUrl}/2/tweets/search/stream/rules`, {
      method,
      headers: {
        authorization: `Bearer ${await this.token()}`,
        accept: 'application/json',
        ...(body === undefined ? {} : { 'content-type': 'application/json' }),
      },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
      signal: AbortSignal.timeout(this.timeoutMs),
    });
    const text = await response.text();
    if (!response.ok) throw new Error(`stream rules: HTTP ${response.status} ${text.slice(0, 300)}`);
    return JSON.parse(text) as unknown;
  }
}
