import type { Photo } from '../types/photos';

/** Alt text of a photo: its labels, most confident first. */
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

/** Black or white, whichever reads better on a `#rrggbb` background. */
export function textOn(hex: string): '#000' | '#fff' {
  const value = Number.parseInt(hex.replace('#', ''), 16);
  if (Number.isNaN(value)) return '#000';
  const [r, g, b] = [(value >> 16) & 255, (value >> 8) & 255, value & 255];
  // Relative luminance (sRGB, approximate): above the midpoint, dark text.
  return 0.2126 * r + 0.7152 * g + 0.0722 * b > 150 ? '#000' : '#fff';
}
