/**
 * `GET /photos` and `GET /public/photos` query strings: which listing (feed, `?label=`, `?mine=true`),
 * the page size and cursor.
 */
import * as z from 'zod';
import { formatIssues, type ParseResult } from '../../lib/validation.js';
import { normalizeLabel } from './labels.js';
import type { ListScope } from './types.js';

/** Page size of `GET /photos` without `limit`. */
export const DEFAULT_PAGE_SIZE = 24;
/** Largest `limit`. */
export const MAX_PAGE_SIZE = 50;

/** A parsed `GET /photos` request. */
export interface ListQuery {
  scope: ListScope;
  limit: number;
  cursor?: string;
}

const querySchema = z.strictObject({
  label: z
    .string()
    .transform((value) => normalizeLabel(value))
    .refine((label) => label !== '', { error: 'must name a label' })
    .refine((label) => label.length <= 100, { error: 'must be at most 100 characters' })
    .optional(),
  mine: z.enum(['true', 'false'], { error: 'must be true or false' }).optional(),
  limit: z
    .string()
    .regex(/^\d{1,3}$/, { error: `must be an integer between 1 and ${MAX_PAGE_SIZE}` })
    .transform(Number)
    .refine((n) => n >= 1 && n <= MAX_PAGE_SIZE, {
      error: `must be an integer between 1 and ${MAX_PAGE_SIZE}`,
    })
    .optional(),
  cursor: z.string().min(1, { error: 'must not be empty' }).optional(),
});

/** Validate the query string of `GET /photos` for the caller `ownerId`. */
export function parseListQuery(
  query: Readonly<Record<string, string | undefined>> | null,
  ownerId: string,
): ParseResult<ListQuery> {
  const parsed = querySchema.safeParse(query ?? {});
  if (!parsed.success) return { success: false, error: formatIssues(parsed.error.issues, 'query') };
  const { label, mine, limit, cursor } = parsed.data;
  if (label !== undefined && mine === 'true') {
    return { success: false, error: 'label: cannot be combined with mine=true' };
  }
  const scope: ListScope =
    label !== undefined
      ? { kind: 'label', label }
      : mine === 'true'
        ? { kind: 'mine', ownerId }
        : { kind: 'feed' };
  const result: ListQuery = { scope, limit: limit ?? DEFAULT_PAGE_SIZE };
  if (cursor !== undefined) result.cursor = cursor;
  return { success: true, data: result };
}

/** A parsed `GET /public/photos` request: the feed or a label search, never one user's photos. */
export interface PublicListQuery {
  scope: Extract<ListScope, { kind: 'feed' } | { kind: 'label' }>;
  limit: number;
  cursor?: string;
}

/**
 * Validate the query string of `GET /public/photos` (anyone, no caller): `label`, `limit` and `cursor`
 * as `GET /photos` takes them. `mine` is refused by name: a stranger has no photos of their own.
 */
export function parsePublicListQuery(
  query: Readonly<Record<string, string | undefined>> | null,
): ParseResult<PublicListQuery> {
  if (query !== null && Object.hasOwn(query, 'mine')) {
    return { success: false, error: 'mine: sign in and use GET /photos?mine=true for your own photos' };
  }
  const parsed = querySchema.omit({ mine: true }).safeParse(query ?? {});
  if (!parsed.success) return { success: false, error: formatIssues(parsed.error.issues, 'query') };
  const { label, limit, cursor } = parsed.data;
  const result: PublicListQuery = {
    scope: label !== undefined ? { kind: 'label', label } : { kind: 'feed' },
    limit: limit ?? DEFAULT_PAGE_SIZE,
  };
  if (cursor !== undefined) result.cursor = cursor;
  return { success: true, data: result };
}

/** `GET /labels?limit=`: how many labels, 1..100, default 20. */
export function parseLabelsLimit(
  query: Readonly<Record<string, string | undefined>> | null,
): ParseResult<number> {
  const schema = z.strictObject({
    limit: z
      .string()
      .regex(/^\d{1,3}$/, { error: 'must be an integer between 1 and 100' })
      .transform(Number)
      .refine((n) => n >= 1 && n <= 100, { error: 'must be an integer between 1 and 100' })
      .optional(),
  });
  const parsed = schema.safeParse(query ?? {});
  if (!parsed.success) return { success: false, error: formatIssues(parsed.error.issues, 'query') };
  return { success: true, data: parsed.data.limit ?? 20 };
}
