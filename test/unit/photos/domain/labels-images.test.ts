import { describe, expect, it } from 'vitest';
import { dominantColours } from '../../../../functions/photos/domain/colours.js';
import {
  checkDimensions,
  checkFileSize,
  checkMagic,
  MAX_SIDE_PX,
  MIN_SIDE_PX,
  sniffImageFormat,
  undecodable,
} from '../../../../functions/photos/domain/image-check.js';
import {
  judgeModeration,
  normalizeLabel,
  toPhotoLabels,
} from '../../../../functions/photos/domain/labels.js';
import { decodeS3Key, objectCreatedRecords } from '../../../../functions/photos/domain/s3-event.js';
import { MAX_PHOTO_BYTES } from '../../../../functions/photos/domain/upload.js';
import { makeImage, s3Event } from '../../../helpers/photo-factories.js';

describe('Function: normalizeLabel()', () => {
  it.each([
    ['Dog', 'dog'],
    ['  Golden   Retriever ', 'golden retriever'],
    ['Café', 'café'],
    ['Ｄｏｇ', 'dog'],
    ['Hot\tDog', 'hot dog'],
  ])('%j → %j', (name, label) => {
    expect(normalizeLabel(name)).toBe(label);
  });
});

describe('Function: toPhotoLabels()', () => {
  it('keeps one label per normalised name (the most confident), most confident first', () => {
    expect(
      toPhotoLabels([
        { Name: 'Dog', Confidence: 88.123, Parents: [{ Name: 'Animal' }, {}] },
        { Name: 'Beach', Confidence: 97.06 },
        { Name: 'DOG', Confidence: 99.5, Parents: [{ Name: 'Mammal' }] },
        { Confidence: 99 },
        { Name: '  ', Confidence: 99 },
      ]),
    ).toEqual([
      { name: 'DOG', label: 'dog', confidence: 99.5, parents: ['Mammal'] },
      { name: 'Beach', label: 'beach', confidence: 97.1, parents: [] },
    ]);
  });
});

describe('Function: judgeModeration()', () => {
  const labels = [
    { Name: 'Violence', ParentName: '', Confidence: 70.04 },
    { Name: 'Graphic Violence', ParentName: 'Violence', Confidence: 82.5 },
    { Name: 'Alcohol', ParentName: '', Confidence: 55 },
  ];

  it('flags a photo with a label at or above the threshold and names the categories', () => {
    const verdict = judgeModeration(labels, 60);
    expect(verdict.flagged).toBe(true);
    expect(verdict.reason).toBe('Hidden from the public feed by content moderation: Violence (82.5%)');
    expect(verdict.labels.map((label) => label.name)).toEqual(['Graphic Violence', 'Violence', 'Alcohol']);
  });

  it('keeps the labels but does not flag below the threshold', () => {
    const verdict = judgeModeration(labels, 90);
    expect(verdict).toEqual({ flagged: false, labels: expect.any(Array) });
    expect(judgeModeration([], 60)).toEqual({ flagged: false, labels: [] });
  });
});

describe('image checks', () => {
  it('recognises JPEG and PNG by their magic numbers only', async () => {
    expect(sniffImageFormat(await makeImage(100, 100, 'jpeg'))).toBe('jpeg');
    expect(sniffImageFormat(await makeImage(100, 100, 'png'))).toBe('png');
    expect(sniffImageFormat(Buffer.from('GIF89a...'))).toBeUndefined();
    expect(sniffImageFormat(Buffer.from([0xff, 0xd8]))).toBeUndefined();
    expect(sniffImageFormat(new Uint8Array())).toBeUndefined();
  });

  it('rejects bytes that are not an image, with a reason', () => {
    expect(checkMagic(Buffer.from('<html>not a photo</html>'))).toEqual({
      code: 'NotAnImage',
      reason: 'The file is not a JPEG or PNG image (unrecognised content)',
    });
    expect(checkMagic(Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0]))).toEqual({
      format: 'png',
    });
  });

  it('holds sizes to Rekognition’s limits: 1 byte..15 MB, 80..10,000 px a side', () => {
    expect(checkFileSize(0)?.code).toBe('EmptyFile');
    expect(checkFileSize(MAX_PHOTO_BYTES)).toBeUndefined();
    expect(checkFileSize(MAX_PHOTO_BYTES + 1)?.code).toBe('FileTooLarge');
    expect(checkDimensions(MIN_SIDE_PX, MAX_SIDE_PX)).toBeUndefined();
    expect(checkDimensions(MIN_SIDE_PX - 1, 500)).toEqual({
      code: 'TooSmall',
      reason: 'The image is 79x500 px; each side must be at least 80 px',
    });
    expect(checkDimensions(500, MAX_SIDE_PX + 1)?.code).toBe('TooLarge');
    expect(undecodable('jpeg', 'premature end').reason).toBe(
      'The file starts like a JPEG image but cannot be decoded (premature end)',
    );
  });
});

describe('Function: dominantColours()', () => {
  it('finds the colours covering most of the image, with their shares', () => {
    const pixels = new Uint8Array(100 * 3);
    for (let i = 0; i < 100; i++) pixels.set(i < 70 ? [250, 10, 10] : [10, 10, 250], i * 3);
    expect(dominantColours(pixels, 3)).toEqual([
      { hex: '#fa0a0a', share: 0.7 },
      { hex: '#0a0afa', share: 0.3 },
    ]);
  });

  it('skips alpha, drops colours under the minimum share, and copes with no pixels', () => {
    const pixels = new Uint8Array(100 * 4);
    for (let i = 0; i < 100; i++) pixels.set(i < 99 ? [0, 128, 0, 255] : [255, 255, 255, 0], i * 4);
    expect(dominantColours(pixels, 4)).toEqual([{ hex: '#008000', share: 0.99 }]);
    expect(dominantColours(new Uint8Array(), 3)).toEqual([]);
    expect(() => dominantColours(new Uint8Array(3), 1)).toThrow('at least 3 channels');
  });
});

describe('S3 notifications', () => {
  it('decodes keys as S3 encodes them: + is a space, then %XX', () => {
    expect(decodeS3Key('private/a+b%2Bc%C3%A9.jpg')).toBe('private/a b+cé.jpg');
    expect(() => decodeS3Key('private/%E0%A4%A')).toThrow(URIError);
  });

  it('lists object-created records and says why it skips the rest', () => {
    const event = s3Event({ key: 'private/x%20y' });
    const removed = s3Event({ eventName: 'ObjectRemoved:Delete' });
    const broken = s3Event({ key: 'private/%E0%A4%A' });
    const { records, skipped } = objectCreatedRecords({
      Records: [...event.Records, ...removed.Records, ...broken.Records, { eventSource: 'aws:sqs' }],
    });
    expect(records).toEqual([
      { bucket: event.Records[0]?.s3.bucket.name, key: 'private/x y', size: 2483917 },
    ]);
    expect(skipped).toEqual([
      { index: 1, why: 'event ObjectRemoved:Delete is not ObjectCreated' },
      { index: 2, why: 'malformed key encoding: private/%E0%A4%A' },
      { index: 3, why: 'not an S3 event record' },
    ]);
    expect(objectCreatedRecords({ hello: 1 }).skipped).toEqual([
      { index: -1, why: 'not an S3 event (no Records)' },
    ]);
  });
});
