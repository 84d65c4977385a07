import {
  createHash,
  createPrivateKey,
  createPublicKey,
  generateKeyPair,
  type JsonWebKey,
  type KeyObject,
} from 'node:crypto';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { promisify } from 'node:util';

/** The RS256 key the local user pools sign tokens with, and its public JWK as the JWKS serves it. */
export interface SigningKey {
  kid: string;
  privateKey: KeyObject;
  publicJwk: { kid: string; alg: 'RS256'; kty: 'RSA'; use: 'sig'; e: string; n: string };
}

const generate = promisify(generateKeyPair);

/**
 * Loads the local pools' signing key from `<dataDir>/signing-key.json`, creating it on first start.
 * cognito-local signs with a key published inside its package (anyone could forge its tokens); this key
 * is made on this machine and kept with the pools, so tokens survive restarts and `--fresh` drops them.
 */
export async function loadSigningKey(dataDir: string): Promise<SigningKey> {
  const file = path.join(dataDir, 'signing-key.json');
  let jwk: JsonWebKey;
  try {
    jwk = JSON.parse(await readFile(file, 'utf8')) as JsonWebKey;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
    const { privateKey } = await generate('rsa', { modulusLength: 2048 });
    jwk = privateKey.export({ format: 'jwk' });
    await mkdir(dataDir, { recursive: true });
    await writeFile(file, `${JSON.stringify(jwk)}\n`, { mode: 0o600 });
  }
  const privateKey = createPrivateKey({ key: jwk, format: 'jwk' });
  const publicKey = createPublicKey(privateKey).export({ format: 'jwk' });
  // The RFC 7638 thumbprint, cut short: a stable kid per key, as Cognito's kids are per key.
  const thumbprint = createHash('sha256')
    .update(JSON.stringify({ e: publicKey.e, kty: 'RSA', n: publicKey.n }))
    .digest('base64');
  const kid = thumbprint.slice(0, 43);
  return {
    kid,
    privateKey,
    publicJwk: { kid, alg: 'RS256', kty: 'RSA', use: 'sig', e: String(publicKey.e), n: String(publicKey.n) },
  };
}
