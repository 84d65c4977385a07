import { ParameterNotFoundError, SsmError, ValidationError } from './errors.js';
import type { ParameterStore, StoredParameter } from './parameter-store.js';

type Input = Record<string, unknown>;
/** One SSM operation: JSON input to JSON output; throws SsmError. */
export type SsmOperation = (input: Input) => Promise<Record<string, unknown>>;

/** Where parameter ARNs point. */
export interface SsmScope {
  region: string;
  accountId: string;
}

/** The default key of SecureString parameters. */
const DEFAULT_KEY = 'alias/aws/ssm';

/**
 * The Parameter Store operations the local cloud serves: GetParameter, GetParameters,
 * GetParametersByPath, DescribeParameters, PutParameter and DeleteParameter. SecureString values come back as stored with
 * `WithDecryption: true`, and as an opaque (base64) ciphertext without it, as SSM does.
 */
export function ssmOperations(store: ParameterStore, scope: SsmScope): Record<string, SsmOperation> {
  const output = (p: StoredParameter, decrypt: boolean, selector?: string) => ({
    Name: p.name,
    Type: p.type,
    Value: p.type === 'SecureString' && !decrypt ? ciphertext(p) : p.value,
    Version: p.version,
    ...(selector ? { Selector: selector } : {}),
    LastModifiedDate: p.lastModified / 1000,
    ARN: arnOf(p),
    DataType: 'text',
  });
  const arnOf = (p: StoredParameter) =>
    `arn:aws:ssm:${scope.region}:${scope.accountId}:parameter/${p.name.replace(/^\//, '')}`;

  return {
    async GetParameter(input) {
      const name = requireString(input, 'Name');
      const selector = /:(\d+)$/.exec(name)?.[0];
      return { Parameter: output(store.get(name), input.WithDecryption === true, selector) };
    },

    async GetParameters(input) {
      const names = Array.isArray(input.Names) ? input.Names.map(String) : [];
      if (names.length === 0 || names.length > 10) {
        throw new ValidationError(
          "1 validation error detected: Value at 'names' failed to satisfy constraint: Member must have length between 1 and 10",
        );
      }
      const Parameters: Record<string, unknown>[] = [];
      const InvalidParameters: string[] = [];
      for (const name of names) {
        try {
          Parameters.push(output(store.get(name), input.WithDecryption === true));
        } catch (error) {
          if (!(error instanceof ParameterNotFoundError)) throw error;
          InvalidParameters.push(name);
        }
      }
      return { Parameters, InvalidParameters };
    },

    async GetParametersByPath(input) {
      const path = requireString(input, 'Path');
      const all = store.byPath(path, input.Recursive === true);
      const max = typeof input.MaxResults === 'number' ? input.MaxResults : 10;
      const start = typeof input.NextToken === 'string' ? Number(input.NextToken) || 0 : 0;
      const page = all.slice(start, start + max);
      return {
        Parameters: page.map((p) => output(p, input.WithDecryption === true)),
        ...(start + max < all.length ? { NextToken: String(start + max) } : {}),
      };
    },

    async PutParameter(input) {
      const name = requireString(input, 'Name');
      const value = requireString(input, 'Value');
      const type =
        input.Type ??
        (() => {
          try {
            return store.get(name).type;
          } catch {
            throw new ValidationError('A parameter type is required when you create a parameter.');
          }
        })();
      if (type !== 'String' && type !== 'StringList' && type !== 'SecureString') {
        throw new ValidationError(
          `1 validation error detected: Value '${String(type)}' at 'type' failed to satisfy constraint: Member must satisfy enum value set: [SecureString, StringList, String]`,
        );
      }
      const stored = await store.put(
        {
          name,
          type,
          value,
          description: typeof input.Description === 'string' ? input.Description : undefined,
          keyId:
            type === 'SecureString'
              ? typeof input.KeyId === 'string'
                ? input.KeyId
                : DEFAULT_KEY
              : undefined,
        },
        input.Overwrite === true,
      );
      return { Version: stored.version, Tier: 'Standard' };
    },

    async DescribeParameters(input) {
      const matches = parameterFilter(input);
      const all = store.all().filter(matches);
      const max = typeof input.MaxResults === 'number' ? input.MaxResults : 10;
      if (!Number.isInteger(max) || max < 1 || max > 50) {
        throw new ValidationError(
          `1 validation error detected: Value '${max}' at 'maxResults' failed to satisfy constraint: Member must have value less than or equal to 50`,
        );
      }
      const start = typeof input.NextToken === 'string' ? Number(input.NextToken) || 0 : 0;
      const page = all.slice(start, start + max);
      return {
        Parameters: page.map((p) => ({
          Name: p.name,
          ARN: arnOf(p),
          Type: p.type,
          ...(p.keyId ? { KeyId: p.keyId } : {}),
          LastModifiedDate: p.lastModified / 1000,
          LastModifiedUser: `arn:aws:iam::${scope.accountId}:user/kumo-local`,
          ...(p.description ? { Description: p.description } : {}),
          Version: p.version,
          Tier: 'Standard',
          Policies: [],
          DataType: 'text',
        })),
        ...(start + max < all.length ? { NextToken: String(start + max) } : {}),
      };
    },

    async DeleteParameter(input) {
      await store.delete(requireString(input, 'Name'));
      return {};
    },
  };
}

/**
 * DescribeParameters' filters as one predicate: `ParameterFilters` (Name with Equals, BeginsWith or
 * Contains; Type and KeyId with Equals; Path with OneLevel or Recursive) and the older `Filters` (Name,
 * Type, KeyId; a Name there matches by prefix). Every filter must match; a filter's values are alternatives.
 */
function parameterFilter(input: Input): (p: StoredParameter) => boolean {
  const tests: ((p: StoredParameter) => boolean)[] = [];
  const entries = (value: unknown) =>
    (Array.isArray(value) ? value : []).filter(
      (f): f is Record<string, unknown> => typeof f === 'object' && f !== null,
    );
  for (const filter of entries(input.ParameterFilters)) {
    const key = String(filter.Key ?? '');
    const option = typeof filter.Option === 'string' ? filter.Option : undefined;
    const values = Array.isArray(filter.Values) ? filter.Values.map(String) : [];
    tests.push(filterTest(key, option, values, 'Equals'));
  }
  for (const filter of entries(input.Filters)) {
    const key = String(filter.Key ?? '');
    const values = Array.isArray(filter.Values) ? filter.Values.map(String) : [];
    tests.push(filterTest(key, key === 'Name' ? 'BeginsWith' : 'Equals', values, 'Equals'));
  }
  return (p) => tests.every((test) => test(p));
}

function filterTest(
  key: string,
  option: string | undefined,
  values: string[],
  fallback: string,
): (p: StoredParameter) => boolean {
  const how = option ?? (key === 'Path' ? 'OneLevel' : fallback);
  const field = (p: StoredParameter): string | undefined =>
    key === 'Name' ? p.name : key === 'Type' ? p.type : key === 'KeyId' ? p.keyId : undefined;
  if (key === 'Path') {
    if (how !== 'OneLevel' && how !== 'Recursive') throw invalidOption(how, ['OneLevel', 'Recursive']);
    return (p) =>
      values.some((path) => {
        const base = path.endsWith('/') ? path : `${path}/`;
        return p.name.startsWith(base) && (how === 'Recursive' || !p.name.slice(base.length).includes('/'));
      });
  }
  if (key !== 'Name' && key !== 'Type' && key !== 'KeyId') {
    throw new ValidationError(
      `The following filter key is not valid: ${key}. Valid filter keys include: [Path, Name, Type, KeyId].`,
    );
  }
  const allowed = key === 'Name' ? ['Equals', 'BeginsWith', 'Contains'] : ['Equals'];
  if (!allowed.includes(how)) throw invalidOption(how, allowed);
  return (p) => {
    const actual = field(p);
    if (actual === undefined) return false;
    // Name filters match with or without the leading slash, as SSM's do.
    const candidates = key === 'Name' ? [actual, actual.replace(/^\//, '')] : [actual];
    return values.some((value) =>
      candidates.some((c) =>
        how === 'BeginsWith' ? c.startsWith(value) : how === 'Contains' ? c.includes(value) : c === value,
      ),
    );
  };
}

function invalidOption(option: string, allowed: string[]): ValidationError {
  return new ValidationError(
    `The following filter option is not valid: ${option}. Valid options include: [${allowed.join(', ')}].`,
  );
}

/** What SSM returns for a SecureString read without decryption: an opaque ciphertext blob. */
function ciphertext(p: StoredParameter): string {
  return Buffer.from(`kumo-local-kms:${p.keyId ?? DEFAULT_KEY}:${p.value}`).toString('base64');
}

function requireString(input: Input, name: string): string {
  const value = input[name];
  if (typeof value !== 'string' || value.length === 0) {
    throw new ValidationError(
      `1 validation error detected: Value null at '${name.charAt(0).toLowerCase()}${name.slice(1)}' failed to satisfy constraint: Member must not be null`,
    );
  }
  return value;
}

export { SsmError };
