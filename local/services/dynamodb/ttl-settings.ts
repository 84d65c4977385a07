import { mkdir, readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';

/** The TTL attribute per table name, for tables with TTL enabled; kept in `ttl.json` across restarts. */
export class TtlSettings {
  readonly #file: string;
  readonly #attributes: Map<string, string>;

  private constructor(file: string, attributes: Map<string, string>) {
    this.#file = file;
    this.#attributes = attributes;
  }

  /** Loads the settings saved by an earlier run (none when the file is absent). */
  static async load(file: string): Promise<TtlSettings> {
    const saved = await readFile(file, 'utf8')
      .then(parseSaved)
      .catch(() => ({}));
    return new TtlSettings(file, new Map(Object.entries(saved)));
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

  async #save(): Promise<void> {
    await mkdir(path.dirname(this.#file), { recursive: true });
    await writeFile(this.#file, `${JSON.stringify(Object.fromEntries(this.#attributes), null, 2)}\n`);
  }
}

function parseSaved(text: string): Record<string, string> {
  const value: unknown = JSON.parse(text);
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return {};
  return Object.fromEntries(
    Object.entries(value).filter((entry): entry is [string, string] => typeof entry[1] === 'string'),
  );
}
