/**
 * Who may see and change a photo. Only its owner may delete it: 404 when it does not exist or the
 * caller may not see it, 403 only for a public photo of someone else's (its existence is no secret). Anyone signed in may see a public photo (READY and not flagged by moderation); the
 * owner sees every state, the moderation verdict and the rejection reason. A photo someone may not see
 * is answered as missing, so its existence does not leak.
 */
import { ForbiddenError, NotFoundError } from '../../lib/errors.js';
import type { Photo } from './types.js';

/** READY and not hidden by moderation: in the feed and label search, visible to every user. */
export function isPublic(photo: Pick<Photo, 'state' | 'moderation'>): boolean {
  return photo.state === 'READY' && photo.moderation?.flagged !== true;
}

/** True when `callerId` may see `photo`. */
export function canView(photo: Photo, callerId: string): boolean {
  return photo.ownerId === callerId || isPublic(photo);
}

/**
 * The photo if `callerId` may see it.
 *
 * @throws {NotFoundError} when it does not exist or is not the caller's and not public
 */
export function requireViewable(photo: Photo | undefined, photoId: string, callerId: string): Photo {
  if (photo === undefined || !canView(photo, callerId)) throw new NotFoundError(`Photo ${photoId} not found`);
  return photo;
}

/**
 * The photo if it is public: what anyone, signed in or not, may see. Everything else (missing, PENDING,
 * REJECTED, flagged) is the same 404, so a stranger learns nothing about photos not shown to them.
 *
 * @throws {NotFoundError} when it does not exist or is not public
 */
export function requirePublic(photo: Photo | undefined, photoId: string): Photo {
  if (photo === undefined || !isPublic(photo)) throw new NotFoundError(`Photo ${photoId} not found`);
  return photo;
}

/**
 * The photo if `callerId` owns it.
 *
 * @throws {NotFoundError} when it does not exist or the caller may not see it
 * @throws {ForbiddenError} when it is someone else's public photo
 */
export function requireOwner(photo: Photo | undefined, photoId: string, callerId: string): Photo {
  const viewable = requireViewable(photo, photoId, callerId);
  if (viewable.ownerId !== callerId) throw new ForbiddenError(`Photo ${photoId} belongs to another user`);
  return viewable;
}
