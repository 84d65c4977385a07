/**
 * The X API v2 recent-search response and its rate-limit headers. Pure.
 */
import * as z from 'zod';
import { xPostSchema, xUserSchema } from './post.js';

/** `GET /2/tweets/search/recent` body (also the shape of a filtered-stream line, without `meta`). */
export const searchResponseSchema = z.looseObject({
  data: z.array(z.unknown()).optional(),
  includes: z.looseObject({ users: z.array(xUserSchema).optional() }).optional(),
  meta: z
    .looseObject({
      newest_id: z.string().optional(),
      oldest_id: z.string().optional(),
      result_count: z.number().int().nonnegative().optional(),
      next_token: z.string().optional(),
    })
    .optional(),
});

/** What a page of recent search brings, posts already split into valid and invalid. */
export interface SearchPage {
  posts: z.infer<typeof xPostSchema>[];
  /** Entries of `data` that are not valid posts, with the reason: logged, never sent. */
  invalid: { value: unknown; reason: string }[];
  users: z.infer<typeof xUserSchema>[];
  nextToken?: string;
}

/** Parse a response body; undefined when it is not a search response at all. */
export function parseSearchPage(body: unknown): SearchPage | undefined {
  const parsed = searchResponseSchema.safeParse(body);
  if (!parsed.success) return undefined;
  const posts: SearchPage['posts'] = [];
  const invalid: SearchPage['invalid'] = [];
  for (const value of parsed.data.data ?? []) {
    const post = xPostSchema.safeParse(value);
    if (post.success) posts.push(post.data);
    else
      invalid.push({
        value,
        reason: post.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; '),
      });
  }
  const nextToken = parsed.data.meta?.next_token;
  return { posts, invalid, users: parsed.data.includes?.users ?? [], ...(nextToken ? { nextToken } : {}) };
}

/** X's rate-limit headers. */
export interface RateLimit {
  limit?: number;
  remaining?: number;
  /** When the window resets (`x-rate-limit-reset`, epoch seconds). */
  resetAt?: Date;
}

/** Read `x-rate-limit-limit`, `-remaining`, `-reset`; missing or garbled headers are left out. */
export function parseRateLimit(header: (name: string) => string | null | undefined): RateLimit {
  const number = (name: string) => {
    const value = header(name);
    if (value === null || value === undefined || !/^\d+$/.test(value.trim())) return undefined;
    return Number(value.trim());
  };
  const limit = number('x-rate-limit-limit');
  const remaining = number('x-rate-limit-remaining');
  const reset = number('x-rate-limit-reset');
  return {
    ...(limit === undefined ? {} : { limit }),
    ...(remaining === undefined ? {} : { remaining }),
    ...(reset === undefined ? {} : { resetAt: new Date(reset * 1000) }),
  };
}

/** True when the window has no call left: the run stops rather than earn a 429. */
export function windowExhausted(rateLimit: RateLimit): boolean {
  return rateLimit.remaining !== undefined && rateLimit.remaining <= 0;
}
