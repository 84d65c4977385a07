/**
 * Every kind of `Authorization` header a hostile caller can send to a Cognito-authorized API, made from
 * one real ID token of the pool: missing, malformed, `alg: none`, HS256 keyed with the pool's public key,
 * signed by another key, expired, not yet valid, another pool's, another client's, an access token, a
 * tampered payload, and the valid ones. Used by the authorizer's integration test, the hostile-input
 * suite and bench/hostile.
 */
import { createHmac, createPublicKey, createSign, generateKeyPairSync, type JsonWebKey } from 'node:crypto';

/** Kinds of header the API must refuse with 401 on a private route. */
export const INVALID_TOKEN_KINDS = [
  'missing',
  'empty',
  'garbage',
  'bearer-without-token',
  'other-scheme',
  'alg-none',
  'alg-none-unsigned',
  'hs256-with-public-key',
  'signed-by-another-key',
  'bad-signature',
  'tampered-sub',
  'expired',
  'issued-in-the-future',
  'not-yet-valid',
  'no-exp',
  'lives-too-long',
  'another-pool',
  'another-client',
  'access-token',
] as const;

/** An invalid kind. */
export type InvalidTokenKind = (typeof INVALID_TOKEN_KINDS)[number];

/** Kinds the API must accept (user A's and B's ID tokens, raw and with `Bearer `). */
export const VALID_TOKEN_KINDS = ['user-a', 'user-a-bearer', 'user-b', 'user-b-bearer'] as const;

/** A valid kind. */
export type ValidTokenKind = (typeof VALID_TOKEN_KINDS)[number];

/** Any kind. */
export type TokenKind = InvalidTokenKind | ValidTokenKind;

/** What {@link hostileTokens} needs. */
export interface TokenSources {
  /** User A: a real ID token and access token of the template's pool. */
  a: { idToken: string; accessToken: string };
  /** User B: a real ID token of the template's pool. */
  b: { idToken: string };
  /** A real ID token of another pool (signed by the same local key, another `iss`). */
  otherPoolIdToken: string;
  /** Signs a payload RS256 with the local pools' key (the pool's own signature). */
  signLocal(payload: Record<string, unknown>): string | Promise<string>;
  /** The pool's public JWK (from its JWKS). */
  publicJwk: JsonWebKey;
}

function part(value: unknown): string {
  return Buffer.from(JSON.stringify(value)).toString('base64url');
}

/** The header of a JWT, unverified. */
export function jwtHeaderOf(token: string): Record<string, unknown> {
  return JSON.parse(Buffer.from(token.split('.')[0] ?? '', 'base64url').toString('utf8')) as Record<
    string,
    unknown
  >;
}

/** The claims of a JWT, unverified. */
export function jwtClaimsOf(token: string): Record<string, unknown> {
  return JSON.parse(Buffer.from(token.split('.')[1] ?? '', 'base64url').toString('utf8')) as Record<
    string,
    unknown
  >;
}

/**
 * The `Authorization` header value of every {@link TokenKind} (`undefined`: no header at all). Times are
 * taken from `now`, so make them again when a run outlives the tokens.
 */
export async function hostileTokens(
  sources: TokenSources,
  now = Math.floor(Date.now() / 1000),
): Promise<Record<TokenKind, string | undefined>> {
  const claims = jwtClaimsOf(sources.a.idToken);
  const header = jwtHeaderOf(sources.a.idToken);
  const fresh = { ...claims, iat: now, auth_time: now, exp: now + 3600 };
  const [head, body, signature] = sources.a.idToken.split('.') as [string, string, string];

  const noneHead = part({ kid: header.kid, alg: 'none', typ: 'JWT' });
  const hsHead = part({ kid: header.kid, alg: 'HS256', typ: 'JWT' });
  const publicPem = createPublicKey({ key: sources.publicJwk, format: 'jwk' }).export({
    type: 'spki',
    format: 'pem',
  });
  const hsMac = createHmac('sha256', publicPem).update(`${hsHead}.${body}`).digest('base64url');

  const { privateKey: foreign } = generateKeyPairSync('rsa', { modulusLength: 2048 });
  const foreignHead = part({ kid: header.kid, alg: 'RS256', typ: 'JWT' });
  const foreignSig = createSign('RSA-SHA256').update(`${foreignHead}.${body}`).sign(foreign, 'base64url');

  const bSub = jwtClaimsOf(sources.b.idToken).sub;
  const flipped = `${signature.slice(0, -4)}${signature.endsWith('AAAA') ? 'BBBB' : 'AAAA'}`;
  const otherPoolClient = jwtClaimsOf(sources.otherPoolIdToken).aud;

  return {
    missing: undefined,
    empty: '',
    garbage: 'not.a.jwt',
    'bearer-without-token': 'Bearer',
    'other-scheme': `Basic ${sources.a.idToken}`,
    'alg-none': `${noneHead}.${body}.${signature}`,
    'alg-none-unsigned': `${noneHead}.${body}.`,
    'hs256-with-public-key': `${hsHead}.${body}.${hsMac}`,
    'signed-by-another-key': `${foreignHead}.${body}.${foreignSig}`,
    'bad-signature': `${head}.${body}.${flipped}`,
    'tampered-sub': `${head}.${part({ ...claims, sub: bSub })}.${signature}`,
    expired: await sources.signLocal({ ...claims, iat: now - 7200, auth_time: now - 7200, exp: now - 3600 }),
    'issued-in-the-future': await sources.signLocal({
      ...claims,
      iat: now + 3600,
      auth_time: now + 3600,
      exp: now + 7200,
    }),
    'not-yet-valid': await sources.signLocal({ ...fresh, nbf: now + 3600 }),
    'no-exp': await sources.signLocal(
      Object.fromEntries(Object.entries(fresh).filter(([name]) => name !== 'exp')),
    ),
    'lives-too-long': await sources.signLocal({ ...fresh, exp: now + 400 * 86_400 }),
    'another-pool': sources.otherPoolIdToken,
    'another-client': await sources.signLocal({ ...fresh, aud: otherPoolClient }),
    'access-token': sources.a.accessToken,
    'user-a': sources.a.idToken,
    'user-a-bearer': `Bearer ${sources.a.idToken}`,
    'user-b': sources.b.idToken,
    'user-b-bearer': `Bearer ${sources.b.idToken}`,
  };
}

/** Which user a valid kind stands for. */
export function userOf(kind: TokenKind): 'a' | 'b' | undefined {
  if (kind === 'user-a' || kind === 'user-a-bearer') return 'a';
  if (kind === 'user-b' || kind === 'user-b-bearer') return 'b';
  return undefined;
}
