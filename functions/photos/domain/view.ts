/**
 * A stored photo as the API shows it to one caller.
 */
import type { Photo, PhotoView } from './types.js';

/** Presigned GET URLs, when the photo has them. */
export interface PhotoUrls {
  thumbnailUrl?: string;
  imageUrl?: string;
}

/** The caller's view: moderation details and the rejection reason for the owner only. */
export function toPhotoView(photo: Photo, callerId: string, urls: PhotoUrls = {}): PhotoView {
  const mine = photo.ownerId === callerId;
  const view: PhotoView = {
    photoId: photo.photoId,
    state: photo.state,
    mine,
    contentType: photo.contentType,
    size: photo.size,
    createdAt: photo.createdAt,
    labels: photo.labels,
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
