/**
 * Expected HTTP statuses as ranges: `"200-299"`, `"200-299,301"`. The canonical form (what the API
 * answers and DynamoDB stores) lists its parts in ascending order, with overlapping and adjacent
 * parts merged, no spaces, a single code as `301` and a range as `200-299`. Input may carry spaces
 * (`"200 - 299, 301"`), and the older array form `[200, 201, 301]` is still accepted and turned into
 * ranges, so clients written before ranges keep working.
 */

/** Lowest and highest status code a monitor may expect (RFC 9110 defines 1xx to 5xx). */
export const MIN_STATUS = 100;
export const MAX_STATUS = 599;

/** At most this many parts (codes or ranges) after merging: a list longer than that is a mistake. */
export const MAX_STATUS_PARTS = 20;

/** The longest string accepted: 20 ranges of 7 characters, commas, and some spaces. */
export const MAX_STATUS_TEXT_LENGTH = 200;

/** The old array form took up to 500 codes. */
export const MAX_STATUS_ARRAY_LENGTH = 500;

/** Any 2xx: the default. */
export const DEFAULT_EXPECTED_STATUS = '200-299';

/** An inclusive range of status codes. */
export type StatusRange = readonly [first: number, last: number];

/** A problem with an `expectedStatus` value; `index` points into the array form. */
export interface StatusProblem {
  index?: number;
  message: string;
}

/** Outcome of {@link parseExpectedStatus}. */
export type StatusParseResult = { ok: true; value: string } | { ok: false; problems: StatusProblem[] };

const PART = /^(\d{1,3})(?:\s*-\s*(\d{1,3}))?$/;
const EXAMPLE = 'e.g. "200-299" or "200-299,301"';

/** Sorted, merged ranges (overlapping or adjacent ones become one). */
function merge(ranges: readonly StatusRange[]): StatusRange[] {
  const sorted = [...ranges].sort((a, b) => a[0] - b[0] || a[1] - b[1]);
  const merged: [number, number][] = [];
  for (const [first, last] of sorted) {
    const previous = merged.at(-1);
    if (previous !== undefined && first <= previous[1] + 1) previous[1] = Math.max(previous[1], last);
    else merged.push([first, last]);
  }
  return merged;
}

/** The canonical text of `ranges`: `200-299,301`. */
export function formatStatusRanges(ranges: readonly StatusRange[]): string {
  return merge(ranges)
    .map(([first, last]) => (first === last ? `${first}` : `${first}-${last}`))
    .join(',');
}

function tooMany(count: number): StatusProblem {
  return {
    message: `must have at most ${MAX_STATUS_PARTS} parts (codes or ranges), has ${count} after merging`,
  };
}

function fromText(text: string): StatusParseResult {
  if (text.length > MAX_STATUS_TEXT_LENGTH) {
    return { ok: false, problems: [{ message: `must be at most ${MAX_STATUS_TEXT_LENGTH} characters` }] };
  }
  const parts = text.split(',').map((part) => part.trim());
  if (parts.every((part) => part === '')) {
    return { ok: false, problems: [{ message: `must list at least one status code or range, ${EXAMPLE}` }] };
  }
  const problems: StatusProblem[] = [];
  const ranges: StatusRange[] = [];
  for (const part of parts) {
    const match = PART.exec(part);
    if (match === null) {
      problems.push({
        message:
          part === ''
            ? 'has an empty part (two commas, or a comma at an end)'
            : `"${part.slice(0, 20)}" is not a status code or range (write 200 or 200-299)`,
      });
      continue;
    }
    const first = Number(match[1]);
    const last = match[2] === undefined ? first : Number(match[2]);
    const shown = match[2] === undefined ? `${first}` : `${first}-${last}`;
    if (first < MIN_STATUS || last > MAX_STATUS || first > MAX_STATUS || last < MIN_STATUS) {
      problems.push({ message: `${shown} is outside ${MIN_STATUS}-${MAX_STATUS}` });
    } else if (first > last) {
      problems.push({ message: `${shown} is reversed (write ${last}-${first})` });
    } else {
      ranges.push([first, last]);
    }
  }
  if (problems.length > 0) return { ok: false, problems };
  const merged = merge(ranges);
  if (merged.length > MAX_STATUS_PARTS) return { ok: false, problems: [tooMany(merged.length)] };
  return { ok: true, value: formatStatusRanges(merged) };
}

function fromArray(codes: readonly unknown[]): StatusParseResult {
  if (codes.length === 0) {
    return { ok: false, problems: [{ message: `must list at least one status code or range, ${EXAMPLE}` }] };
  }
  if (codes.length > MAX_STATUS_ARRAY_LENGTH) {
    return {
      ok: false,
      problems: [{ message: `must list at most ${MAX_STATUS_ARRAY_LENGTH} status codes` }],
    };
  }
  const problems: StatusProblem[] = [];
  codes.forEach((code, index) => {
    if (typeof code !== 'number' || !Number.isInteger(code) || code < MIN_STATUS || code > MAX_STATUS) {
      problems.push({ index, message: `must be an integer between ${MIN_STATUS} and ${MAX_STATUS}` });
    }
  });
  if (problems.length > 0) return { ok: false, problems };
  const merged = merge((codes as number[]).map((code): StatusRange => [code, code]));
  if (merged.length > MAX_STATUS_PARTS) return { ok: false, problems: [tooMany(merged.length)] };
  return { ok: true, value: formatStatusRanges(merged) };
}

/**
 * Validate an untrusted `expectedStatus`: a string of codes and ranges, or (the older form) an array
 * of codes. On success `value` is the canonical text; on failure every problem is named.
 */
export function parseExpectedStatus(value: unknown): StatusParseResult {
  if (typeof value === 'string') return fromText(value);
  if (Array.isArray(value)) return fromArray(value);
  return {
    ok: false,
    problems: [{ message: `must be a string of status codes and ranges, ${EXAMPLE}` }],
  };
}

/**
 * The ranges of a canonical (stored) value. Values are validated before they are stored, so a part
 * that does not parse is skipped rather than thrown on: a probe must not crash on one bad item.
 */
export function statusRanges(canonical: string): StatusRange[] {
  const ranges: StatusRange[] = [];
  for (const part of canonical.split(',')) {
    const match = PART.exec(part.trim());
    if (match === null) continue;
    const first = Number(match[1]);
    ranges.push([first, match[2] === undefined ? first : Number(match[2])]);
  }
  return ranges;
}

/** True when `code` is one of the statuses `expected` (canonical text) lists. */
export function isExpectedStatus(expected: string, code: number): boolean {
  return statusRanges(expected).some(([first, last]) => code >= first && code <= last);
}

/**
 * The stored value of a monitor as ranges: items written before ranges hold an array of codes (a
 * DynamoDB list), which is turned into its canonical text; anything unreadable falls back to the
 * default rather than failing every read of the monitor.
 */
export function storedExpectedStatus(stored: unknown): string {
  if (typeof stored === 'string') return stored;
  if (Array.isArray(stored) || stored instanceof Set) {
    // No part limit here: the old form allowed any 500 codes, and the monitor must keep checking them.
    const codes = [...stored]
      .map(Number)
      .filter((code) => Number.isInteger(code) && code >= MIN_STATUS && code <= MAX_STATUS);
    if (codes.length > 0) return formatStatusRanges(codes.map((code): StatusRange => [code, code]));
  }
  return DEFAULT_EXPECTED_STATUS;
}
