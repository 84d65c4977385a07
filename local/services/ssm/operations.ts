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
 * GetParametersByPath, PutParameter and DeleteParameter. SecureString values come back as stored with
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
    ARN: `arn:aws:ssm:${scope.region}:${scope.accountId}:parameter/${p.name.replace(/^\//, '')}`,
    DataType: 'text',
  });

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

    async DeleteParameter(input) {
      await store.delete(requireString(input, 'Name'));
      return {};
    },
  };
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
