/**
 * One connection to the X API v2 filtered stream (`GET /2/tweets/search/stream`): newline-delimited
 * JSON, `\r\n` keep-alives, and the ways a connection ends, classified for X's reconnection rules
 * (domain/backoff.ts).
 */

import { POST_FIELDS, USER_FIELDS } from '../adapters/x-api.js';
import { type DisconnectKind, STALL_TIMEOUT_MS } from '../domain/backoff.js';
import type { XPost, XUser } from '../domain/post.js';
import { xPostSchema, xUserSchema } from '../domain/post.js';

export interface StreamConnectionOptions {
  baseUrl: string;
  token: string;
  /** Aborts the connection (SIGTERM); the result is then `stopped`. */
  signal: AbortSignal;
  stallTimeoutMs?: number;
  fetchImpl?: typeof fetch;
  /** Called for every post line, in order; awaiting it applies backpressure to the reading. */
  onPost: (post: XPost, users: XUser[]) => Promise<void>;
  /** A line that is not a valid post (logged by the caller). */
  onInvalid?: (line: string, reason: string) => void;
  /** X answered 200: the connection is up and posts from now on arrive on it. */
  onConnected?: () => void;
}

export type ConnectionEnd =
  | { kind: 'stopped'; posts: number }
  | { kind: DisconnectKind; posts: number; detail: string; status?: number };

export function filteredStreamUrl(baseUrl: string): string {
  const url = new URL(`${baseUrl}/2/tweets/search/stream`);
  url.searchParams.set('tweet.fields', POST_FIELDS);
  url.searchParams.set('expansions', 'author_id');
  url.searchParams.set('user.fields', USER_FIELDS);
  return url.toString();
}

/** Connect, read until the stream ends, and say how it ended. Never throws. */
export async function readFilteredStream(options: StreamConnectionOptions): Promise<ConnectionEnd> {
  const stallMs = options.stallTimeoutMs ?? STALL_TIMEOUT_MS;
  const stall = new AbortController();
  const signal = AbortSignal.any([options.signal, stall.signal]);
  let timer: ReturnType<typeof setTimeout> | undefined;
  const armStall = () => {
    clearTimeout(timer);
    timer = setTimeout(() => stall.abort(new Error('stall')), stallMs);
  };
  let posts = 0;
  try {
    armStall();
    const response = await (options.fetchImpl ?? fetch)(filteredStreamUrl(options.baseUrl), {
      headers: { authorization: `Bearer ${options.token}` },
      signal,
    });
    if (response.status === 429) {
      await response.body?.cancel();
      return { kind: 'rate-limit', posts, detail: 'HTTP 429', status: 429 };
    }
    if (!response.ok || !response.body) {
      const detail = (await response.text().catch(() => '')).slice(0, 300);
      return {
        kind: 'http',
        posts,
        detail: `HTTP ${response.status} ${detail}`.trim(),
        status: response.status,
      };
    }
    options.onConnected?.();
    const decoder = new TextDecoder();
    let buffer = '';
    for await (const chunk of response.body) {
      armStall();
      buffer += decoder.decode(chunk, { stream: true });
      let newline = buffer.indexOf('\n');
      while (newline >= 0) {
        const line = buffer.slice(0, newline).trim();
        buffer = buffer.slice(newline + 1);
        newline = buffer.indexOf('\n');
        if (line === '') continue; // keep-alive
        let parsed: { data?: unknown; includes?: { users?: unknown[] } };
        try {
          parsed = JSON.parse(line);
        } catch {
          options.onInvalid?.(line, 'not JSON');
          continue;
        }
        const post = xPostSchema.safeParse(parsed.data);
        if (!post.success) {
          options.onInvalid?.(
            line,
            post.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; '),
          );
          continue;
        }
        const users = (parsed.includes?.users ?? []).flatMap((u) => {
          const user = xUserSchema.safeParse(u);
          return user.success ? [user.data] : [];
        });
        // While the sender is behind, this await holds the reading: the queue stays bounded.
        clearTimeout(timer);
        await options.onPost(post.data, users);
        armStall();
        posts++;
      }
    }
    return { kind: 'dropped', posts, detail: 'the server closed the stream' };
  } catch (error) {
    if (options.signal.aborted) return { kind: 'stopped', posts };
    if (stall.signal.aborted) {
      return { kind: 'network', posts, detail: `no data or keep-alive for ${stallMs / 1000} s` };
    }
    return { kind: 'network', posts, detail: error instanceof Error ? error.message : String(error) };
  } finally {
    clearTimeout(timer);
  }
}
