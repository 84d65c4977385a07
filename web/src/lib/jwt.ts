/** The claims the app reads from a Cognito ID token. */
export interface IdTokenClaims {
  sub: string;
  email?: string;
  /** Expiry, seconds since the epoch. */
  exp: number;
}

function base64UrlDecode(segment: string): string {
  const base64 = segment
    .replace(/-/g, '+')
    .replace(/_/g, '/')
    .padEnd(Math.ceil(segment.length / 4) * 4, '=');
  const bytes = Uint8Array.from(atob(base64), (char) => char.charCodeAt(0));
  return new TextDecoder().decode(bytes);
}

/**
 * Reads a JWT's payload without verifying it. The browser only needs the expiry (to refresh in time)
 * and who is signed in (to show it); the API's authorizer is what verifies tokens.
 */
export function readIdToken(token: string): IdTokenClaims {
  const payload = token.split('.')[1];
  if (!payload) throw new Error('The ID token is not a JWT');
  const claims = JSON.parse(base64UrlDecode(payload)) as Record<string, unknown>;
  if (typeof claims.sub !== 'string' || typeof claims.exp !== 'number') {
    throw new Error('The ID token has no sub or exp claim');
  }
  return {
    sub: claims.sub,
    email: typeof claims.email === 'string' ? claims.email : undefined,
    exp: claims.exp,
  };
}
