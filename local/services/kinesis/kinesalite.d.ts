/** Types for kinesalite 3 (the package ships none): only what the local cloud uses. */
declare module 'kinesalite' {
  import type { Server } from 'node:http';

  interface KinesaliteOptions {
    /** LevelDB folder; in memory when absent. */
    path?: string;
    createStreamMs?: number;
    deleteStreamMs?: number;
    updateStreamMs?: number;
    /** Open shards allowed across all streams (LimitExceededException past it); 10 by default. */
    shardLimit?: number;
    ssl?: boolean;
  }

  /** An http.Server whose close() also closes the LevelDB store. */
  export default function kinesalite(options?: KinesaliteOptions): Server;
}

declare module 'kinesalite/db/index.js' {
  /** The AES-256-CBC key and IV kinesalite encrypts its shard iterators with. */
  export const ITERATOR_PWD_KEY: Buffer;
  export const ITERATOR_PWD_IV: Buffer;
  /** The module's exports, through which kinesalite's actions call its sequence and hash-key codec. */
  const db: {
    parseSequence(seq: string): import('./sequence-codec.js').SequenceObject;
    stringifySequence(obj: import('./sequence-codec.js').SequenceObject): string;
    incrementSequence(
      seqObj: import('./sequence-codec.js').SequenceObject | string,
      seqTime?: number | null,
    ): string;
    partitionKeyToHashKey(partitionKey: string): { comparedTo(other: unknown): number };
  };
  export default db;
}
