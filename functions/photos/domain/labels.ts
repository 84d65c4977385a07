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
 * confident), most confident first.
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
  return [...byLabel.values()].sort((a, b) => b.confidence - a.confidence || a.label.localeCompare(b.label));
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
