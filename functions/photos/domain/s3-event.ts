/**
 * The parts of an S3 event notification the labeler reads. S3 URL-encodes object keys in
 * notifications the way HTML forms do (a space becomes `+`, other bytes `%XX`), so a key is decoded
 * before use.
 */
import * as z from 'zod';

const recordSchema = z.object({
  eventSource: z.literal('aws:s3'),
  eventName: z.string(),
  s3: z.object({
    bucket: z.object({ name: z.string().min(1) }),
    object: z.object({ key: z.string().min(1), size: z.number().int().nonnegative().optional() }),
  }),
});

/** One object-created record, key decoded. */
export interface ObjectCreated {
  bucket: string;
  key: string;
  size?: number;
}

/** A record the labeler skips, and why (logged, never thrown). */
export interface SkippedRecord {
  index: number;
  why: string;
}

/** `a+b%2Bc.jpg` → `a b+c.jpg`. @throws {URIError} for a malformed escape */
export function decodeS3Key(key: string): string {
  return decodeURIComponent(key.replace(/\+/g, ' '));
}

/** The object-created records of an S3 event; anything else is listed in `skipped`. */
export function objectCreatedRecords(event: unknown): { records: ObjectCreated[]; skipped: SkippedRecord[] } {
  const list = (event as { Records?: unknown } | null)?.Records;
  if (!Array.isArray(list))
    return { records: [], skipped: [{ index: -1, why: 'not an S3 event (no Records)' }] };
  const records: ObjectCreated[] = [];
  const skipped: SkippedRecord[] = [];
  list.forEach((raw, index) => {
    const parsed = recordSchema.safeParse(raw);
    if (!parsed.success) {
      skipped.push({ index, why: 'not an S3 event record' });
      return;
    }
    const { eventName, s3 } = parsed.data;
    if (!eventName.startsWith('ObjectCreated:')) {
      skipped.push({ index, why: `event ${eventName} is not ObjectCreated` });
      return;
    }
    let key: string;
    try {
      key = decodeS3Key(s3.object.key);
    } catch {
      skipped.push({ index, why: `malformed key encoding: ${s3.object.key}` });
      return;
    }
    const record: ObjectCreated = { bucket: s3.bucket.name, key };
    if (s3.object.size !== undefined) record.size = s3.object.size;
    records.push(record);
  });
  return { records, skipped };
}
