/**
 * Posts as X API v2 returns them, the envelope a Kinesis record carries, and the normalised post the
 * consumer stores. Pure: no AWS, no environment.
 */
import * as z from 'zod';

/** Version of the Kinesis record envelope; bump it when the shape changes incompatibly. */
export const ENVELOPE_SCHEMA_VERSION = 1;

/** X ids are decimal snowflakes of up to 19 digits. */
const xId = z.string().regex(/^\d{1,19}$/, { error: 'must be a decimal id of 1..19 digits' });

const entityBase = { start: z.number().int().nonnegative(), end: z.number().int().nonnegative() };

/** An X API v2 post (`data[]` of recent search, `data` of a filtered-stream line). Unknown fields pass. */
export const xPostSchema = z.looseObject({
  id: xId,
  text: z.string().min(1, { error: 'is empty' }).max(25_000),
  author_id: xId.optional(),
  created_at: z.iso.datetime({ offset: true, error: 'must be an ISO 8601 date-time' }).optional(),
  lang: z.string().max(35).optional(),
  conversation_id: xId.optional(),
  entities: z
    .looseObject({
      hashtags: z.array(z.looseObject({ ...entityBase, tag: z.string().min(1) })).optional(),
      mentions: z
        .array(z.looseObject({ ...entityBase, username: z.string().min(1), id: xId.optional() }))
        .optional(),
    })
    .optional(),
});

/** An X API v2 user (`includes.users[]`). */
export const xUserSchema = z.looseObject({
  id: xId,
  username: z.string().min(1).max(50),
  name: z.string().max(100).optional(),
});

export type XPost = z.infer<typeof xPostSchema>;
export type XUser = z.infer<typeof xUserSchema>;

/** Where a record came from. */
export const postSources = ['x-recent-search', 'x-filtered-stream', 'feed'] as const;
export type PostSource = (typeof postSources)[number];

/**
 * What one Kinesis record carries: one post, the users of `includes.users` it refers to (its author
 * first), where it came from and when the producer received it. Partition key: the post id.
 */
export const postEnvelopeSchema = z.object({
  schemaVersion: z.literal(ENVELOPE_SCHEMA_VERSION, {
    error: `schemaVersion must be ${ENVELOPE_SCHEMA_VERSION}`,
  }),
  source: z.enum(postSources),
  receivedAt: z.iso.datetime({ offset: true }),
  post: xPostSchema,
  users: z.array(xUserSchema).max(100).default([]),
});

export type PostEnvelope = z.input<typeof postEnvelopeSchema>;

/** A post as stored and served: keys of the indexes are derived from it (see post-items.ts). */
export interface Post {
  id: string;
  text: string;
  /** ISO 8601 in UTC with milliseconds (`toISOString`), so that it sorts as text. */
  createdAt: string;
  authorId: string;
  /** Lower-case, as the author index keys it. */
  authorUsername: string;
  authorName?: string;
  /** BCP 47 tag in lower case, `und` when X did not say. */
  lang: string;
  /** Lower-case, NFC, without `#`, unique, in order of appearance; capped (MAX_HASHTAGS_PER_POST). */
  hashtags: string[];
  /** Lower-case usernames without `@`, unique, in order of appearance; capped (MAX_MENTIONS_PER_POST). */
  mentions: string[];
  source: PostSource;
  receivedAt: string;
}

/** Why a record was refused: stable code plus a human reason. */
export interface RecordRejection {
  code: 'NotBase64' | 'NotJson' | 'InvalidEnvelope' | 'UnknownAuthor';
  reason: string;
}

/**
 * A valid post, and what was left out of its index to keep it within the caps below (empty when
 * nothing was): the consumer logs these notes; the post is stored.
 */
export type DecodeResult =
  | { ok: true; post: Post; notes: string[] }
  | { ok: false; rejection: RecordRejection };

/**
 * At most this many hashtags of a post are indexed. Each indexed hashtag is one more item in
 * PostsTable, a slim hashtag entry (post-items.ts), so a post costs 1 + hashtags writes; without a
 * cap a single record could fan out into thousands of writes (X's entities carry whatever the text
 * holds: a 25,000-character post can hold thousands of tags). 20 keeps a post's items (1 + 20) below
 * what one BatchWriteItem request takes (25), is more than a real post carries (X advises one or two,
 * Instagram refuses more than 30) and bounds the `hashtags` list the post item holds.
 */
export const MAX_HASHTAGS_PER_POST = 20;
/**
 * Longest hashtag indexed, in characters (code points, after NFC). A hashtag is a key twice: the sort
 * key `TAG#<tag>` (DynamoDB: at most 1,024 bytes) and HashtagIndex's partition key (2,048 bytes). At
 * 4 bytes per character in the worst case, 100 characters are 404 bytes of sort key: far inside both
 * limits. It is also the longest hashtag `GET /posts?hashtag=` accepts (posts-query.ts), so every
 * indexed tag can be asked for.
 */
export const MAX_HASHTAG_LENGTH = 100;
/** At most this many mentions are kept: the post item holds the list. */
export const MAX_MENTIONS_PER_POST = 50;
/** X usernames are at most 15 characters: a longer "mention" is not one. */
export const MAX_MENTION_LENGTH = 15;

/** Hashtag as X matches it in text: letters, marks, digits and underscore after `#` or `＃`. */
const hashtagPattern = /[#＃]([\p{L}\p{M}\p{N}_]+)/gu;
/** Mention: up to 15 word characters after `@` or `＠`, not preceded by a word character (e-mails). */
const mentionPattern = /(?<![\w@])[@＠](\w{1,15})/g;

/** `#Café` → `café`: NFC first (so `é` and `e\u0301` are one tag), then lower case, no leading `#`. */
export function normaliseHashtag(tag: string): string {
  return tag
    .normalize('NFC')
    .replace(/^[#＃]+/, '')
    .toLowerCase();
}

/** `@Kumo_Dev` → `kumo_dev`. */
export function normaliseUsername(username: string): string {
  return username
    .normalize('NFC')
    .replace(/^[@＠]+/, '')
    .toLowerCase();
}

/** X language codes (`en`, `pt-BR`, `und`) in lower case; anything that is not a BCP 47 shape is `und`. */
export function normaliseLanguage(lang: string | undefined): string {
  if (lang === undefined) return 'und';
  const lower = lang.trim().toLowerCase();
  return /^[a-z]{2,3}(-[a-z0-9]{2,8})*$/.test(lower) ? lower : 'und';
}

function unique(values: Iterable<string>): string[] {
  return [...new Set([...values].filter((value) => value !== ''))];
}

/** Hashtags from the post's entities, or from its text when X sent none (every one: see {@link capList}). */
export function extractHashtags(post: Pick<XPost, 'text' | 'entities'>): string[] {
  const fromEntities = post.entities?.hashtags;
  const raw = fromEntities
    ? fromEntities.map((entity) => entity.tag)
    : [...post.text.normalize('NFC').matchAll(hashtagPattern)].map((match) => match[1] ?? '');
  return unique(raw.map(normaliseHashtag));
}

/** Mentioned usernames from the post's entities, or from its text when X sent none. */
export function extractMentions(post: Pick<XPost, 'text' | 'entities'>): string[] {
  const fromEntities = post.entities?.mentions;
  const raw = fromEntities
    ? fromEntities.map((entity) => entity.username)
    : [...post.text.matchAll(mentionPattern)].map((match) => match[1] ?? '');
  return unique(raw.map(normaliseUsername));
}

/** What {@link capList} kept and left out. */
export interface CappedList {
  kept: string[];
  /** Values longer than the length cap. */
  tooLong: number;
  /** Values beyond the count cap (after the too-long ones are left out). */
  overCount: number;
}

/**
 * The first `maxCount` values of at most `maxLength` characters (code points). Values beyond the caps
 * are left out of the index rather than refusing the post: the post itself is real and complete (its
 * text still holds every tag), only its index is bounded.
 */
export function capList(values: readonly string[], maxCount: number, maxLength: number): CappedList {
  const short = values.filter((value) => [...value].length <= maxLength);
  return {
    kept: short.slice(0, maxCount),
    tooLong: values.length - short.length,
    overCount: Math.max(0, short.length - maxCount),
  };
}

function capNotes(what: string, capped: CappedList, maxCount: number, maxLength: number): string[] {
  const notes: string[] = [];
  if (capped.tooLong > 0) notes.push(`${capped.tooLong} ${what} over ${maxLength} characters left out`);
  if (capped.overCount > 0) notes.push(`${capped.overCount} ${what} beyond the first ${maxCount} left out`);
  return notes;
}

function issuesText(error: z.ZodError): string {
  return error.issues
    .slice(0, 5)
    .map((issue) => `${issue.path.join('.') || '(root)'}: ${issue.message}`)
    .join('; ');
}

/**
 * Validate an envelope and normalise its post. The author must be in `users` (X sends it in
 * `includes.users` when asked for `expansions=author_id`): a post without a known author cannot be
 * indexed by author, so it is refused rather than stored half-indexed.
 */
export function normaliseEnvelope(value: unknown): DecodeResult {
  const parsed = postEnvelopeSchema.safeParse(value);
  if (!parsed.success) {
    return { ok: false, rejection: { code: 'InvalidEnvelope', reason: issuesText(parsed.error) } };
  }
  const { post, users, source, receivedAt } = parsed.data;
  const author = users.find((user) => user.id === post.author_id) ?? (post.author_id ? undefined : users[0]);
  if (author === undefined) {
    return {
      ok: false,
      rejection: {
        code: 'UnknownAuthor',
        reason: `author ${post.author_id ?? '(none)'} of post ${post.id} is not in users`,
      },
    };
  }
  const received = new Date(receivedAt).toISOString();
  const hashtags = capList(extractHashtags(post), MAX_HASHTAGS_PER_POST, MAX_HASHTAG_LENGTH);
  const mentions = capList(extractMentions(post), MAX_MENTIONS_PER_POST, MAX_MENTION_LENGTH);
  return {
    ok: true,
    notes: [
      ...capNotes('hashtags', hashtags, MAX_HASHTAGS_PER_POST, MAX_HASHTAG_LENGTH),
      ...capNotes('mentions', mentions, MAX_MENTIONS_PER_POST, MAX_MENTION_LENGTH),
    ],
    post: {
      id: post.id,
      text: post.text.normalize('NFC'),
      // X always sends created_at when asked; a post without one is dated by its arrival.
      createdAt: post.created_at ? new Date(post.created_at).toISOString() : received,
      authorId: author.id,
      authorUsername: normaliseUsername(author.username),
      ...(author.name === undefined ? {} : { authorName: author.name }),
      lang: normaliseLanguage(post.lang),
      hashtags: hashtags.kept,
      mentions: mentions.kept,
      source,
      receivedAt: received,
    },
  };
}

/**
 * Decode the data of one Kinesis record (base64 of UTF-8 JSON) into a normalised post. Never throws:
 * every way a record can be wrong is a {@link RecordRejection}.
 */
export function decodeRecord(base64Data: string): DecodeResult {
  if (!/^[A-Za-z0-9+/]*={0,2}$/.test(base64Data) || base64Data.length % 4 !== 0) {
    return { ok: false, rejection: { code: 'NotBase64', reason: 'record data is not base64' } };
  }
  const text = Buffer.from(base64Data, 'base64').toString('utf8');
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (error) {
    return {
      ok: false,
      rejection: { code: 'NotJson', reason: `record data is not JSON: ${(error as Error).message}` },
    };
  }
  return normaliseEnvelope(json);
}

/** Build the envelope a producer sends for one post of an X response. */
export function envelopeFor(
  post: XPost,
  includesUsers: readonly XUser[],
  source: PostSource,
  receivedAt: Date,
): PostEnvelope {
  const author = includesUsers.find((user) => user.id === post.author_id);
  const mentioned = new Set(post.entities?.mentions?.map((m) => m.username.toLowerCase()) ?? []);
  const others = includesUsers.filter(
    (user) => user !== author && mentioned.has(user.username.toLowerCase()),
  );
  return {
    schemaVersion: ENVELOPE_SCHEMA_VERSION,
    source,
    receivedAt: receivedAt.toISOString(),
    post,
    users: author ? [author, ...others] : others,
  };
}
