import type { AwsError } from './errors.js';

/** The AWS Query protocol of a service: form-encoded `Action=...` (POST, or GET), XML answers. */
export interface QueryProtocol {
  /** The namespace of every XML answer (`http://sns.amazonaws.com/doc/2010-03-31/`). */
  xmlNamespace: string;
}

/** A request of the AWS Query protocol turned into the JSON shape the JSON protocol would carry. */
export interface QueryRequest {
  action: string;
  input: Record<string, unknown>;
}

type Tree = { [segment: string]: Tree | string };

/**
 * Parses form parameters (`Action=Publish&MessageAttributes.entry.1.Name=a&...`) into the input the
 * JSON protocol would send: `X.member.N...` becomes an array, `X.entry.N.(Name|key)` / `.(Value|value)`
 * a map, other dotted names nested objects. Action and Version are taken out. Scalars stay text (the
 * query protocol has no types): operations read them leniently.
 */
export function parseQueryParams(params: URLSearchParams): QueryRequest {
  const tree: Tree = {};
  for (const [key, value] of params) {
    if (key === 'Action' || key === 'Version') continue;
    insert(tree, key.split('.'), value);
  }
  const input = normalise(tree);
  return {
    action: params.get('Action') ?? '',
    input:
      typeof input === 'object' && input !== null && !Array.isArray(input)
        ? (input as Record<string, unknown>)
        : {},
  };
}

/**
 * `<ActionResponse><ActionResult>...</ActionResult><ResponseMetadata>...` as the query protocol answers;
 * no Result element when the operation has no output.
 */
export function queryResultXml(
  action: string,
  output: unknown,
  requestId: string,
  xmlNamespace: string,
): string {
  const result = output === undefined ? '' : `<${action}Result>${toXml(output)}</${action}Result>`;
  return (
    `<?xml version="1.0"?>\n<${action}Response xmlns="${xmlNamespace}">${result}` +
    `<ResponseMetadata><RequestId>${requestId}</RequestId></ResponseMetadata></${action}Response>\n`
  );
}

/** `<ErrorResponse><Error><Type/><Code/><Message/></Error><RequestId/></ErrorResponse>`. */
export function queryErrorXml(error: AwsError, requestId: string, xmlNamespace: string): string {
  return (
    `<?xml version="1.0"?>\n<ErrorResponse xmlns="${xmlNamespace}"><Error><Type>${error.fault}</Type>` +
    `<Code>${escapeXml(error.code)}</Code><Message>${escapeXml(error.message)}</Message></Error>` +
    `<RequestId>${requestId}</RequestId></ErrorResponse>\n`
  );
}

/**
 * A value as the query protocol's XML: lists as `<member>`, Maps as `<entry><key/><value/></entry>`,
 * structures by member name, Dates in ISO 8601; undefined and null members left out.
 */
export function toXml(value: unknown): string {
  if (value === undefined || value === null) return '';
  if (value instanceof Date) return value.toISOString();
  if (Array.isArray(value)) return value.map((v) => `<member>${toXml(v)}</member>`).join('');
  if (value instanceof Map) {
    return [...value]
      .map(([k, v]) => `<entry><key>${escapeXml(String(k))}</key><value>${toXml(v)}</value></entry>`)
      .join('');
  }
  if (typeof value === 'object') {
    return Object.entries(value)
      .filter(([, v]) => v !== undefined && v !== null)
      .map(([k, v]) => `<${k}>${toXml(v)}</${k}>`)
      .join('');
  }
  return escapeXml(String(value));
}

/** Escapes text for XML as AWS's query services do (numeric character references, `\r` included). */
export function escapeXml(text: string): string {
  return text.replace(/[&<>"'\r]/g, (c) => `&#${c.charCodeAt(0)};`);
}

function insert(tree: Tree, path: string[], value: string) {
  const [head, ...rest] = path;
  if (head === undefined) return;
  if (rest.length === 0) {
    tree[head] = value;
    return;
  }
  const child = tree[head];
  const node: Tree = typeof child === 'object' ? child : {};
  tree[head] = node;
  insert(node, rest, value);
}

function normalise(node: Tree | string): unknown {
  if (typeof node === 'string') return node;
  const keys = Object.keys(node);
  const only = keys.length === 1 ? node[keys[0] as string] : undefined;
  if (keys[0] === 'member' && typeof only === 'object') return numbered(only).map(normalise);
  if (keys[0] === 'entry' && typeof only === 'object') {
    return Object.fromEntries(
      numbered(only).flatMap((entry) => {
        if (typeof entry !== 'object') return [];
        const name = entry.Name ?? entry.key;
        const value = entry.Value ?? entry.value;
        return typeof name === 'string' && value !== undefined ? [[name, normalise(value)]] : [];
      }),
    );
  }
  return Object.fromEntries(keys.map((key) => [key, normalise(node[key] as Tree | string)]));
}

/** Children of a `member`/`entry` node in index order (1, 2, ... 10 — numerically, not as text). */
function numbered(node: Tree): (Tree | string)[] {
  return Object.keys(node)
    .filter((k) => /^\d+$/.test(k))
    .sort((a, b) => Number(a) - Number(b))
    .map((k) => node[k] as Tree | string);
}
