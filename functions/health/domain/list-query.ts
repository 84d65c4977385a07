/**
 * Pages of monitors: the `?limit=&cursor=` query of `GET /monitors` and `GET /my/monitors`, which
 * listing a cursor belongs to, and the position it carries (checked field by field after its MAC).
 */
import * as z from 'zod';
import { ValidationError } from '../../lib/errors.js';
import { formatIssues, type ParseResult } from '../../lib/validation.js';
import { MONITOR_ID_PATTERN } from './monitor.js';

/** Page size without `limit`. */
export const DEFAULT_PAGE_SIZE = 50;
/** Largest `limit`. */
export const MAX_PAGE_SIZE = 100;

/** Which monitors a listing holds: the public ones, one owner's, or every one (operators). */
export type MonitorScope = { kind: 'public' } | { kind: 'owner'; ownerId: string } | { kind: 'all' };

/** Where a page starts: after this monitor (and its sort key, for the sorted listings). */
export interface PagePosition {
  monitorId: string;
  /** The public listing's sort key (lower-case name and id); owners' pages go by id, `all` by storage. */
  listKey?: string;
}

/** A parsed listing request. */
export interface ListQuery {
  limit: number;
  cursor?: string;
}

const limitError = `must be an integer between 1 and ${MAX_PAGE_SIZE}`;

const querySchema = z.strictObject({
  limit: z
    .string()
    .regex(/^\d{1,3}$/, { error: limitError })
    .transform(Number)
    .refine((n) => n >= 1 && n <= MAX_PAGE_SIZE, { error: limitError })
    .optional(),
  cursor: z.string().min(1, { error: 'must not be empty' }).optional(),
});

/** Validate the query string of a monitor listing; unknown parameters are refused by name. */
export function parseListQuery(
  query: Readonly<Record<string, string | undefined>> | null | undefined,
): ParseResult<ListQuery> {
  const parsed = querySchema.safeParse(query ?? {});
  if (!parsed.success) return { success: false, error: formatIssues(parsed.error.issues, 'query') };
  const result: ListQuery = { limit: parsed.data.limit ?? DEFAULT_PAGE_SIZE };
  if (parsed.data.cursor !== undefined) result.cursor = parsed.data.cursor;
  return { success: true, data: result };
}

/** The listing a cursor is bound to, as a string. */
export function scopeKey(scope: MonitorScope): string {
  switch (scope.kind) {
    case 'public':
      return 'monitors:public';
    case 'owner':
      return `monitors:owner:${scope.ownerId}`;
    case 'all':
      return 'monitors:all';
  }
}

/** A position as a cursor carries it. */
export function positionFields(position: PagePosition): Record<string, unknown> {
  return position.listKey === undefined
    ? { i: position.monitorId }
    : { i: position.monitorId, k: position.listKey };
}

/**
 * The position in the fields of a cursor whose MAC and listing checked out.
 *
 * @throws {ValidationError} `cursor: is malformed` for anything else
 */
export function positionOf(scope: MonitorScope, fields: Record<string, unknown>): PagePosition {
  const { i, k } = fields;
  const sorted = scope.kind === 'public';
  if (
    typeof i !== 'string' ||
    !MONITOR_ID_PATTERN.test(i) ||
    (sorted && (typeof k !== 'string' || k.length > 300)) ||
    (!sorted && k !== undefined)
  ) {
    throw new ValidationError('cursor: is malformed');
  }
  return sorted ? { monitorId: i, listKey: k as string } : { monitorId: i };
}
