/**
 * A stored photo as the API shows it: to one signed-in caller, or to anyone (the public routes).
 */
import { rankLabels } from './labels.js';
import type { Photo, PhotoView, PublicPhotoView } from './types.js';

/** Presigned GET URLs, when the photo has them. */
export interface PhotoUrls {
  thumbnailUrl?: string;
  imageUrl?: string;
}

/**
 * The caller's view: moderation details and the rejection reason for the owner only. Labels are served
 * in {@link rankLabels} order, so photos stored before that order existed read the same as new ones.
 */
export function toPhotoView(photo: Photo, callerId: string, urls: PhotoUrls = {}): PhotoView {
  const mine = photo.ownerId === callerId;
  const view: PhotoView = {
    photoId: photo.photoId,
    state: photo.state,
    mine,
    contentType: photo.contentType,
    size: photo.size,
    createdAt: photo.createdAt,
    labels: rankLabels(photo.labels),
    colours: photo.colours,
  };
  if (photo.fileName !== undefined && mine) view.fileName = photo.fileName;
  if (photo.processedAt !== undefined) view.processedAt = photo.processedAt;
  if (photo.format !== undefined) view.format = photo.format;
  if (photo.width !== undefined) view.width = photo.width;
  if (photo.height !== undefined) view.height = photo.height;
  if (mine && photo.moderation !== undefined) view.moderation = photo.moderation;
  if (mine && photo.rejection !== undefined) view.rejection = photo.rejection;
  if (urls.thumbnailUrl !== undefined) view.thumbnailUrl = urls.thumbnailUrl;
  if (urls.imageUrl !== undefined) view.imageUrl = urls.imageUrl;
  return view;
}

/**
 * What a stranger sees of a public photo: built field by field from an allow-list (never by copying
 * the item and deleting), so a field added to {@link Photo} later stays private until named here. No
 * owner, file name, moderation verdict, upload or object key; only presigned URLs of the published
 * image and thumbnail.
 */
export function toPublicPhotoView(photo: Photo, urls: PhotoUrls = {}): PublicPhotoView {
  const view: PublicPhotoView = {
    photoId: photo.photoId,
    state: 'READY',
    contentType: photo.contentType,
    size: photo.size,
    createdAt: photo.createdAt,
    labels: rankLabels(photo.labels),
    colours: photo.colours,
  };
  if (photo.processedAt !== undefined) view.processedAt = photo.processedAt;
  if (photo.format !== undefined) view.format = photo.format;
  if (photo.width !== undefined) view.width = photo.width;
  if (photo.height !== undefined) view.height = photo.height;
  if (urls.thumbnailUrl !== undefined) view.thumbnailUrl = urls.thumbnailUrl;
  if (urls.imageUrl !== undefined) view.imageUrl = urls.imageUrl;
  return view;
}
