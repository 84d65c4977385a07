/**
 * The channel key: the SSM SecureString (`CHANNEL_KEY_PARAMETER`, template parameter
 * ChannelKeyParameterName) from which the key sealing channel targets is derived
 * (domain/channel-seal.ts). Read once per container, on first use. Blank outside prod only: then a key
 * derived from the table name is used, which keeps the format but protects nothing (the template's
 * Rules refuse a blank name in prod, and so does this reader).
 */
import type { SSMClient } from '@aws-sdk/client-ssm';
import { once } from '../../lib/once.js';
import { deriveSealKey } from '../domain/channel-seal.js';

/** Shortest key text accepted (`openssl rand -base64 48` makes 64). */
export const CHANNEL_KEY_MIN_LENGTH = 32;

/**
 * The seal key of a function, from `CHANNEL_KEY_PARAMETER` and `STAGE`; `fallback` without a parameter.
 *
 * @returns a function resolving to the AES key, read once (and again after a failure)
 */
export function channelKeyFromEnv(
  env: Readonly<Record<string, string | undefined>>,
  options: { fallback: string; client?: SSMClient },
): () => Promise<Buffer> {
  const name = env.CHANNEL_KEY_PARAMETER?.trim() ?? '';
  return once(async () => {
    if (name === '') {
      if (env.STAGE === 'prod') {
        throw new Error('CHANNEL_KEY_PARAMETER is not set: prod seals channel targets with a key from SSM');
      }
      return deriveSealKey(options.fallback);
    }
    const { GetParameterCommand } = await import('@aws-sdk/client-ssm');
    const client = options.client ?? (await import('../../lib/clients/ssm.js')).ssmClient;
    const { Parameter } = await client.send(new GetParameterCommand({ Name: name, WithDecryption: true }));
    if (Parameter?.Type !== 'SecureString') {
      throw new Error(`SSM parameter ${name} is not a SecureString`);
    }
    const value = Parameter.Value ?? '';
    if (value.length < CHANNEL_KEY_MIN_LENGTH) {
      throw new Error(
        `SSM parameter ${name} holds ${value.length} characters; the channel key needs ${CHANNEL_KEY_MIN_LENGTH}`,
      );
    }
    return deriveSealKey(value);
  });
}
