import path from 'node:path';
import { JsonStore } from '../../kit/index.js';
import { ParameterAlreadyExistsError, ParameterNotFoundError, ValidationError } from './errors.js';

/** One parameter, as the local SSM keeps it. */
export interface StoredParameter {
  name: string;
  type: 'String' | 'StringList' | 'SecureString';
  value: string;
  version: number;
  lastModified: number;
  description?: string;
  /** The KMS key of a SecureString (reported; values are not encrypted on disk). */
  keyId?: string;
}

/**
 * The parameters of the local SSM by name, saved to `parameters.json` on every change (a PutParameter
 * answers once its parameter is on disk).
 */
export class ParameterStore {
  readonly #store: JsonStore;
  readonly #parameters: Map<string, StoredParameter>;

  private constructor(file: string, parameters: Map<string, StoredParameter>) {
    this.#store = new JsonStore(file, () => [...this.#parameters.values()], { indent: 2 });
    this.#parameters = parameters;
  }

  /** Opens the store in `dir` with the parameters of an earlier run (none when `fresh`). */
  static async open(dir: string, fresh: boolean): Promise<ParameterStore> {
    const file = path.join(dir, 'parameters.json');
    const saved = (await JsonStore.load(file, fresh)) as StoredParameter[] | undefined;
    return new ParameterStore(file, new Map((Array.isArray(saved) ? saved : []).map((p) => [p.name, p])));
  }

  /** The parameter, by name, `name:version` or ARN; throws ParameterNotFound. */
  get(reference: string): StoredParameter {
    const { names, version } = parseReference(reference);
    const parameter = names.map((n) => this.#parameters.get(n)).find(Boolean);
    if (!parameter || (version !== undefined && version !== parameter.version)) {
      throw new ParameterNotFoundError(reference);
    }
    return parameter;
  }

  /** Creates or (with `overwrite`) replaces a parameter; resolves with its new version. */
  async put(
    input: Omit<StoredParameter, 'version' | 'lastModified'>,
    overwrite: boolean,
  ): Promise<StoredParameter> {
    if (!/^[a-zA-Z0-9_.\-/]{1,2048}$/.test(input.name)) {
      throw new ValidationError(
        `Parameter name: can't be prefixed with "aws" or "ssm" (case-insensitive) and must contain only a-zA-Z0-9_.-/ (was ${input.name}).`,
      );
    }
    const existing = this.#parameters.get(input.name);
    if (existing && !overwrite) throw new ParameterAlreadyExistsError();
    const parameter: StoredParameter = {
      ...input,
      version: (existing?.version ?? 0) + 1,
      lastModified: Date.now(),
    };
    this.#parameters.set(input.name, parameter);
    await this.#store.save();
    return parameter;
  }

  async delete(name: string): Promise<void> {
    if (!this.#parameters.delete(name)) throw new ParameterNotFoundError(name);
    await this.#store.save();
  }

  /** Every parameter, sorted by name (DescribeParameters filters them). */
  all(): StoredParameter[] {
    return [...this.#parameters.values()].sort((a, b) => a.name.localeCompare(b.name));
  }

  /** Parameters under a path (`/a/b` holds `/a/b/c`; only one level deeper unless recursive). */
  byPath(prefix: string, recursive: boolean): StoredParameter[] {
    const base = prefix.endsWith('/') ? prefix : `${prefix}/`;
    return [...this.#parameters.values()]
      .filter((p) => p.name.startsWith(base) && (recursive || !p.name.slice(base.length).includes('/')))
      .sort((a, b) => a.name.localeCompare(b.name));
  }

  /** Waits for every write under way (at stop). */
  flush(): Promise<void> {
    return this.#store.flush();
  }
}

/**
 * `name`, `name:3` or `arn:aws:ssm:<region>:<account>:parameter/name[:3]`; an ARN's `parameter/a/b`
 * names `/a/b`, or `a/b` for a parameter created without a leading slash.
 */
function parseReference(reference: string): { names: string[]; version?: number } {
  const arn = /^arn:[^:]+:ssm:[^:]*:[^:]*:parameter(\/.*)$/.exec(reference);
  const text = arn?.[1] ?? reference;
  const selector = /^(.*):(\d+)$/.exec(text);
  const name = selector?.[1] ?? text;
  const version = selector?.[2] === undefined ? undefined : Number(selector[2]);
  return { names: arn ? [name, name.slice(1)] : [name], version };
}
