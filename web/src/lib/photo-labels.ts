/**
 * Which labels a photo's card and title show. No imports: the unit tests load it under Node.
 */

/** The parts of a label (docs/photos-api.yaml `Label`) used here. */
export interface RankedLabel {
  name: string;
  /** Normalised (lower case). */
  label: string;
  parents: string[];
}

/**
 * The labels no other label of the photo names as a parent (Dog, not Animal or Mammal), in the API's
 * order: most specific, then most confident, first (functions/photos/domain/labels.ts `rankLabels`).
 * Parents stay on the photo's page and in search; cards and titles show these.
 */
export function specificLabels<T extends RankedLabel>(labels: readonly T[]): T[] {
  const parents = new Set(labels.flatMap((label) => label.parents.map((parent) => parent.toLowerCase())));
  return labels.filter((label) => !parents.has(label.label) && !parents.has(label.name.toLowerCase()));
}

/** A photo's title: its most specific labels (`Dog, Car`), else `fallback`. */
export function photoTitle(photo: { labels: readonly RankedLabel[] }, fallback = 'Photo', max = 2): string {
  const names = specificLabels(photo.labels)
    .slice(0, max)
    .map((label) => label.name);
  return names.length > 0 ? names.join(', ') : fallback;
}
