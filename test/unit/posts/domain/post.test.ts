import { describe, expect, it } from 'vitest';
import {
  capList,
  decodeRecord,
  envelopeFor,
  extractHashtags,
  extractMentions,
  MAX_HASHTAG_LENGTH,
  MAX_HASHTAGS_PER_POST,
  MAX_MENTION_LENGTH,
  MAX_MENTIONS_PER_POST,
  normaliseEnvelope,
  normaliseHashtag,
  normaliseLanguage,
} from '../../../../functions/posts/domain/post.js';
import { loadEvent } from '../../../helpers/factories.js';
import { envelope, kinesisData, xPost, xUser } from '../../../helpers/posts.js';

describe('Function: normaliseHashtag()', () => {
  it('lower-cases, drops # and makes composed and decomposed accents one tag', () => {
    expect(normaliseHashtag('#Café')).toBe('café');
    expect(normaliseHashtag('Cafe\u0301')).toBe('café');
    expect(normaliseHashtag('＃ＡＷＳ')).toBe('ａｗｓ');
    expect(normaliseHashtag('Serverless')).toBe('serverless');
  });
});

describe('Function: normaliseLanguage()', () => {
  it.each([
    ['en', 'en'],
    ['pt-BR', 'pt-br'],
    ['und', 'und'],
    [undefined, 'und'],
    ['??', 'und'],
    ['zh-Hant-TW', 'zh-hant-tw'],
  ])('%s → %s', (input, expected) => {
    expect(normaliseLanguage(input)).toBe(expected);
  });
});

describe('Function: extractHashtags() / extractMentions()', () => {
  it('prefers X entities, unique and normalised, in order', () => {
    const post = xPost({
      text: 'ignored',
      entities: {
        hashtags: [
          { start: 0, end: 4, tag: 'AWS' },
          { start: 5, end: 9, tag: 'aws' },
          { start: 10, end: 15, tag: 'Café' },
        ],
        mentions: [{ start: 0, end: 5, username: 'Kenji_Dev' }],
      },
    });
    expect(extractHashtags(post)).toEqual(['aws', 'café']);
    expect(extractMentions(post)).toEqual(['kenji_dev']);
  });

  it('reads the text when X sent no entities: unicode tags, no e-mail addresses as mentions', () => {
    const post = xPost({
      text: 'Kinesis の #シャード 分割 #AWS #aws, mail me at ana@example.com or @LeaOps!',
    });
    delete post.entities;
    expect(extractHashtags(post)).toEqual(['シャード', 'aws']);
    expect(extractMentions(post)).toEqual(['leaops']);
  });
});

describe('Function: normaliseEnvelope()', () => {
  it('normalises a valid envelope into a post', () => {
    const result = normaliseEnvelope(
      envelope({ post: xPost({ id: '42', lang: 'EN', created_at: '2026-11-27T18:01:02+01:00' }) }),
    );
    expect(result).toEqual({
      ok: true,
      notes: [],
      post: expect.objectContaining({
        id: '42',
        createdAt: '2026-11-27T17:01:02.000Z',
        lang: 'en',
        authorUsername: 'anacloud',
        authorName: 'Ana Souza',
      }),
    });
  });

  it('dates a post without created_at by its arrival', () => {
    const post = xPost();
    delete post.created_at;
    const result = normaliseEnvelope(envelope({ post, receivedAt: '2026-11-27T17:00:00Z' }));
    expect(result.ok && result.post.createdAt).toBe('2026-11-27T17:00:00.000Z');
  });

  it('refuses a post whose author is not among the users', () => {
    const result = normaliseEnvelope(envelope({ post: xPost({ author_id: '999' }), users: [xUser()] }));
    expect(result).toEqual({ ok: false, rejection: expect.objectContaining({ code: 'UnknownAuthor' }) });
  });

  it('refuses an unknown schema version and names the fields that are wrong', () => {
    const result = normaliseEnvelope({ ...envelope(), schemaVersion: 2 });
    expect(result.ok).toBe(false);
    const bad = normaliseEnvelope(envelope({ post: { ...xPost(), id: 'abc', text: '' } }));
    expect(bad).toEqual({
      ok: false,
      rejection: { code: 'InvalidEnvelope', reason: expect.stringMatching(/post\.id: .*post\.text/) },
    });
  });
});

describe('Caps: hashtags and mentions of one post', () => {
  const tags = (count: number, make = (i: number) => `t${i}`) =>
    Array.from({ length: count }, (_, i) => ({ start: 0, end: 1, tag: make(i) }));

  it('indexes the first MAX_HASHTAGS_PER_POST hashtags and notes how many were left out', () => {
    const result = normaliseEnvelope(envelope({ post: xPost({ entities: { hashtags: tags(5000) } }) }));
    if (!result.ok) throw new Error(result.rejection.reason);
    expect(result.post.hashtags).toHaveLength(MAX_HASHTAGS_PER_POST);
    expect(result.post.hashtags.slice(0, 2)).toEqual(['t0', 't1']);
    expect(result.notes).toEqual([`${5000 - MAX_HASHTAGS_PER_POST} hashtags beyond the first 20 left out`]);
  });

  it('leaves out hashtags over MAX_HASHTAG_LENGTH code points, counting astral characters as one', () => {
    const atLimit = '𝒳'.repeat(MAX_HASHTAG_LENGTH); // 100 code points, 200 UTF-16 units, 400 bytes
    const over = 'a'.repeat(MAX_HASHTAG_LENGTH + 1);
    const result = normaliseEnvelope(
      envelope({
        post: xPost({
          entities: {
            hashtags: [
              { start: 0, end: 1, tag: over },
              { start: 2, end: 3, tag: atLimit },
              { start: 4, end: 5, tag: 'ok' },
            ],
          },
        }),
      }),
    );
    if (!result.ok) throw new Error(result.rejection.reason);
    expect(result.post.hashtags).toEqual([atLimit, 'ok']);
    expect(result.notes).toEqual([`1 hashtags over ${MAX_HASHTAG_LENGTH} characters left out`]);
  });

  it('applies the caps to hashtags read from the text too, and to mentions', () => {
    const text = `${Array.from({ length: 40 }, (_, i) => `#h${i}`).join(' ')} @${'x'.repeat(16)} ${Array.from(
      { length: 60 },
      (_, i) => `@u${i}`,
    ).join(' ')}`;
    const post = xPost({ text });
    delete post.entities;
    const result = normaliseEnvelope(envelope({ post }));
    if (!result.ok) throw new Error(result.rejection.reason);
    expect(result.post.hashtags).toHaveLength(MAX_HASHTAGS_PER_POST);
    // A 16-character "mention" is not an X username: the pattern takes its first 15 characters.
    expect(result.post.mentions).toHaveLength(MAX_MENTIONS_PER_POST);
    expect(result.notes).toEqual([
      '20 hashtags beyond the first 20 left out',
      `11 mentions beyond the first ${MAX_MENTIONS_PER_POST} left out`,
    ]);
  });

  it('leaves out entity mentions longer than an X username', () => {
    const result = normaliseEnvelope(
      envelope({
        post: xPost({
          entities: {
            mentions: [
              { start: 0, end: 1, username: 'y'.repeat(MAX_MENTION_LENGTH + 1) },
              { start: 2, end: 3, username: 'Kenji_Dev' },
            ],
          },
        }),
      }),
    );
    expect(result.ok && result.post.mentions).toEqual(['kenji_dev']);
    expect(result.ok && result.notes).toEqual(['1 mentions over 15 characters left out']);
  });

  it('capList keeps order and counts what it left out', () => {
    expect(capList(['a', 'bbb', 'c', 'd'], 2, 2)).toEqual({ kept: ['a', 'c'], tooLong: 1, overCount: 1 });
  });
});

describe('Function: decodeRecord()', () => {
  it('decodes every record of the batch fixture', () => {
    const event = loadEvent<{ Records: { kinesis: { data: string } }[] }>('posts-consumer-kinesis-batch');
    const posts = event.Records.map((record) => decodeRecord(record.kinesis.data));
    expect(posts.every((result) => result.ok)).toBe(true);
    const [first, second, third] = posts.map((result) => (result.ok ? result.post : undefined));
    expect(first?.hashtags).toEqual(['serverless', 'aws']);
    expect(first?.mentions).toEqual(['kenji_dev']);
    expect(second?.hashtags).toEqual(['シャード', 'aws']);
    expect(second?.lang).toBe('ja');
    expect(third?.hashtags).toEqual(['café', 'région']);
  });

  it('names what is wrong with each poison record of the poison fixture', () => {
    const event = loadEvent<{ Records: { kinesis: { data: string } }[] }>('posts-consumer-kinesis-poison');
    const codes = event.Records.map((record) => {
      const result = decodeRecord(record.kinesis.data);
      return result.ok ? 'ok' : result.rejection.code;
    });
    expect(codes).toEqual(['ok', 'NotJson', 'InvalidEnvelope', 'ok']);
  });

  it('refuses data that is not base64', () => {
    expect(decodeRecord('%%%')).toEqual({
      ok: false,
      rejection: expect.objectContaining({ code: 'NotBase64' }),
    });
    expect(decodeRecord(kinesisData(envelope())).ok).toBe(true);
  });
});

describe('Function: envelopeFor()', () => {
  it('carries the author first and only the mentioned users', () => {
    const author = xUser();
    const mentioned = xUser({ id: '7', username: 'Kenji_Dev' });
    const stranger = xUser({ id: '8', username: 'someone' });
    const post = xPost({ entities: { mentions: [{ start: 0, end: 10, username: 'kenji_dev' }] } });
    const result = envelopeFor(post, [stranger, mentioned, author], 'x-recent-search', new Date(0));
    expect(result.users).toEqual([author, mentioned]);
    expect(result.receivedAt).toBe('1970-01-01T00:00:00.000Z');
  });
});
