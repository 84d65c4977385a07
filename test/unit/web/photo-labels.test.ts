import { describe, expect, it } from 'vitest';
import { toPhotoLabels } from '../../../functions/photos/domain/labels.js';
import { readDeletedPhoto } from '../../../web/src/lib/deleted-photo.js';
import { photoTitle, specificLabels } from '../../../web/src/lib/photo-labels.js';

/** DetectLabels for a dog by a car, as Rekognition answers it, ranked by the API's own code. */
const served = toPhotoLabels([
  { Name: 'Animal', Confidence: 99.6 },
  { Name: 'Transportation', Confidence: 99.2 },
  { Name: 'Mammal', Confidence: 98.7, Parents: [{ Name: 'Animal' }] },
  { Name: 'Vehicle', Confidence: 97.9, Parents: [{ Name: 'Transportation' }] },
  {
    Name: 'Dog',
    Confidence: 96.3,
    Parents: [{ Name: 'Animal' }, { Name: 'Canine' }, { Name: 'Mammal' }, { Name: 'Pet' }],
  },
  { Name: 'Canine', Confidence: 96.3, Parents: [{ Name: 'Animal' }, { Name: 'Mammal' }] },
  { Name: 'Pet', Confidence: 96.3, Parents: [{ Name: 'Animal' }] },
  { Name: 'Car', Confidence: 88.4, Parents: [{ Name: 'Transportation' }, { Name: 'Vehicle' }] },
]);

function photo(overrides: { labels?: typeof served } = {}) {
  return { photoId: '01JHEX8Y7K3M5N9P2Q4R6S8T0V', labels: served, ...overrides };
}

describe('Function: specificLabels() (web)', () => {
  it('shows on cards what the API ranks first, without the parents', () => {
    expect(specificLabels(served).map((label) => label.name)).toEqual(['Dog', 'Car']);
  });

  it('titles a photo by its most specific labels, else the fallback', () => {
    expect(photoTitle(photo())).toBe('Dog, Car');
    expect(photoTitle(photo(), 'Photo', 1)).toBe('Dog');
    expect(photoTitle(photo({ labels: [] }), 'beach.jpg')).toBe('beach.jpg');
  });
});

describe('Function: readDeletedPhoto()', () => {
  it('reads the photo the detail page deleted from the history state, and nothing else', () => {
    expect(readDeletedPhoto({ deleted: { photoId: 'P1', title: 'Dog' }, position: 3 })).toEqual({
      photoId: 'P1',
      title: 'Dog',
    });
    expect(readDeletedPhoto({ deleted: { photoId: 'P1' } })).toEqual({ photoId: 'P1', title: 'Photo' });
    for (const state of [null, undefined, 'x', {}, { deleted: null }, { deleted: { photoId: '' } }]) {
      expect(readDeletedPhoto(state)).toBeUndefined();
    }
  });
});
