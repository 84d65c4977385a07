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
  /** Lower-case, NFC, without `#`, unique, in order of appearance. */
  hashtags: string[];
  /** Lower-case usernames without `@`, unique, in order of appearance. */
  mentions: string[];
  source: PostSource;
  receivedAt: string;
}

/** Why a record was refused: stable code plus a human reason. */
export interface RecordRejection {
  code: 'NotBase64' | 'NotJson' | 'InvalidEnvelope' | 'UnknownAuthor';
  reason: string;
}

export type DecodeResult = { ok: true; post: Post } | { ok: false; rejection: RecordRejection };

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

/** Hashtags from the post's entities, or from its text when X sent none. */
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
  return {
    ok: true,
    post: {
      id: post.id,
      text: post.text.normalize('NFC'),
      // X always sends created_at when asked; a post without one is dated by its arrival.
      createdAt: post.created_at ? new Date(post.created_at).toISOString() : received,
      authorId: author.id,
      authorUsername: normaliseUsername(author.username),
      ...(author.name === undefined ? {} : { authorName: author.name }),
      lang: normaliseLanguage(post.lang),
      hashtags: extractHashtags(post),
      mentions: extractMentions(post),
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
