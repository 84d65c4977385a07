import { SnowflakeIds } from './snowflake.js';
import type { XEntities, XPost, XUser } from './types.js';

/** A small deterministic random source (mulberry32), so a seed gives the same posts. */
function random(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296;
  };
}

const FIRST = [
  'Ana',
  'Kenji',
  'Léa',
  'Lukas',
  'Maya',
  'Omar',
  'Priya',
  'Sofia',
  'Tomás',
  'Yuki',
  'Zoe',
  'Ravi',
  'Chloé',
  'Mateo',
  'Hana',
  'Jonas',
  'Amara',
  'Diego',
  'Elif',
  'Noah',
];
const LAST = [
  'Silva',
  'Tanaka',
  'Martin',
  'Müller',
  'Cohen',
  'Haddad',
  'Iyer',
  'Rossi',
  'García',
  'Sato',
  'Nguyen',
  'Kumar',
  'Dubois',
  'López',
  'Kim',
  'Berg',
  'Okafor',
  'Fernández',
  'Yılmaz',
  'Brown',
];
const ROLES = [
  'cloud engineer',
  'SRE',
  'serverless fan',
  'data engineer',
  'TypeScript developer',
  'DevOps lead',
  'architect',
  'student',
];

/** Post templates per language: `{tag}` becomes a hashtag, `{mention}` a username, `{link}` a t.co link. */
const TEMPLATES: Record<string, string[]> = {
  en: [
    'Just moved our ingest pipeline to Kinesis + Lambda. Batch writes to DynamoDB made it 4x faster {tag} {tag}',
    'Partial batch responses are the best thing that happened to stream consumers {tag} cc {mention}',
    'Anyone else seeing iterator age climb after a reshard? {tag} {link}',
    'Shipped: idempotent writes keyed by post id. Replays are boring now, as they should be {tag}',
    'Cold starts under 200 ms on arm64 with esbuild bundles {tag} {tag}',
    'Reading {mention} on event-driven design this morning. Great thread {tag} {link}',
    'TIL: BisectBatchOnFunctionError isolates a poison record in log2(n) retries {tag}',
  ],
  es: [
    'Hoy migramos el pipeline de ingesta a {tag}. ¡Cero mensajes perdidos! {tag}',
    'Gran charla de {mention} sobre arquitecturas orientadas a eventos {tag} {link}',
    'Los reintentos con backoff exponencial nos salvaron el día {tag}',
  ],
  fr: [
    'Nouvelle démo : des flux Kinesis consommés par Lambda, sans perte {tag} {tag}',
    'Merci {mention} pour l’atelier sur le {tag} hier soir ! {link}',
    'Le partitionnement par clé garde l’ordre des messages {tag}',
  ],
  de: [
    'Unsere Pipeline verarbeitet jetzt 10.000 Datensätze pro Sekunde {tag} {tag}',
    'Spannender Vortrag von {mention} über Resharding {tag} {link}',
    'Idempotente Writes sind kein Luxus {tag}',
  ],
  ja: [
    'Kinesis と Lambda でストリーム処理を始めました {tag} {tag}',
    '{mention} さんのサーバーレス勉強会、とても参考になりました {tag} {link}',
    'バッチ書き込みで DynamoDB のスループットが大幅に向上 {tag}',
  ],
  pt: [
    'Migramos a ingestão para streams e funções sem servidor {tag} {tag}',
    'Ótima palestra do {mention} sobre observabilidade {tag} {link}',
    'Escritas idempotentes: replays sem duplicatas {tag}',
  ],
};

const TAGS: Record<string, string[]> = {
  en: [
    'aws',
    'serverless',
    'lambda',
    'kinesis',
    'dynamodb',
    'typescript',
    'nodejs',
    'cloud',
    'devops',
    'eventdriven',
    'streaming',
  ],
  es: ['aws', 'serverless', 'nube', 'programación', 'lambda'],
  fr: ['aws', 'serverless', 'cloud', 'développement', 'streaming'],
  de: ['aws', 'serverless', 'cloud', 'entwicklung', 'kinesis'],
  ja: ['aws', 'サーバーレス', 'クラウド', 'lambda', 'kinesis'],
  pt: ['aws', 'serverless', 'nuvem', 'lambda', 'dynamodb'],
};

/** Language mix of the feed (English most). */
const LANGUAGES = ['en', 'en', 'en', 'en', 'es', 'es', 'fr', 'de', 'ja', 'pt'];
const SOURCES = ['Twitter Web App', 'Twitter for iPhone', 'Twitter for Android', 'Kumo feed'];
const RETWEET_SHARE = 0.1;

/** Options of the generator. */
export interface GeneratorOptions {
  /** Same seed, same authors and texts (ids and times still follow the clock). */
  seed?: number;
  authors?: number;
}

/**
 * Makes realistic posts for the local X API: a fixed cast of authors with ids and usernames, texts in
 * six languages with hashtags, mentions and links (entities with code-point offsets), some retweets,
 * public metrics, and snowflake ids that only grow, with matching created_at times.
 */
export class PostGenerator {
  readonly users: readonly XUser[];
  readonly #random: () => number;
  readonly #ids = new SnowflakeIds(7);
  readonly #recent: XPost[] = [];

  constructor(options: GeneratorOptions = {}) {
    this.#random = random(options.seed ?? 20_101_104);
    const userIds = new SnowflakeIds(3);
    const base = Date.UTC(2012, 0, 1);
    this.users = Array.from({ length: options.authors ?? 40 }, (_, i) => {
      const first = this.#pick(FIRST);
      const last = this.#pick(LAST);
      const username = `${ascii(first)}${ascii(last)}${i}`.slice(0, 15).toLowerCase();
      const created = base + Math.floor(this.#random() * 10 * 365 * 86_400_000);
      return {
        id: userIds.next(created),
        name: `${first} ${last}`,
        username,
        created_at: new Date(created).toISOString(),
        description: `${this.#pick(ROLES)} · opinions my own`,
        verified: this.#random() < 0.1,
        protected: false,
        public_metrics: {
          followers_count: Math.floor(this.#random() ** 3 * 50_000),
          following_count: Math.floor(this.#random() * 2_000),
          tweet_count: Math.floor(this.#random() * 20_000),
          listed_count: Math.floor(this.#random() * 200),
        },
      };
    });
  }

  /** The next post, made now. */
  next(now: number = Date.now()): XPost {
    const author = this.#pick(this.users);
    const id = this.#ids.next(now);
    const original =
      this.#recent.length > 0 && this.#random() < RETWEET_SHARE ? this.#pick(this.#recent) : undefined;
    const post = original ? this.#retweet(id, author, original, now) : this.#original(id, author, now);
    this.#recent.push(post);
    if (this.#recent.length > 50) this.#recent.shift();
    return post;
  }

  userById(id: string): XUser | undefined {
    return this.users.find((u) => u.id === id);
  }

  #original(id: string, author: XUser, now: number): XPost {
    const lang = this.#pick(LANGUAGES);
    const template = this.#pick(TEMPLATES[lang] ?? TEMPLATES.en ?? []);
    const tags = TAGS[lang] ?? [];
    const entities: Required<XEntities> = { hashtags: [], mentions: [], urls: [] };
    let text = '';
    let offset = 0;
    const add = (piece: string) => {
      text += piece;
      offset += [...piece].length;
    };
    for (const part of template.split(/(\{tag\}|\{mention\}|\{link\})/)) {
      if (part === '{tag}') {
        const tag = this.#pick(tags.filter((t) => !entities.hashtags.some((h) => h.tag === t)));
        entities.hashtags.push({ start: offset, end: offset + [...tag].length + 1, tag });
        add(`#${tag}`);
      } else if (part === '{mention}') {
        const other = this.#pick(this.users.filter((u) => u.id !== author.id));
        entities.mentions.push({
          start: offset,
          end: offset + other.username.length + 1,
          username: other.username,
          id: other.id,
        });
        add(`@${other.username}`);
      } else if (part === '{link}') {
        const code = Math.floor(this.#random() * 36 ** 10)
          .toString(36)
          .padStart(10, '0');
        const url = `https://t.co/${code}`;
        const slug = this.#pick([
          'kinesis-resharding',
          'partial-batch',
          'idempotency',
          'serverless-patterns',
        ]);
        entities.urls.push({
          start: offset,
          end: offset + url.length,
          url,
          expanded_url: `https://example.com/blog/${slug}`,
          display_url: `example.com/blog/${slug}`,
        });
        add(url);
      } else {
        add(part);
      }
    }
    return {
      id,
      text,
      edit_history_tweet_ids: [id],
      author_id: author.id,
      created_at: new Date(now).toISOString(),
      lang,
      conversation_id: id,
      possibly_sensitive: false,
      source: this.#pick(SOURCES),
      entities: pruneEntities(entities),
      public_metrics: this.#metrics(),
    };
  }

  #retweet(id: string, author: XUser, original: XPost, now: number): XPost {
    const source = this.userById(original.author_id);
    const prefix = `RT @${source?.username ?? 'unknown'}: `;
    const shift = [...prefix].length;
    const moved = (list: { start: number; end: number }[] | undefined) =>
      list?.map((e) => ({ ...e, start: e.start + shift, end: e.end + shift }));
    return {
      ...original,
      id,
      text: `${prefix}${original.text}`,
      edit_history_tweet_ids: [id],
      author_id: author.id,
      created_at: new Date(now).toISOString(),
      conversation_id: id,
      referenced_tweets: [{ type: 'retweeted', id: original.id }],
      entities: pruneEntities({
        hashtags: moved(original.entities?.hashtags) as XEntities['hashtags'],
        mentions: [
          {
            start: 3,
            end: 3 + (source?.username.length ?? 7) + 1,
            username: source?.username ?? 'unknown',
            id: original.author_id,
          },
          ...((moved(original.entities?.mentions) ?? []) as NonNullable<XEntities['mentions']>),
        ],
        urls: moved(original.entities?.urls) as XEntities['urls'],
      }),
      public_metrics: this.#metrics(),
    };
  }

  #metrics(): XPost['public_metrics'] {
    const heat = this.#random() ** 4;
    return {
      retweet_count: Math.floor(heat * 200),
      reply_count: Math.floor(heat * 40),
      like_count: Math.floor(heat * 1_500),
      quote_count: Math.floor(heat * 15),
      bookmark_count: Math.floor(heat * 60),
      impression_count: Math.floor(heat * 40_000) + 10,
    };
  }

  #pick<T>(list: readonly T[]): T {
    return list[Math.floor(this.#random() * list.length)] as T;
  }
}

function ascii(name: string): string {
  return name.normalize('NFD').replace(/[^A-Za-z]/g, '');
}

function pruneEntities(entities: XEntities): XEntities | undefined {
  const out: XEntities = {};
  if (entities.hashtags?.length) out.hashtags = entities.hashtags;
  if (entities.mentions?.length) out.mentions = entities.mentions;
  if (entities.urls?.length) out.urls = entities.urls;
  return Object.keys(out).length > 0 ? out : undefined;
}
