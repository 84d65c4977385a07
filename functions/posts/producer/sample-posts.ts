/**
 * Realistic-looking X posts for load (npm run feed, the ingest benchmark, tests): authors, hashtags,
 * mentions, languages and snowflake-like ids that grow with time. Deterministic for a given seed.
 */
import type { XPost, XUser } from '../domain/post.js';

const AUTHORS: XUser[] = [
  ['AnaCloud', 'Ana Souza'],
  ['kenji_dev', 'Kenji Watanabe'],
  ['LeaOps', 'Léa Martin'],
  ['sam_builds', 'Sam Okafor'],
  ['priya_sre', 'Priya Nair'],
  ['dataDiego', 'Diego Ramírez'],
  ['mia_k', 'Mia Kowalski'],
  ['omar_serverless', 'Omar Haddad'],
  ['lin_streams', 'Lin Wei'],
  ['NoahInfra', 'Noah Fischer'],
  ['zoe_lambda', 'Zoë Dubois'],
  ['ravi_kinesis', 'Ravi Patel'],
].map(([username, name], index) => ({
  id: String(100_000 + index * 7919),
  username: username as string,
  name: name as string,
}));

const TAGS = [
  'AWS',
  'Serverless',
  'Lambda',
  'Kinesis',
  'DynamoDB',
  'TypeScript',
  'DevOps',
  'Cloud',
  'Café',
  'NodeJS',
  'SRE',
  'Observability',
];
const TEXTS: [string, string][] = [
  ['en', 'Just moved our ingest pipeline to {tag} and {tag2} — latency is down by half.'],
  ['en', 'Reading about partial batch responses in {tag}. Never fail a whole batch for one record!'],
  ['es', 'Probando {tag} con {tag2} esta mañana, ¡funciona de maravilla!'],
  ['fr', 'Le {tag} de ce matin avec {tag2} était parfait.'],
  ['ja', '{tag} のシャード分割を試した。{tag2} も良い。'],
  ['de', 'Heute {tag} und {tag2} im Einsatz — läuft stabil.'],
  ['pt', 'Migramos tudo para {tag}; {tag2} ficou muito mais simples.'],
  ['en', 'Hot take: {tag} plus {tag2} is all you need for a side project.'],
];

/** X's epoch (2010-11-04T01:42:54.657Z), as in its snowflake ids. */
const X_EPOCH_MS = 1_288_834_974_657n;

/** A snowflake-like id: time in the high bits, a sequence below, so ids grow with time and never collide. */
export function snowflakeId(at: Date, sequence: number): string {
  return String(((BigInt(at.getTime()) - X_EPOCH_MS) << 22n) | BigInt(sequence & 0x3fffff));
}

/** mulberry32: a small seeded generator. */
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

export interface SamplePost {
  post: XPost;
  users: XUser[];
}

/** A generator of sample posts: `next(at)` gives a new post created at `at`. */
export function samplePosts(seed = 1): { next(at?: Date): SamplePost } {
  const rand = random(seed);
  const pick = <T>(items: readonly T[]): T => items[Math.floor(rand() * items.length)] as T;
  let sequence = Math.floor(rand() * 1000);
  return {
    next(at = new Date()) {
      sequence++;
      const author = pick(AUTHORS);
      const [lang, template] = pick(TEXTS);
      const tag = pick(TAGS);
      let tag2 = pick(TAGS);
      if (tag2 === tag) tag2 = TAGS[(TAGS.indexOf(tag) + 1) % TAGS.length] as string;
      const mention = rand() < 0.3 ? pick(AUTHORS.filter((a) => a !== author)) : undefined;
      const withBoth = template.includes('{tag2}') ? template : `${template} {tag2}`;
      let text = withBoth.replace('{tag}', `#${tag}`).replace('{tag2}', `#${tag2}`);
      if (mention) text += ` cc @${mention.username}`;
      const hashtags = [`#${tag}`, `#${tag2}`].map((word) => {
        const start = text.indexOf(word);
        return { start, end: start + word.length, tag: word.slice(1) };
      });
      const mentionStart = mention ? text.indexOf(`@${mention.username}`) : -1;
      const post: XPost = {
        id: snowflakeId(at, sequence),
        text,
        author_id: author.id,
        created_at: at.toISOString(),
        lang,
        entities: {
          hashtags,
          ...(mention
            ? {
                mentions: [
                  {
                    start: mentionStart,
                    end: mentionStart + mention.username.length + 1,
                    username: mention.username,
                    id: mention.id,
                  },
                ],
              }
            : {}),
        },
      };
      return { post, users: mention ? [author, mention] : [author] };
    },
  };
}
