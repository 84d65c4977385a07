import { describe, expect, it } from 'vitest';
import { requirePublic } from '../../../../functions/photos/domain/access.js';
import {
  type DetectedLabel,
  rankLabels,
  specificLabels,
  toPhotoLabels,
} from '../../../../functions/photos/domain/labels.js';
import { parsePublicListQuery } from '../../../../functions/photos/domain/list-query.js';
import type { PhotoLabel } from '../../../../functions/photos/domain/types.js';
import { toPublicPhotoView } from '../../../../functions/photos/domain/view.js';
import { makePhoto, makeReadyPhoto, PHOTO_ID } from '../../../helpers/photo-factories.js';

/**
 * DetectLabels for a photo of a dog by a car, as Rekognition answers it (v3 labels: every ancestor in
 * `Parents`, the generic categories more confident than the specific ones).
 */
const dogByACar: DetectedLabel[] = [
  { Name: 'Animal', Confidence: 99.61, Parents: [] },
  { Name: 'Transportation', Confidence: 99.18, Parents: [] },
  { Name: 'Mammal', Confidence: 98.72, Parents: [{ Name: 'Animal' }] },
  { Name: 'Vehicle', Confidence: 97.93, Parents: [{ Name: 'Transportation' }] },
  {
    Name: 'Dog',
    Confidence: 96.31,
    Parents: [{ Name: 'Animal' }, { Name: 'Canine' }, { Name: 'Mammal' }, { Name: 'Pet' }],
  },
  { Name: 'Canine', Confidence: 96.31, Parents: [{ Name: 'Animal' }, { Name: 'Mammal' }] },
  { Name: 'Pet', Confidence: 96.31, Parents: [{ Name: 'Animal' }] },
  { Name: 'Car', Confidence: 88.42, Parents: [{ Name: 'Transportation' }, { Name: 'Vehicle' }] },
  { Name: 'Wheel', Confidence: 81.05, Parents: [{ Name: 'Machine' }] },
  { Name: 'Machine', Confidence: 81.05, Parents: [] },
  { Name: 'Grass', Confidence: 74.2, Parents: [{ Name: 'Plant' }] },
  { Name: 'Plant', Confidence: 74.2, Parents: [] },
];

const names = (labels: readonly PhotoLabel[]) => labels.map((label) => label.name);
const label = (name: string, confidence: number, parents: string[] = []): PhotoLabel => ({
  name,
  label: name.toLowerCase(),
  confidence,
  parents,
});

describe('Function: rankLabels()', () => {
  it('leads with the most specific labels, most confident first; parents after their children', () => {
    expect(names(toPhotoLabels(dogByACar))).toEqual([
      'Dog',
      'Car',
      'Wheel',
      'Grass',
      'Vehicle',
      'Canine',
      'Pet',
      'Machine',
      'Plant',
      'Transportation',
      'Mammal',
      'Animal',
    ]);
  });

  it('puts every parent after each label that names it, whatever the confidences', () => {
    const ranked = toPhotoLabels(dogByACar);
    const position = new Map(ranked.map((entry, index) => [entry.label, index]));
    for (const entry of ranked) {
      for (const parent of entry.parents) {
        const parentAt = position.get(parent.toLowerCase());
        if (parentAt !== undefined)
          expect(parentAt, `${parent} after ${entry.name}`).toBeGreaterThan(position.get(entry.label) ?? -1);
      }
    }
  });

  it('follows chains of direct parents only (closure), and treats parents by their normalised name', () => {
    // A labeler that lists only the direct parent: Animal still comes after Mammal, Mammal after Dog.
    const ranked = rankLabels([
      label('Animal', 99),
      label('Mammal', 98, ['animal']),
      label('Dog', 90, ['  MAMMAL ']),
      label('Beach', 95),
    ]);
    expect(names(ranked)).toEqual(['Beach', 'Dog', 'Mammal', 'Animal']);
  });

  it('ends on cycles and on labels that name themselves, keeping every label', () => {
    const ranked = rankLabels([label('A', 50, ['B']), label('B', 60, ['A']), label('C', 70, ['C'])]);
    expect(names(ranked)).toEqual(['C', 'B', 'A']);
  });

  it('ignores parents the photo does not have, and keeps confidence order without any hierarchy', () => {
    expect(names(rankLabels([label('Cat', 80, ['Animal']), label('Sofa', 91, ['Furniture'])]))).toEqual([
      'Sofa',
      'Cat',
    ]);
    expect(rankLabels([])).toEqual([]);
  });
});

describe('Function: specificLabels()', () => {
  it('keeps the labels no other label names as a parent: what a card shows', () => {
    expect(names(specificLabels(toPhotoLabels(dogByACar)))).toEqual(['Dog', 'Car', 'Wheel', 'Grass']);
  });
});

describe('Function: toPublicPhotoView()', () => {
  it('shows what strangers may see, labels ranked, and no owner, file name or moderation', () => {
    const photo = makeReadyPhoto({ labels: toPhotoLabels(dogByACar).reverse() });
    const view = toPublicPhotoView(photo, { thumbnailUrl: 'https://t', imageUrl: 'https://i' });
    expect(Object.keys(view).sort()).toEqual(
      [
        'photoId',
        'state',
        'contentType',
        'size',
        'createdAt',
        'processedAt',
        'format',
        'width',
        'height',
        'labels',
        'colours',
        'thumbnailUrl',
        'imageUrl',
      ].sort(),
    );
    expect(view.labels[0]?.name).toBe('Dog');
  });
});

describe('Function: requirePublic()', () => {
  it('answers only READY photos not flagged; the same 404 for anything else', () => {
    expect(requirePublic(makeReadyPhoto(), PHOTO_ID).photoId).toBe(PHOTO_ID);
    for (const photo of [
      undefined,
      makePhoto(),
      makeReadyPhoto({ moderation: { flagged: true, labels: [] } }),
      makePhoto({ state: 'REJECTED' }),
    ]) {
      expect(() => requirePublic(photo, PHOTO_ID)).toThrow(`Photo ${PHOTO_ID} not found`);
    }
  });
});

describe('Function: parsePublicListQuery()', () => {
  it('reads the feed and a label search with their page size and cursor', () => {
    expect(parsePublicListQuery(null)).toEqual({
      success: true,
      data: { scope: { kind: 'feed' }, limit: 24 },
    });
    expect(parsePublicListQuery({ label: ' Golden  Retriever', limit: '5', cursor: 'c' })).toEqual({
      success: true,
      data: { scope: { kind: 'label', label: 'golden retriever' }, limit: 5, cursor: 'c' },
    });
  });

  it.each([
    [{ mine: 'true' }, 'mine: sign in'],
    [{ mine: 'false' }, 'mine: sign in'],
    [{ limit: '0' }, 'limit: must be an integer between 1 and 50'],
    [{ owner: 'x' }, 'owner: unknown field'],
    [{ cursor: '' }, 'cursor: must not be empty'],
  ])('refuses %j naming the field', (query, message) => {
    const parsed = parsePublicListQuery(query);
    expect(parsed.success).toBe(false);
    if (!parsed.success) expect(parsed.error).toContain(message);
  });
});
