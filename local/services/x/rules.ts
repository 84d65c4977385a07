import { type Candidate, compileQuery, QueryError } from './query.js';
import { SnowflakeIds } from './snowflake.js';
import type { StreamRule } from './types.js';

/** The rules of the filtered stream, compiled. */
export class RuleStore {
  readonly #rules = new Map<string, StreamRule & { matches: (c: Candidate) => boolean }>();
  readonly #ids = new SnowflakeIds(11);

  list(ids?: string[]): StreamRule[] {
    return [...this.#rules.values()]
      .filter((r) => !ids || ids.includes(r.id))
      .map(({ id, value, tag }) => ({ id, value, ...(tag ? { tag } : {}) }));
  }

  /** Adds valid rules (unless `dryRun`); invalid or duplicate ones are reported as errors. */
  add(rules: { value?: unknown; tag?: unknown }[], dryRun: boolean) {
    const created: StreamRule[] = [];
    const errors: Record<string, unknown>[] = [];
    for (const rule of rules) {
      const value = typeof rule.value === 'string' ? rule.value : '';
      const tag = typeof rule.tag === 'string' ? rule.tag : undefined;
      const duplicate = [...this.#rules.values()].find((r) => r.value === value);
      if (duplicate) {
        errors.push({
          value,
          id: duplicate.id,
          title: 'DuplicateRule',
          type: 'https://api.twitter.com/2/problems/duplicate-rules',
        });
        continue;
      }
      try {
        const matches = compileQuery(value);
        const id = this.#ids.next();
        if (!dryRun) this.#rules.set(id, { id, value, tag, matches });
        created.push({ id, value, ...(tag ? { tag } : {}) });
      } catch (error) {
        if (!(error instanceof QueryError)) throw error;
        errors.push({
          value,
          details: [error.message],
          title: 'UnprocessableEntity',
          type: 'https://api.twitter.com/2/problems/invalid-rules',
        });
      }
    }
    return { created, errors };
  }

  /** Deletes rules by id or by value; resolves how many went. */
  delete(ids: string[], values: string[], dryRun: boolean): { deleted: number; notDeleted: number } {
    let deleted = 0;
    const wanted = ids.length + values.length;
    for (const rule of [...this.#rules.values()]) {
      if (!ids.includes(rule.id) && !values.includes(rule.value)) continue;
      deleted += 1;
      if (!dryRun) this.#rules.delete(rule.id);
    }
    return { deleted, notDeleted: wanted - deleted };
  }

  /** The rules a post matches, as `matching_rules` lists them. */
  matching(candidate: Candidate): { id: string; tag: string }[] {
    return [...this.#rules.values()]
      .filter((r) => r.matches(candidate))
      .map(({ id, tag }) => ({ id, tag: tag ?? '' }));
  }

  get size(): number {
    return this.#rules.size;
  }
}
