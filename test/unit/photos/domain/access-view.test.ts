import { describe, expect, it } from 'vitest';
import { ForbiddenError, NotFoundError } from '../../../../functions/lib/errors.js';
import {
  canView,
  isPublic,
  requireOwner,
  requireViewable,
} from '../../../../functions/photos/domain/access.js';
import { toPhotoView } from '../../../../functions/photos/domain/view.js';
import {
  makePhoto,
  makeReadyPhoto,
  OTHER_SUB,
  OWNER_SUB,
  PHOTO_ID,
} from '../../../helpers/photo-factories.js';

const flagged = makeReadyPhoto({
  moderation: { flagged: true, labels: [{ name: 'Violence', parent: '', confidence: 90 }], reason: 'Hidden' },
});
const rejected = makePhoto({ state: 'REJECTED', rejection: { code: 'NotAnImage', reason: 'not an image' } });

describe('Function: isPublic() / canView()', () => {
  it('makes READY photos not flagged public; everything is visible to its owner', () => {
    expect(isPublic(makeReadyPhoto())).toBe(true);
    expect(isPublic(flagged)).toBe(false);
    expect(isPublic(makePhoto())).toBe(false);
    expect(isPublic(rejected)).toBe(false);
    for (const photo of [makeReadyPhoto(), flagged, makePhoto(), rejected]) {
      expect(canView(photo, OWNER_SUB)).toBe(true);
      expect(canView(photo, OTHER_SUB)).toBe(isPublic(photo));
    }
  });
});

describe('Function: requireOwner()', () => {
  it('returns the owner’s photo, 403 for another user, 404 when missing', () => {
    const photo = makeReadyPhoto();
    expect(requireOwner(photo, PHOTO_ID, OWNER_SUB)).toBe(photo);
    expect(() => requireOwner(photo, PHOTO_ID, OTHER_SUB)).toThrow(ForbiddenError);
    expect(() => requireOwner(undefined, PHOTO_ID, OWNER_SUB)).toThrow(NotFoundError);
  });

  it('answers 404, not 403, for another user’s photo the caller may not see', () => {
    expect(() => requireOwner(makePhoto(), PHOTO_ID, OTHER_SUB)).toThrow(NotFoundError);
    expect(() => requireOwner(flagged, PHOTO_ID, OTHER_SUB)).toThrow(NotFoundError);
    expect(requireOwner(flagged, PHOTO_ID, OWNER_SUB)).toBe(flagged);
  });
});

describe('Function: requireViewable()', () => {
  it('answers 404 for photos others may not see, so their existence does not leak', () => {
    expect(requireViewable(makeReadyPhoto(), PHOTO_ID, OTHER_SUB).photoId).toBe(PHOTO_ID);
    expect(() => requireViewable(flagged, PHOTO_ID, OTHER_SUB)).toThrow(NotFoundError);
    expect(() => requireViewable(makePhoto(), PHOTO_ID, OTHER_SUB)).toThrow(NotFoundError);
    expect(requireViewable(flagged, PHOTO_ID, OWNER_SUB)).toBe(flagged);
    expect(() => requireViewable(undefined, PHOTO_ID, OWNER_SUB)).toThrow(`Photo ${PHOTO_ID} not found`);
  });
});

describe('Function: toPhotoView()', () => {
  it('shows the owner the moderation verdict, the rejection and the file name', () => {
    expect(toPhotoView(flagged, OWNER_SUB)).toMatchObject({ mine: true, moderation: flagged.moderation });
    expect(toPhotoView(rejected, OWNER_SUB)).toMatchObject({ mine: true, rejection: rejected.rejection });
    expect(toPhotoView(rejected, OWNER_SUB).fileName).toBe('beach.jpg');
  });

  it('hides them, the owner id and storage keys from everyone else', () => {
    const view = toPhotoView(makeReadyPhoto(), OTHER_SUB, { thumbnailUrl: 'https://t' });
    expect(view.mine).toBe(false);
    expect(view).not.toHaveProperty('moderation');
    expect(view).not.toHaveProperty('fileName');
    expect(view).not.toHaveProperty('ownerId');
    expect(view).not.toHaveProperty('objectKey');
    expect(view).not.toHaveProperty('thumbnailKey');
    expect(view.thumbnailUrl).toBe('https://t');
  });
});
