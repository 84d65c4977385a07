import { createDecipheriv } from 'node:crypto';
import { ITERATOR_PWD_IV, ITERATOR_PWD_KEY } from 'kinesalite/db/index.js';
import type { IteratorPosition } from './types.js';

/**
 * The stream and shard a kinesalite shard iterator points at (GetRecords names neither): kinesalite
 * encrypts `time/stream/shard/sequence/padding` with a fixed key after an 8-byte header. Undefined for
 * anything else.
 */
export function iteratorPosition(iterator: unknown): IteratorPosition | undefined {
  if (typeof iterator !== 'string') return undefined;
  try {
    const buffer = Buffer.from(iterator, 'base64');
    if (buffer.length < 24) return undefined;
    const decipher = createDecipheriv('aes-256-cbc', ITERATOR_PWD_KEY, ITERATOR_PWD_IV);
    const text = Buffer.concat([decipher.update(buffer.subarray(8)), decipher.final()]).toString('utf8');
    const [, streamName, shardId] = text.split('/');
    return streamName && shardId ? { streamName, shardId } : undefined;
  } catch {
    return undefined;
  }
}
