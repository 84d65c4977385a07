import type { IncomingHttpHeaders } from 'node:http';
import { JwtRsaVerifier } from 'aws-jwt-verify';
import { SimpleJwksCache } from 'aws-jwt-verify/jwk';
import type { JwtPayload } from 'aws-jwt-verify/jwt-model';
import type { TemplateModel } from '../../template/types.js';
import type { LocalLogger, LocalService } from '../../types.js';
import { createApiGatewayService, type RequestAuthorizer } from '../apigateway/index.js';
import type { Route } from '../apigateway/routes.js';
import { poolIdFromArn } from './template-pools.js';

/** How long the list of a pool's app clients (the accepted audiences) is kept. */
const CLIENTS_TTL_MS = 5_000;

const UNAUTHORIZED = { ok: false, status: 401, message: 'Unauthorized' } as const;

export interface CognitoAuthorizerDeps {
  /** The local Cognito endpoint, once started (`ctx.endpoints.cognito_identity_provider`). */
  cognitoUrl: () => string | undefined;
  log: LocalLogger;
}

type Verifier = { verify(jwt: string, props: { audience: string[] }): Promise<JwtPayload> };

/**
 * API Gateway's Cognito user pool authorizer, against the local pools: the `Authorization` header (or the
 * authorizer's Identity header) must hold an ID token whose RS256 signature checks against the pool's
 * JWKS, whose `iss` is the pool's local issuer, whose `aud` is one of the pool's app clients, whose
 * `token_use` is `id` and that has not expired. Otherwise 401 `{"message":"Unauthorized"}`. The claims
 * reach the function as strings in `requestContext.authorizer.claims`, formatted as API Gateway does.
 *
 * Local tokens are signed with a key that exists only on this machine: nothing deployed trusts them, and
 * nothing in functions/ may verify tokens against local keys.
 */
export function createCognitoAuthorizer(deps: CognitoAuthorizerDeps): RequestAuthorizer {
  const verifiers = new Map<string, Verifier>();
  const clients = new Map<string, { ids: string[]; at: number }>();

  const verifierFor = (url: string, poolId: string): Verifier => {
    const issuer = `${url}/${poolId}`;
    let verifier = verifiers.get(issuer);
    if (!verifier) {
      // aws-jwt-verify's own fetcher (and CognitoJwtVerifier) refuse http and local pool ids: fetch the JWKS here.
      const jwksCache = new SimpleJwksCache({
        fetcher: {
          fetch: async (uri: string) => {
            const response = await fetch(uri);
            if (!response.ok) throw new Error(`JWKS ${uri}: HTTP ${response.status}`);
            return response.arrayBuffer();
          },
        },
      });
      verifier = JwtRsaVerifier.create(
        {
          issuer,
          jwksUri: `${issuer}/.well-known/jwks.json`,
          audience: null,
          customJwtCheck: ({ payload }) => checkIdTokenClaims(payload, Date.now() / 1000),
        },
        { jwksCache },
      ) as unknown as Verifier;
      verifiers.set(issuer, verifier);
    }
    return verifier;
  };

  const clientIds = async (url: string, poolId: string): Promise<string[]> => {
    const cached = clients.get(poolId);
    if (cached && Date.now() - cached.at < CLIENTS_TTL_MS) return cached.ids;
    const response = await fetch(url, {
      method: 'POST',
      headers: {
        'Content-Type': 'application/x-amz-json-1.1',
        'X-Amz-Target': 'AWSCognitoIdentityProviderService.ListUserPoolClients',
      },
      body: JSON.stringify({ UserPoolId: poolId, MaxResults: 60 }),
    });
    if (!response.ok) throw new Error(`ListUserPoolClients ${poolId}: HTTP ${response.status}`);
    const body = (await response.json()) as { UserPoolClients?: { ClientId?: string }[] };
    const ids = (body.UserPoolClients ?? []).flatMap((c) => (c.ClientId ? [c.ClientId] : []));
    clients.set(poolId, { ids, at: Date.now() });
    return ids;
  };

  return {
    async authorize(route: Route, headers: IncomingHttpHeaders) {
      const config = route.authorizer ? route.api?.authorizers[route.authorizer] : undefined;
      const poolId = config?.userPoolArn ? poolIdFromArn(config.userPoolArn) : undefined;
      if (!config || !poolId) {
        return {
          ok: false,
          status: 401,
          message: `Unauthorized (authorizer ${route.authorizer} is not a Cognito user pool authorizer)`,
        };
      }
      const url = deps.cognitoUrl();
      if (!url) {
        deps.log.warn(`api: authorizer ${route.authorizer} needs the local Cognito, which is not running`);
        return UNAUTHORIZED;
      }
      const raw = headers[config.identityHeader.toLowerCase()];
      const token = tokenOf(Array.isArray(raw) ? raw[0] : raw);
      if (!token) return UNAUTHORIZED;
      try {
        const payload = await verifierFor(url, poolId).verify(token, {
          audience: await clientIds(url, poolId),
        });
        return { ok: true, claims: claimStrings(payload) };
      } catch {
        return UNAUTHORIZED;
      }
    },
  };
}

/** Cognito's longest ID token validity (one day): a token claiming more was not issued by a pool. */
const MAX_ID_TOKEN_SECONDS = 86_400;
/** Clock skew tolerated on `iat` (aws-jwt-verify already checks `exp` and `nbf` against the clock). */
const IAT_SKEW_SECONDS = 300;

/**
 * The claims API Gateway's Cognito authorizer (without scopes) insists on beyond the signature, issuer
 * and audience: an ID token (`token_use: id`, so an access token is refused), with numeric `exp` and
 * `iat`, issued no later than now (give or take the skew), expiring after it was issued and within a day
 * of it. aws-jwt-verify skips a missing `exp`, which no Cognito token lacks.
 *
 * @throws {Error} naming the first claim that fails (for the local logs; the caller only sees a 401)
 */
export function checkIdTokenClaims(payload: JwtPayload, nowSeconds: number): void {
  if (payload.token_use !== 'id') throw new Error(`token_use is ${String(payload.token_use)}, not id`);
  const { exp, iat } = payload;
  if (typeof exp !== 'number' || typeof iat !== 'number') throw new Error('exp and iat are required');
  if (iat > nowSeconds + IAT_SKEW_SECONDS) throw new Error('iat is in the future');
  if (exp <= iat || exp - iat > MAX_ID_TOKEN_SECONDS) throw new Error('exp is not within a day of iat');
  if (typeof payload.sub !== 'string' || payload.sub === '') throw new Error('sub is required');
}

/**
 * The token in an Authorization header. API Gateway's Cognito authorizer takes the header's value as
 * the token, and also accepts it after a `Bearer ` scheme (what OAuth clients send); any other scheme,
 * or a scheme with nothing after it, is not a token.
 */
export function tokenOf(value: string | undefined): string | undefined {
  const text = value?.trim();
  if (!text) return undefined;
  const bearer = /^Bearer\s+(\S+)$/i.exec(text);
  if (bearer) return bearer[1];
  return /\s/.test(text) || /^Bearer$/i.test(text) ? undefined : text;
}

/**
 * Claims as API Gateway's Cognito authorizer passes them to a REST API function: every value a string,
 * `exp` and `iat` as dates (`Thu Jun 11 16:17:16 UTC 2020`), lists joined with commas.
 */
export function claimStrings(payload: JwtPayload): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [name, value] of Object.entries(payload)) {
    if (value === undefined || value === null) continue;
    if ((name === 'exp' || name === 'iat') && typeof value === 'number') out[name] = apiGatewayDate(value);
    else if (Array.isArray(value)) out[name] = value.map(String).join(',');
    else if (typeof value === 'object') out[name] = JSON.stringify(value);
    else out[name] = String(value);
  }
  return out;
}

function apiGatewayDate(epochSeconds: number): string {
  const d = new Date(epochSeconds * 1000);
  const days = ['Sun', 'Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat'];
  const months = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];
  const pad = (n: number) => String(n).padStart(2, '0');
  return (
    `${days[d.getUTCDay()]} ${months[d.getUTCMonth()]} ${pad(d.getUTCDate())} ` +
    `${pad(d.getUTCHours())}:${pad(d.getUTCMinutes())}:${pad(d.getUTCSeconds())} UTC ${d.getUTCFullYear()}`
  );
}

/** True when some API of the template has an authorizer backed by a Cognito user pool. */
export function usesCognitoAuthorizer(model: TemplateModel): boolean {
  return model.apis.some((api) => Object.values(api.authorizers).some((a) => a.userPoolArn !== undefined));
}

/**
 * The local API Gateway, with the Cognito authorizer when the template has one (the local Cognito must
 * start before it: it reads the endpoint when a request comes).
 */
export function apiGatewayWithCognito(): LocalService {
  const plain = createApiGatewayService();
  return {
    name: plain.name,
    needed: (model) => plain.needed(model),
    start: (ctx) => {
      if (!usesCognitoAuthorizer(ctx.model)) return plain.start(ctx);
      const authorizer = createCognitoAuthorizer({
        cognitoUrl: () => ctx.endpoints.cognito_identity_provider,
        log: ctx.log,
      });
      return createApiGatewayService(authorizer).start(ctx);
    },
  };
}
