/**
 * An in-memory X for the stream producer's unit tests: posts with snowflake ids made "now", recent
 * search over them (since_id / until_id, newest first, pages), and a filtered stream (`fetchImpl`) that
 * delivers each new post to the open connections, allows one connection at a time (429 beyond), and can
 * drop its connections or refuse the next ones. Also an in-memory stream lease.
 */
import { compareIds } from '../../functions/posts/domain/checkpoint.js';
import type {
  LeaseState,
  RecentSearch,
  RecentSearchRequest,
  RecentSearchResponse,
  StreamLease,
  StreamRules,
} from '../../functions/posts/domain/ports.js';
import type { XPost } from '../../functions/posts/domain/post.js';
import { snowflakeId } from '../../functions/posts/producer/sample-posts.js';
import { xPost, xUser } from './posts.js';

interface Connection {
  controller: ReadableStreamDefaultController<Uint8Array>;
  closed: boolean;
}

const encoder = new TextEncoder();

export class FakeX implements RecentSearch, StreamRules {
  public readonly posts: XPost[] = [];
  /** Connection attempts, and how each was answered. */
  public readonly attempts: number[] = [];
  public readonly rules: string[] = [];
  /** Statuses the next connection attempts get (then 200). */
  public refuseNext: number[] = [];
  private readonly open = new Set<Connection>();
  private sequence = 0;
  private timer: ReturnType<typeof setInterval> | undefined;

  /** The filtered stream's `fetch`. */
  public readonly fetchImpl: typeof fetch = async (_url, init) => {
    const refused = this.refuseNext.shift();
    const status = refused ?? (this.open.size > 0 ? 429 : 200);
    this.attempts.push(status);
    if (status !== 200) return new Response(JSON.stringify({ title: 'refused' }), { status });
    let connection: Connection | undefined;
    const body = new ReadableStream<Uint8Array>({
      start: (controller) => {
        connection = { controller, closed: false };
        this.open.add(connection);
        init?.signal?.addEventListener('abort', () => this.close(connection, 'abort'));
      },
      cancel: () => this.close(connection),
    });
    return new Response(body, { status: 200 });
  };

  public get connections(): number {
    return this.open.size;
  }

  /** Make `count` posts now; the open connections get them. */
  public create(count = 1): XPost[] {
    const made: XPost[] = [];
    for (let i = 0; i < count; i++) {
      const post = xPost({
        id: snowflakeId(new Date(), this.sequence++),
        created_at: new Date().toISOString(),
      });
      this.posts.push(post);
      made.push(post);
      const line = encoder.encode(`${JSON.stringify({ data: post, includes: { users: [xUser()] } })}\r\n`);
      for (const connection of this.open) connection.controller.enqueue(line);
    }
    return made;
  }

  /** Send `post` again on the open connections (X may deliver a post twice, around a reconnect). */
  public redeliver(post: XPost): void {
    const line = encoder.encode(`${JSON.stringify({ data: post, includes: { users: [xUser()] } })}\r\n`);
    for (const connection of this.open) connection.controller.enqueue(line);
  }

  /** Make a post every `everyMs` until {@link stopCreating}. */
  public startCreating(everyMs: number): void {
    this.timer = setInterval(() => this.create(1), everyMs);
  }

  public stopCreating(): void {
    clearInterval(this.timer);
  }

  /** End every open connection as a server drop does. */
  public dropAll(): void {
    for (const connection of [...this.open]) {
      this.open.delete(connection);
      connection.closed = true;
      connection.controller.close();
    }
  }

  public async search(request: RecentSearchRequest): Promise<RecentSearchResponse> {
    const matching = this.posts
      .filter((post) => request.sinceId === undefined || compareIds(post.id, request.sinceId) > 0)
      .filter((post) => request.untilId === undefined || compareIds(post.id, request.untilId) < 0)
      .sort((a, b) => compareIds(b.id, a.id));
    const offset = Number(request.nextToken ?? 0);
    const page = matching.slice(offset, offset + request.maxResults);
    const more = offset + request.maxResults < matching.length;
    return {
      kind: 'ok',
      rateLimit: { remaining: 100 },
      body: {
        ...(page.length > 0 ? { data: page, includes: { users: [xUser()] } } : {}),
        meta: {
          result_count: page.length,
          ...(more ? { next_token: String(offset + request.maxResults) } : {}),
        },
      },
    };
  }

  public async ensure(query: string): Promise<{ added: number; deleted: number }> {
    if (this.rules.includes(query)) return { added: 0, deleted: 0 };
    this.rules.push(query);
    return { added: 1, deleted: 0 };
  }

  private close(connection: Connection | undefined, reason?: 'abort'): void {
    if (connection === undefined || connection.closed) return;
    connection.closed = true;
    this.open.delete(connection);
    if (reason === 'abort') connection.controller.error(new DOMException('aborted', 'AbortError'));
  }
}

/** The lease rule of DynamoStreamLease, in memory. */
export class MemoryStreamLease implements StreamLease {
  public state: LeaseState = {};
  public readonly releases: string[] = [];

  public async claim(runId: string, startedAt: Date) {
    const before = { ...this.state };
    if (before.holderStartedAt !== undefined && before.holderStartedAt > startedAt) {
      return { claimed: false, before };
    }
    this.state = { ...this.state, holderId: runId, holderStartedAt: startedAt };
    return { claimed: true, before };
  }

  public async read(): Promise<LeaseState> {
    return { ...this.state };
  }

  public async release(runId: string, at: Date): Promise<void> {
    this.releases.push(runId);
    this.state = { ...this.state, releasedId: runId, releasedAt: at };
  }
}
