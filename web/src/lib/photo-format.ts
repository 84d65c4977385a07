import type { Photo } from '../types/photos';

/** Alt text of a photo: its labels, most specific first. */
export function photoAlt(photo: Photo, max = 5): string {
  const names = photo.labels.slice(0, max).map((label) => label.name);
  if (names.length > 0) return names.join(', ');
  if (photo.state === 'PENDING') return 'Photo being labelled';
  return 'Photo without labels';
}

export function formatConfidence(percent: number): string {
  return `${percent >= 99.95 ? '100' : percent.toFixed(1)}%`;
}

export function formatShare(share: number): string {
  const percent = share * 100;
  return percent < 1 ? '<1%' : `${Math.round(percent)}%`;
}
