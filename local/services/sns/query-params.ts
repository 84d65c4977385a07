/** A request of the AWS Query protocol turned into the JSON shape the JSON protocol would carry. */
export interface QueryRequest {
  action: string;
  input: Record<string, unknown>;
}

type Tree = { [segment: string]: Tree | string };

/**
 * Parses form parameters (`Action=Publish&MessageAttributes.entry.1.Name=a&...`) into the input the
 * JSON protocol would send: `X.member.N...` becomes an array, `X.entry.N.(Name|key)` / `.(Value|value)`
 * a map, other dotted names nested objects. Action and Version are taken out.
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
