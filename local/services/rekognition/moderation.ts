/** nsfwjs classes mapped to Rekognition's DetectModerationLabels shapes (taxonomy version 7). */

/** nsfwjs's five classes with their probabilities (0–1). */
export interface NsfwPrediction {
  className: 'Drawing' | 'Hentai' | 'Neutral' | 'Porn' | 'Sexy';
  probability: number;
}

export interface ModerationLabel {
  Name: string;
  ParentName: string;
  Confidence: number;
  TaxonomyLevel: number;
}

/** What each nsfwjs class means in Rekognition's moderation taxonomy, top level first. */
const HIERARCHY: Record<string, { name: string; parent: string; level: number }[]> = {
  Porn: [
    { name: 'Explicit', parent: '', level: 1 },
    { name: 'Explicit Nudity', parent: 'Explicit', level: 2 },
  ],
  Hentai: [
    { name: 'Explicit', parent: '', level: 1 },
    { name: 'Explicit Nudity', parent: 'Explicit', level: 2 },
  ],
  Sexy: [
    { name: 'Suggestive', parent: '', level: 1 },
    { name: 'Revealing Clothes', parent: 'Suggestive', level: 2 },
  ],
};

/** Rekognition's model version for these labels. */
export const MODERATION_MODEL_VERSION = '7.0';

/**
 * `ModerationLabels` (each label with its ancestors, as confident as the most confident class behind it,
 * MinConfidence default 50) and `ContentTypes` (Illustrated for drawings and hentai) from nsfwjs's classes.
 */
export function toModerationResult(
  predictions: NsfwPrediction[],
  minConfidence = 50,
): { ModerationLabels: ModerationLabel[]; ContentTypes: { Name: string; Confidence: number }[] } {
  const labels = new Map<string, ModerationLabel>();
  for (const { className, probability } of predictions) {
    const confidence = probability * 100;
    if (confidence < minConfidence) continue;
    for (const entry of HIERARCHY[className] ?? []) {
      const existing = labels.get(entry.name);
      if (existing && existing.Confidence >= confidence) continue;
      labels.set(entry.name, {
        Name: entry.name,
        ParentName: entry.parent,
        Confidence: confidence,
        TaxonomyLevel: entry.level,
      });
    }
  }
  const illustrated = predictions
    .filter((p) => p.className === 'Drawing' || p.className === 'Hentai')
    .reduce((sum, p) => sum + p.probability, 0);
  return {
    ModerationLabels: [...labels.values()].sort(
      (a, b) => a.TaxonomyLevel - b.TaxonomyLevel || b.Confidence - a.Confidence,
    ),
    ContentTypes:
      illustrated * 100 >= minConfidence ? [{ Name: 'Illustrated', Confidence: illustrated * 100 }] : [],
  };
}
