/** Types for dynalite 4 (the package ships none): only what the local cloud uses. */
declare module 'dynalite' {
  import type { Server } from 'node:http';

  interface DynaliteOptions {
    /** LevelDB folder; in memory when absent. */
    path?: string;
    createTableMs?: number;
    deleteTableMs?: number;
    updateTableMs?: number;
    maxItemSizeKb?: number;
    verbose?: boolean;
    debug?: boolean;
  }

  /** An http.Server whose close() also closes the LevelDB store. */
  export default function dynalite(options?: DynaliteOptions): Server;
}

/** dynalite's expression validation: parses `ConditionExpression` (and the others) into `data._condition`. */
declare module 'dynalite/validations/index.js' {
  const validations: {
    /** A message when the expressions are invalid; otherwise undefined, with the parsed forms set on `data`. */
    validateExpressions(data: Record<string, unknown>): string | undefined;
  };
  export default validations;
}

/** dynalite's item store helpers. */
declare module 'dynalite/db/index.js' {
  const db: {
    /** Null when `data`'s parsed condition holds for `existingItem` (DynamoDB JSON), else the error. */
    checkConditional(
      data: Record<string, unknown>,
      existingItem: Record<string, unknown> | undefined,
    ): unknown;
    /** Creates the item store behind a dynalite server (`dynalite()` calls it through this object). */
    create(options: unknown): unknown;
  };
  export default db;
}
