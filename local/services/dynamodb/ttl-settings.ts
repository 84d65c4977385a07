import { JsonStore } from '../../kit/index.js';

/** The TTL attribute per table name, for tables with TTL enabled; kept in `ttl.json` across restarts. */
export class TtlSettings {
  readonly #store: JsonStore;
  readonly #attributes: Map<string, string>;

  private constructor(file: string, attributes: Map<string, string>) {
    this.#store = new JsonStore(file, () => Object.fromEntries(this.#attributes), { indent: 2 });
    this.#attributes = attributes;
  }

  /** Loads the settings saved by an earlier run (none when the file is absent). */
  static async load(file: string): Promise<TtlSettings> {
    return new TtlSettings(file, new Map(Object.entries(parseSaved(await JsonStore.load(file)))));
  }

  /** The TTL attribute of a table, or undefined when TTL is disabled. */
  attributeOf(table: string): string | undefined {
    return this.#attributes.get(table);
  }

  /** Tables with TTL enabled and their attribute. */
  enabled(): [table: string, attribute: string][] {
    return [...this.#attributes];
  }

  async enable(table: string, attribute: string): Promise<void> {
    this.#attributes.set(table, attribute);
    await this.#save();
  }

  async disable(table: string): Promise<void> {
    if (this.#attributes.delete(table)) await this.#save();
  }

  // Saved at once (through a temporary file and a rename): UpdateTimeToLive answers once it is on disk.
  #save(): Promise<void> {
    return this.#store.save();
  }
}

function parseSaved(value: unknown): Record<string, string> {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return {};
  return Object.fromEntries(
    Object.entries(value).filter((entry): entry is [string, string] => typeof entry[1] === 'string'),
  );
}
