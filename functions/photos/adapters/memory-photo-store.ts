/**
 * {@link PhotoStore} in memory, for unit tests and benchmarks: the same contract as the DynamoDB store
 * (conditional transitions, label index and counts for public photos only, newest-first pages).
 */
import { isPublic } from '../domain/access.js';
import type { PhotoStore, ReadyUpdate } from '../domain/ports.js';
import type { LabelCount, ListScope, PagePosition, Photo, PhotoPage, Rejection } from '../domain/types.js';

const copy = <T>(value: T): T => structuredClone(value);
const order = (photo: PagePosition) => `${photo.createdAt}#${photo.photoId}`;

/** {@link PhotoStore} in a Map. */
export class MemoryPhotoStore implements PhotoStore {
  public readonly photos = new Map<string, Photo>();
  /** label → photo ids. */
  public readonly labelIndex = new Map<string, Set<string>>();
  public readonly labelCounts = new Map<string, { name: string; count: number }>();

  public async create(photo: Photo): Promise<boolean> {
    if (this.photos.has(photo.photoId)) return false;
    this.photos.set(photo.photoId, copy(photo));
    return true;
  }

  public async get(photoId: string): Promise<Photo | undefined> {
    const photo = this.photos.get(photoId);
    return photo === undefined ? undefined : copy(photo);
  }

  public async markReady(photo: Photo, update: ReadyUpdate): Promise<boolean> {
    if (this.photos.get(photo.photoId)?.state !== 'PENDING') return false;
    const ready: Photo = { ...copy(photo), ...copy(update), state: 'READY' };
    this.photos.set(photo.photoId, ready);
    if (isPublic(ready)) this.index(ready, 1);
    return true;
  }

  public async markRejected(photo: Photo, rejection: Rejection, processedAt: string): Promise<boolean> {
    if (this.photos.get(photo.photoId)?.state !== 'PENDING') return false;
    this.photos.set(photo.photoId, { ...copy(photo), state: 'REJECTED', rejection, processedAt });
    return true;
  }

  public async remove(photo: Photo): Promise<boolean> {
    const current = this.photos.get(photo.photoId);
    if (current === undefined || current.state !== photo.state || current.ownerId !== photo.ownerId)
      return false;
    this.photos.delete(photo.photoId);
    if (isPublic(current)) this.index(current, -1);
    return true;
  }

  private index(photo: Photo, delta: 1 | -1): void {
    for (const { label, name } of photo.labels) {
      const ids = this.labelIndex.get(label) ?? new Set<string>();
      if (delta === 1) ids.add(photo.photoId);
      else ids.delete(photo.photoId);
      this.labelIndex.set(label, ids);
      const count = this.labelCounts.get(label) ?? { name, count: 0 };
      this.labelCounts.set(label, { name, count: count.count + delta });
    }
  }

  public async list(scope: ListScope, limit: number, after?: PagePosition): Promise<PhotoPage> {
    let candidates = [...this.photos.values()];
    if (scope.kind === 'feed') candidates = candidates.filter(isPublic);
    if (scope.kind === 'mine') candidates = candidates.filter((photo) => photo.ownerId === scope.ownerId);
    if (scope.kind === 'label') {
      const ids = this.labelIndex.get(scope.label) ?? new Set<string>();
      candidates = candidates.filter((photo) => ids.has(photo.photoId));
    }
    const sorted = candidates
      .sort((a, b) => order(b).localeCompare(order(a)))
      .filter((photo) => after === undefined || order(photo) < order(after));
    const photos = sorted.slice(0, limit).map(copy);
    const last = photos.at(-1);
    return sorted.length > limit && last
      ? { photos, next: { createdAt: last.createdAt, photoId: last.photoId } }
      : { photos };
  }

  public async topLabels(limit: number): Promise<LabelCount[]> {
    return [...this.labelCounts]
      .filter(([, { count }]) => count > 0)
      .map(([label, { name, count }]) => ({ name, label, count }))
      .sort((a, b) => b.count - a.count || a.label.localeCompare(b.label))
      .slice(0, limit);
  }
}
