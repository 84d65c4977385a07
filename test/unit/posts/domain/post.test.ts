import { describe, expect, it } from 'vitest';
import {
  decodeRecord,
  envelopeFor,
  extractHashtags,
  extractMentions,
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
