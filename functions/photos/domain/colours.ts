/**
 * Dominant colours of an image from a small RGB thumbnail of it: pixels are grouped in a 4x4x4-level
 * colour cube (64 boxes), the fullest boxes win and each is shown as the mean of its own pixels.
 */
import type { DominantColour } from './types.js';

const LEVELS = 4;

const hex = (value: number) => Math.round(value).toString(16).padStart(2, '0');

/**
 * @param pixels - packed 8-bit pixels, `channels` values each (RGB first; anything after is ignored)
 * @param channels - 3 or more
 * @param count - colours wanted
 * @param minShare - boxes under this share of the pixels are not dominant
 */
export function dominantColours(
  pixels: Uint8Array,
  channels: number,
  count = 5,
  minShare = 0.02,
): DominantColour[] {
  if (channels < 3) throw new Error('dominantColours needs at least 3 channels');
  const total = Math.floor(pixels.length / channels);
  if (total === 0) return [];
  const boxes = new Map<number, { n: number; r: number; g: number; b: number }>();
  const step = 256 / LEVELS;
  for (let offset = 0; offset + 2 < pixels.length; offset += channels) {
    const r = pixels[offset] as number;
    const g = pixels[offset + 1] as number;
    const b = pixels[offset + 2] as number;
    const box = (Math.floor(r / step) * LEVELS + Math.floor(g / step)) * LEVELS + Math.floor(b / step);
    const sum = boxes.get(box) ?? { n: 0, r: 0, g: 0, b: 0 };
    sum.n += 1;
    sum.r += r;
    sum.g += g;
    sum.b += b;
    boxes.set(box, sum);
  }
  return [...boxes.values()]
    .sort((a, b) => b.n - a.n)
    .filter((sum) => sum.n / total >= minShare)
    .slice(0, count)
    .map((sum) => ({
      hex: `#${hex(sum.r / sum.n)}${hex(sum.g / sum.n)}${hex(sum.b / sum.n)}`,
      share: Math.round((sum.n / total) * 1000) / 1000,
    }));
}
