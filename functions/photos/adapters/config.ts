/**
 * Configuration of the photo functions, from their environment (see template.yaml). Read once per
 * container by the handlers; nothing else reads `process.env`.
 */
import * as z from 'zod';

/** The settings the handlers need. */
export interface PhotosConfig {
  table: string;
  bucket: string;
  /**
   * HMAC key of pagination cursors when `CURSOR_SECRET_PARAMETER` names no SSM parameter (outside prod
   * only; functions/lib/cursor-secret.ts reads the parameter), derived from the table name.
   */
  cursorSecretFallback: string;
  /** DetectLabels MaxLabels. */
  maxLabels: number;
  /** DetectLabels MinConfidence. */
  minConfidence: number;
  /** DetectModerationLabels MinConfidence: a label at or above it hides the photo. */
  moderationMinConfidence: number;
}

const percent = (name: string) =>
  z.coerce
    .number({ error: `${name} must be a number` })
    .min(0, { error: `${name} must be 0..100` })
    .max(100, { error: `${name} must be 0..100` });

const envSchema = z.object({
  PHOTOS_TABLE: z.string({ error: 'PHOTOS_TABLE is not set' }).min(1),
  PHOTOS_BUCKET: z.string({ error: 'PHOTOS_BUCKET is not set' }).min(1),
  MAX_LABELS: z.coerce
    .number()
    .int({ error: 'MAX_LABELS must be an integer 1..40' })
    .min(1, { error: 'MAX_LABELS must be an integer 1..40' })
    .max(40, { error: 'MAX_LABELS must be an integer 1..40' })
    .default(20),
  MIN_CONFIDENCE: percent('MIN_CONFIDENCE').default(70),
  MODERATION_MIN_CONFIDENCE: percent('MODERATION_MIN_CONFIDENCE').default(60),
});

/**
 * Parse the environment.
 *
 * @throws Error naming the variable when one is missing or invalid
 */
export function loadPhotosConfig(env: Readonly<Record<string, string | undefined>>): PhotosConfig {
  const present = Object.fromEntries(
    Object.entries(env).filter(([, value]) => value !== undefined && value.trim() !== ''),
  );
  const parsed = envSchema.safeParse(present);
  if (!parsed.success) {
    throw new Error(`Invalid configuration: ${parsed.error.issues.map((issue) => issue.message).join('; ')}`);
  }
  const vars = parsed.data;
  return {
    table: vars.PHOTOS_TABLE,
    bucket: vars.PHOTOS_BUCKET,
    // Without a configured secret the MAC still detects corrupted or hand-edited cursors; validation
    // of every field is what keeps a forged one harmless (it can only name a position in the caller's
    // own listing).
    cursorSecretFallback: `kumo-photos-cursor:${vars.PHOTOS_TABLE}`,
    maxLabels: vars.MAX_LABELS,
    minConfidence: vars.MIN_CONFIDENCE,
    moderationMinConfidence: vars.MODERATION_MIN_CONFIDENCE,
  };
}
