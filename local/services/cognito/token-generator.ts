import { createSign, randomBytes, randomUUID } from 'node:crypto';
import type { AppClient } from 'cognito-local/lib/services/appClient.js';
import type { Clock } from 'cognito-local/lib/services/clock.js';
import type { TokenGenerator } from 'cognito-local/lib/services/tokenGenerator.js';
import type { User } from 'cognito-local/lib/services/userPoolService.js';
import type { SigningKey } from './signing-key.js';

type Unit = 'seconds' | 'minutes' | 'hours' | 'days';
const SECONDS: Record<Unit, number> = { seconds: 1, minutes: 60, hours: 3600, days: 86_400 };

/** Cognito's defaults when an app client sets no validity: one hour for ID and access tokens. */
const DEFAULT_TOKEN_SECONDS = 3600;

function validity(value: number | undefined, unit: string | undefined, fallbackUnit: Unit): number {
  if (value === undefined) return DEFAULT_TOKEN_SECONDS;
  const u = (unit ?? fallbackUnit) as Unit;
  return value * (SECONDS[u] ?? SECONDS[fallbackUnit]);
}

function base64url(data: string | Buffer): string {
  return Buffer.from(data).toString('base64url');
}

function attribute(user: User, name: string): string | undefined {
  return user.Attributes?.find((a) => a.Name === name)?.Value;
}

/**
 * Signs ID and access tokens with the claims Cognito puts in them (token_use, cognito:username, aud on
 * the ID token, client_id and scope on the access token, origin_jti, event_id, auth_time, exp, iat, jti),
 * RS256 with the local key and its kid; refresh tokens are opaque, as Cognito's are.
 */
export class LocalTokenGenerator implements TokenGenerator {
  readonly #clock: Clock;
  readonly #key: SigningKey;
  readonly #issuerDomain: () => string;

  constructor(clock: Clock, key: SigningKey, issuerDomain: () => string) {
    this.#clock = clock;
    this.#key = key;
    this.#issuerDomain = issuerDomain;
  }

  /** The issuer of a pool's tokens: `<cognito endpoint>/<pool id>`. */
  issuer(userPoolId: string): string {
    return `${this.#issuerDomain()}/${userPoolId}`;
  }

  /** Signs any payload with the local key (tokens above; tests use it for expired tokens). */
  sign(payload: Record<string, unknown>): string {
    const header = base64url(JSON.stringify({ kid: this.#key.kid, alg: 'RS256' }));
    const body = base64url(JSON.stringify(payload));
    const signature = createSign('RSA-SHA256').update(`${header}.${body}`).sign(this.#key.privateKey);
    return `${header}.${body}.${base64url(signature)}`;
  }

  async generate(
    _ctx: unknown,
    user: User,
    userGroups: readonly string[],
    client: AppClient,
  ): Promise<{ AccessToken: string; IdToken: string; RefreshToken: string }> {
    const now = Math.floor(this.#clock.get().getTime() / 1000);
    const sub = attribute(user, 'sub');
    const iss = this.issuer(client.UserPoolId);
    const originJti = randomUUID();
    const eventId = randomUUID();
    const units = client.TokenValidityUnits ?? {};
    const groups = userGroups.length > 0 ? { 'cognito:groups': [...userGroups] } : {};
    const custom = Object.fromEntries(
      (user.Attributes ?? []).filter((a) => a.Name.startsWith('custom:')).map((a) => [a.Name, a.Value]),
    );
    const email = attribute(user, 'email');
    const idToken = {
      sub,
      ...groups,
      ...(email === undefined ? {} : { email_verified: attribute(user, 'email_verified') === 'true' }),
      iss,
      'cognito:username': user.Username,
      origin_jti: originJti,
      aud: client.ClientId,
      event_id: eventId,
      token_use: 'id',
      auth_time: now,
      exp: now + validity(client.IdTokenValidity, units.IdToken, 'minutes'),
      iat: now,
      jti: randomUUID(),
      ...(email === undefined ? {} : { email }),
      ...custom,
    };
    const accessToken = {
      sub,
      ...groups,
      iss,
      client_id: client.ClientId,
      origin_jti: originJti,
      event_id: eventId,
      token_use: 'access',
      scope: 'aws.cognito.signin.user.admin',
      auth_time: now,
      exp: now + validity(client.AccessTokenValidity, units.AccessToken, 'minutes'),
      iat: now,
      jti: randomUUID(),
      username: user.Username,
    };
    return {
      IdToken: this.sign(idToken),
      AccessToken: this.sign(accessToken),
      // Opaque, as Cognito's (encrypted) refresh tokens are to clients; cognito-local looks it up by value.
      RefreshToken: `kumo.${randomBytes(48).toString('base64url')}`,
    };
  }
}
