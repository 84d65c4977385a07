/**
 * Labels: the names Rekognition gives, normalised for search, and the moderation verdict.
 */
import type { Moderation, ModerationLabel, PhotoLabel } from './types.js';

/**
 * The form a label is indexed and searched under: Unicode NFKC, lower case, inner whitespace collapsed
 * to one space, trimmed. `  Golden   Retriever ` and `golden retriever` are the same label.
 */
export function normalizeLabel(name: string): string {
  return name.normalize('NFKC').toLowerCase().replace(/\s+/g, ' ').trim();
}

/** A label as DetectLabels returns it (only the fields used). */
export interface DetectedLabel {
  Name?: string;
  Confidence?: number;
  Parents?: { Name?: string }[];
}

/** A label as DetectModerationLabels returns it (only the fields used). */
export interface DetectedModerationLabel {
  Name?: string;
  ParentName?: string;
  Confidence?: number;
}

const round1 = (value: number) => Math.round(value * 10) / 10;

/**
 * The photo's labels from DetectLabels: nameless ones dropped, one per normalised label (the most
 * confident), in {@link rankLabels} order (most specific, then most confident, first).
 */
export function toPhotoLabels(detected: readonly DetectedLabel[]): PhotoLabel[] {
  const byLabel = new Map<string, PhotoLabel>();
  for (const entry of detected) {
    const name = entry.Name?.trim();
    if (!name) continue;
    const label = normalizeLabel(name);
    const confidence = round1(entry.Confidence ?? 0);
    const existing = byLabel.get(label);
    if (existing && existing.confidence >= confidence) continue;
    const parents = (entry.Parents ?? [])
      .map((parent) => parent.Name?.trim() ?? '')
      .filter((parentName) => parentName !== '');
    byLabel.set(label, { name, label, confidence, parents });
  }
  return rankLabels([...byLabel.values()]);
}

/**
 * How many labels of the photo descend from each label: those naming it as a parent, and theirs, and
 * so on (Rekognition lists every ancestor, but a stored set or another labeler may list only the
 * direct parent, so the closure is taken here). A cycle counts each member once and ends.
 */
function descendantCounts(labels: readonly PhotoLabel[]): Map<string, number> {
  const present = new Set(labels.map((entry) => entry.label));
  const parentsOf = new Map(
    labels.map((entry) => [
      entry.label,
      entry.parents.map(normalizeLabel).filter((parent) => present.has(parent) && parent !== entry.label),
    ]),
  );
  const counts = new Map<string, number>(labels.map((entry) => [entry.label, 0]));
  for (const entry of labels) {
    const seen = new Set<string>([entry.label]);
    const todo = [...(parentsOf.get(entry.label) ?? [])];
    for (let ancestor = todo.pop(); ancestor !== undefined; ancestor = todo.pop()) {
      if (seen.has(ancestor)) continue;
      seen.add(ancestor);
      counts.set(ancestor, (counts.get(ancestor) ?? 0) + 1);
      todo.push(...(parentsOf.get(ancestor) ?? []));
    }
  }
  return counts;
}

/**
 * The order titles and cards read labels in: the most specific first (Dog before Canine, Mammal and
 * Animal; Car before Vehicle and Transportation), and among equally specific ones the most confident.
 * A label that is a parent of another label of the same photo always ranks after it, however
 * confident: "Animal 99%" says less about a photo than "Dog 95%". Parents stay in the list (and in the
 * label index), after the labels they generalise.
 */
export function rankLabels(labels: readonly PhotoLabel[]): PhotoLabel[] {
  const descendants = descendantCounts(labels);
  const generality = (entry: PhotoLabel) => descendants.get(entry.label) ?? 0;
  return [...labels].sort(
    (a, b) => generality(a) - generality(b) || b.confidence - a.confidence || a.label.localeCompare(b.label),
  );
}

/**
 * The labels no other label of the photo names as a parent (Dog and Car, not Animal or Vehicle), in
 * {@link rankLabels} order: what a card shows.
 */
export function specificLabels(labels: readonly PhotoLabel[]): PhotoLabel[] {
  const descendants = descendantCounts(labels);
  return rankLabels(labels).filter((entry) => (descendants.get(entry.label) ?? 0) === 0);
}

/**
 * The moderation verdict: flagged when any label reaches `minConfidence`; the reason names the
 * top-level categories, most confident first.
 */
export function judgeModeration(
  detected: readonly DetectedModerationLabel[],
  minConfidence: number,
): Moderation {
  const labels: ModerationLabel[] = detected
    .filter((entry) => entry.Name?.trim())
    .map((entry) => ({
      name: (entry.Name as string).trim(),
      parent: entry.ParentName?.trim() ?? '',
      confidence: round1(entry.Confidence ?? 0),
    }))
    .sort((a, b) => b.confidence - a.confidence);
  const flaggedBy = labels.filter((label) => label.confidence >= minConfidence);
  if (flaggedBy.length === 0) return { flagged: false, labels };
  const categories = new Map<string, number>();
  for (const label of flaggedBy) {
    const category = label.parent || label.name;
    categories.set(category, Math.max(categories.get(category) ?? 0, label.confidence));
  }
  const named = [...categories].map(([category, confidence]) => `${category} (${confidence}%)`);
  return {
    flagged: true,
    labels,
    reason: `Hidden from the public feed by content moderation: ${named.join(', ')}`,
  };
}
