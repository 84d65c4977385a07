/**
 * A small JSONPath subset: `$`, then any of `.name`, `['name']` / `["name"]` and `[index]` (negative
 * indexes count from the end), e.g. `$.data.items[0]['display-name']`. No wildcards, filters or
 * recursive descent: a health check compares one value.
 */

/** One step of a parsed path: an object key or an array index. */
export type JsonPathSegment = { key: string } | { index: number };

const identifier = /^[A-Za-z_$][\w$-]*/;

/** Parse `path`; `undefined` when it is not in the supported subset. */
export function parseJsonPath(path: string): JsonPathSegment[] | undefined {
  if (!path.startsWith('$')) return undefined;
  const segments: JsonPathSegment[] = [];
  let rest = path.slice(1);
  while (rest.length > 0) {
    if (rest.startsWith('.')) {
      const match = identifier.exec(rest.slice(1));
      if (match === null) return undefined;
      segments.push({ key: match[0] });
      rest = rest.slice(1 + match[0].length);
      continue;
    }
    const index = /^\[(-?\d+)\]/.exec(rest);
    if (index?.[1] !== undefined) {
      segments.push({ index: Number.parseInt(index[1], 10) });
      rest = rest.slice(index[0].length);
      continue;
    }
    const quoted = /^\[(?:'((?:[^'\\]|\\.)*)'|"((?:[^"\\]|\\.)*)")\]/.exec(rest);
    if (quoted !== null) {
      const raw = quoted[1] ?? quoted[2] ?? '';
      segments.push({ key: raw.replace(/\\(.)/g, '$1') });
      rest = rest.slice(quoted[0].length);
      continue;
    }
    return undefined;
  }
  return segments;
}

/** Whether `path` is in the supported subset. */
export function isValidJsonPath(path: string): boolean {
  return parseJsonPath(path) !== undefined;
}

/** Result of {@link evaluateJsonPath}: `found` is false when a step is missing. */
export type JsonPathValue = { found: true; value: unknown } | { found: false };

/** The value at `segments` in `document`. */
export function evaluateJsonPath(document: unknown, segments: readonly JsonPathSegment[]): JsonPathValue {
  let current: unknown = document;
  for (const segment of segments) {
    if ('index' in segment) {
      if (!Array.isArray(current)) return { found: false };
      const position = segment.index < 0 ? current.length + segment.index : segment.index;
      if (position < 0 || position >= current.length) return { found: false };
      current = current[position];
      continue;
    }
    if (typeof current !== 'object' || current === null || Array.isArray(current)) return { found: false };
    if (!Object.hasOwn(current, segment.key)) return { found: false };
    current = (current as Record<string, unknown>)[segment.key];
  }
  return { found: true, value: current };
}
