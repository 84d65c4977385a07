import type { ServerResponse } from 'node:http';
import type { PostStore } from './post-store.js';
import { type FieldSelection, includesFor, renderPost } from './render.js';
import type { RuleStore } from './rules.js';
import type { XUser } from './types.js';

interface Connection {
  res: ServerResponse;
  stop(): void;
}

/**
 * The open connections of `GET /2/tweets/search/stream`: each receives, as newline-delimited JSON, the
 * posts that match a rule (`{ data, includes, matching_rules }`), and `\r\n` keep-alives between them.
 * Faults: drop every connection, or stall them (nothing sent, not even keep-alives).
 */
export class FilteredStreams {
  readonly #open = new Set<Connection>();
  readonly #store: PostStore;
  readonly #rules: RuleStore;
  readonly #userById: (id: string) => XUser | undefined;
  readonly #heartbeatMs: number;
  readonly #stalled: () => boolean;

  constructor(deps: {
    store: PostStore;
    rules: RuleStore;
    userById: (id: string) => XUser | undefined;
    heartbeatMs: number;
    stalled: () => boolean;
  }) {
    this.#store = deps.store;
    this.#rules = deps.rules;
    this.#userById = deps.userById;
    this.#heartbeatMs = deps.heartbeatMs;
    this.#stalled = deps.stalled;
  }

  get size(): number {
    return this.#open.size;
  }

  /** Holds the response open and streams matching posts into it until the client goes or a drop. */
  connect(res: ServerResponse, selection: FieldSelection, headers: Record<string, string>): void {
    res.writeHead(200, {
      'Content-Type': 'application/json; charset=utf-8',
      'Cache-Control': 'no-cache',
      ...headers,
    });
    res.flushHeaders();
    const write = (text: string) => {
      if (!this.#stalled() && !res.writableEnded) res.write(text);
    };
    const heartbeat = setInterval(() => write('\r\n'), this.#heartbeatMs);
    heartbeat.unref();
    const unsubscribe = this.#store.subscribe((post) => {
      const author = this.#userById(post.author_id);
      const matching = this.#rules.matching({ post, author });
      if (matching.length === 0) return;
      const includes = includesFor([post], selection, this.#userById);
      write(
        `${JSON.stringify({ data: renderPost(post, selection), ...(includes ? { includes } : {}), matching_rules: matching })}\r\n`,
      );
    });
    const connection: Connection = {
      res,
      stop: () => {
        clearInterval(heartbeat);
        unsubscribe();
        this.#open.delete(connection);
      },
    };
    this.#open.add(connection);
    res.on('close', connection.stop);
  }

  /** Cuts every open connection (a network drop, as the client sees it). */
  dropAll(): number {
    const count = this.#open.size;
    for (const connection of [...this.#open]) {
      connection.stop();
      connection.res.destroy();
    }
    return count;
  }
}
