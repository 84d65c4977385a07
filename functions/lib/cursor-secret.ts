/**
 * The HMAC key that signs an API's pagination cursors, read from an SSM SecureString parameter once
 * per container. The template names the parameter (`CursorSecretParameterName`) and a function gets
 * it as `CURSOR_SECRET_PARAMETER`; the value never appears in the template, the change set or the
 * function's environment. A blank name is allowed outside prod (the template's Rules refuse it in prod):
 * then the caller's derived key is used, which still detects corrupted or hand-edited cursors.
 *
 * To give a function signed cursors: `CURSOR_SECRET_PARAMETER: !Ref CursorSecretParameterName` in its
 * environment, the `HasCursorSecretParameter` SSM read policy of PhotosApiFunction in its Policies, and
 * `const cursorSecret = cursorSecretFromEnv(process.env, { fallback: '<app>-cursor:<table>' })` at
 * module scope; await `cursorSecret()` inside the handler (the bundles are CommonJS: no top-level await).
 */
import type { SSMClient } from '@aws-sdk/client-ssm';
import { once } from './once.js';

/** Shortest secret accepted: 32 characters (`openssl rand -base64 48` makes 64). */
export const CURSOR_SECRET_MIN_LENGTH = 32;

/** The cursor secret cannot be used: missing, unreadable, not a SecureString or too short. */
export class CursorSecretError extends Error {
  public constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'CursorSecretError';
  }
}

/** Where the secret comes from. */
export interface CursorSecretSource {
  /** Name of the SSM SecureString parameter; blank or undefined = use `fallback`. */
  parameterName?: string;
  /** Key used without a parameter (derived from a table name, say). Refused in prod. */
  fallback: string;
  /** The deployment stage (`STAGE`); `prod` refuses the fallback as a second line behind the Rules. */
  stage?: string;
}

/**
 * Reads the cursor secret once (no caching: see {@link cursorSecretFromEnv}).
 *
 * @param client - the SSM client (`ssmClient` in a handler, a mocked one in tests)
 * @param source - the parameter name, the fallback and the stage
 * @returns the secret
 * @throws {CursorSecretError} naming the parameter and what to do
 */
export async function loadCursorSecret(client: SSMClient, source: CursorSecretSource): Promise<string> {
  const name = source.parameterName?.trim() ?? '';
  if (name === '') {
    if (source.stage === 'prod') {
      throw new CursorSecretError(
        'CURSOR_SECRET_PARAMETER is not set: prod signs cursors with a secret from SSM (template parameter CursorSecretParameterName)',
      );
    }
    if (source.fallback === '') throw new CursorSecretError('the fallback cursor secret is empty');
    return source.fallback;
  }
  let parameter: { Type?: string; Value?: string } | undefined;
  // Loaded on the first read, not at init: most requests never need the secret (docs/performance.md).
  const { GetParameterCommand, ParameterNotFound } = await import('@aws-sdk/client-ssm');
  try {
    ({ Parameter: parameter } = await client.send(
      new GetParameterCommand({ Name: name, WithDecryption: true }),
    ));
  } catch (error) {
    if (error instanceof ParameterNotFound) {
      throw new CursorSecretError(
        `SSM parameter ${name} does not exist; create it: aws ssm put-parameter --type SecureString --name ${name} --value "$(openssl rand -base64 48)"`,
        { cause: error },
      );
    }
    throw new CursorSecretError(`cannot read SSM parameter ${name}: ${(error as Error).message}`, {
      cause: error,
    });
  }
  if (parameter?.Type !== 'SecureString') {
    throw new CursorSecretError(
      `SSM parameter ${name} is a ${parameter?.Type ?? 'parameter of no type'}, not a SecureString`,
    );
  }
  const value = parameter.Value ?? '';
  if (value.length < CURSOR_SECRET_MIN_LENGTH) {
    throw new CursorSecretError(
      `SSM parameter ${name} holds ${value.length} characters; a cursor secret needs at least ${CURSOR_SECRET_MIN_LENGTH}`,
    );
  }
  return value;
}

/**
 * The cursor secret of a function, from its environment: `CURSOR_SECRET_PARAMETER` (the SSM parameter
 * name) and `STAGE`. Call it at module scope; the returned function reads SSM on its first call, gives
 * every later call the same value (once per container), and reads again after a failure.
 *
 * @param env - the environment (`process.env` in a handler)
 * @param options - `fallback`: the key without a parameter (outside prod); `client`: the SSM client
 * @returns a function resolving to the secret, or rejecting with a {@link CursorSecretError}
 */
export function cursorSecretFromEnv(
  env: Readonly<Record<string, string | undefined>>,
  options: { fallback: string; client?: SSMClient },
): () => Promise<string> {
  const source: CursorSecretSource = {
    parameterName: env.CURSOR_SECRET_PARAMETER,
    fallback: options.fallback,
    stage: env.STAGE,
  };
  // The SSM client is created on the first read, not at init (docs/performance.md).
  return once(async () =>
    loadCursorSecret(options.client ?? (await import('./clients/ssm.js')).ssmClient, source),
  );
}
