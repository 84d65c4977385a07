import type { XPost, XUser } from './types.js';

/** A query the local X API cannot read (unbalanced parentheses, an unknown operator...). */
export class QueryError extends Error {
  override readonly name = 'QueryError';
}

/** What a query is matched against: the post and its author. */
export interface Candidate {
  post: XPost;
  author?: XUser;
}

type Matcher = (candidate: Candidate) => boolean;

const MAX_QUERY_LENGTH = 512;

/**
 * Compiles the subset of X's search/rule language the local API understands: keywords and "exact
 * phrases" (case-insensitive, whole words), #hashtags, @mentions, $cashtags (as keywords), `from:`,
 * `to:`, `lang:`, `is:retweet|reply|quote|verified`, `has:hashtags|mentions|links`, `url:`,
 * `conversation_id:`, negation with `-`, grouping with parentheses, AND by juxtaposition and `OR`
 * (AND binds tighter, as on X).
 */
export function compileQuery(query: string): Matcher {
  const text = query.trim();
  if (!text) throw new QueryError('The query can not be empty');
  if (text.length > MAX_QUERY_LENGTH)
    throw new QueryError(`The query is longer than ${MAX_QUERY_LENGTH} characters`);
  const tokens = tokenize(text);
  let at = 0;
  const peek = () => tokens[at];

  const parseOr = (): Matcher => {
    const branches = [parseAnd()];
    while (peek() === 'OR') {
      at += 1;
      branches.push(parseAnd());
    }
    return branches.length === 1 ? (branches[0] as Matcher) : (c) => branches.some((b) => b(c));
  };
  const parseAnd = (): Matcher => {
    const parts: Matcher[] = [];
    while (at < tokens.length && peek() !== ')' && peek() !== 'OR') parts.push(parseUnary());
    if (parts.length === 0) throw new QueryError('An operator has nothing to apply to');
    return parts.length === 1 ? (parts[0] as Matcher) : (c) => parts.every((p) => p(c));
  };
  const parseUnary = (): Matcher => {
    const token = peek();
    if (token === '-') {
      at += 1;
      const inner = parseUnary();
      return (c) => !inner(c);
    }
    if (token === '(') {
      at += 1;
      const inner = parseOr();
      if (peek() !== ')') throw new QueryError('Unbalanced parentheses');
      at += 1;
      return inner;
    }
    at += 1;
    return term(token as string);
  };

  const matcher = parseOr();
  if (at < tokens.length) throw new QueryError('Unbalanced parentheses');
  return matcher;
}

function tokenize(text: string): string[] {
  const tokens: string[] = [];
  const pattern = /\s*(\(|\)|-(?=[^\s)])|"[^"]*"|[^\s()"]+)/y;
  let end = 0;
  let match: RegExpExecArray | null = pattern.exec(text);
  while (match) {
    tokens.push(match[1] as string);
    end = pattern.lastIndex;
    match = pattern.exec(text);
  }
  if (text.slice(end).trim()) throw new QueryError('Unterminated quoted phrase');
  return tokens;
}

function term(token: string): Matcher {
  if (token.startsWith('"')) {
    const phrase = words(token.slice(1, -1)).join(' ');
    return ({ post }) => ` ${words(post.text).join(' ')} `.includes(` ${phrase} `);
  }
  if (token.startsWith('#') && token.length > 1) {
    const tag = token.slice(1).toLowerCase();
    return ({ post }) => post.entities?.hashtags?.some((h) => h.tag.toLowerCase() === tag) ?? false;
  }
  if (token.startsWith('@') && token.length > 1) {
    const user = token.slice(1).toLowerCase();
    return ({ post }) => post.entities?.mentions?.some((m) => m.username.toLowerCase() === user) ?? false;
  }
  const colon = token.indexOf(':');
  if (colon > 0) {
    const operator = token.slice(0, colon).toLowerCase();
    const value = token.slice(colon + 1).replace(/^"|"$/g, '');
    const lower = value.toLowerCase();
    switch (operator) {
      case 'from':
        return ({ post, author }) => author?.username.toLowerCase() === lower || post.author_id === value;
      case 'to':
        return ({ post }) => post.entities?.mentions?.[0]?.username.toLowerCase() === lower;
      case 'lang':
        return ({ post }) => post.lang === lower;
      case 'conversation_id':
        return ({ post }) => post.conversation_id === value;
      case 'url':
        return ({ post }) =>
          post.entities?.urls?.some((u) => u.expanded_url.toLowerCase().includes(lower)) ?? false;
      case 'is':
        return isOperator(lower);
      case 'has':
        return hasOperator(lower);
      default:
        throw new QueryError(`Reference to invalid operator '${operator}'`);
    }
  }
  const keyword = words(token.replace(/^\$/, '')).join(' ');
  if (!keyword) return () => true;
  return ({ post }) => ` ${words(post.text).join(' ')} `.includes(` ${keyword} `);
}

function isOperator(value: string): Matcher {
  switch (value) {
    case 'retweet':
      return ({ post }) => post.referenced_tweets?.some((r) => r.type === 'retweeted') ?? false;
    case 'quote':
      return ({ post }) => post.referenced_tweets?.some((r) => r.type === 'quoted') ?? false;
    case 'reply':
      return ({ post }) => post.referenced_tweets?.some((r) => r.type === 'replied_to') ?? false;
    case 'verified':
      return ({ author }) => author?.verified ?? false;
    default:
      throw new QueryError(`Reference to invalid operator 'is:${value}'`);
  }
}

function hasOperator(value: string): Matcher {
  switch (value) {
    case 'hashtags':
      return ({ post }) => (post.entities?.hashtags?.length ?? 0) > 0;
    case 'mentions':
      return ({ post }) => (post.entities?.mentions?.length ?? 0) > 0;
    case 'links':
      return ({ post }) => (post.entities?.urls?.length ?? 0) > 0;
    default:
      throw new QueryError(`Reference to invalid operator 'has:${value}'`);
  }
}

/** Lower-case words (letters, digits, underscore in any script). */
function words(text: string): string[] {
  return text.toLowerCase().match(/[\p{L}\p{N}_]+/gu) ?? [];
}
