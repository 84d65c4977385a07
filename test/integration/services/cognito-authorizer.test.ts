import type { JsonWebKey } from 'node:crypto';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { apiGatewayWithCognito } from '../../../local/services/cognito/authorizer.js';
import { type CognitoService, createCognitoService } from '../../../local/services/cognito/index.js';
import type { TemplateModel } from '../../../local/template/index.js';
import type { RunningService } from '../../../local/types.js';
import { type SignedInUser, signedInUser } from '../../helpers/cognito-user.js';
import {
  hostileTokens,
  INVALID_TOKEN_KINDS,
  type TokenKind,
  VALID_TOKEN_KINDS,
} from '../../helpers/hostile-tokens.js';
import {
  createRecordingInvoker,
  fixtureModel,
  tempDataRoot,
  testContext,
} from '../../helpers/service-context.js';

interface ProxyEvent {
  requestContext: { authorizer?: { claims: Record<string, string> } };
}

function decode(token: string): Record<string, unknown> {
  return JSON.parse(Buffer.from(token.split('.')[1] ?? '', 'base64url').toString('utf8'));
}

describe('Cognito authorizer', () => {
  let model: TemplateModel;
  let cognito: CognitoService;
  let api: RunningService;
  let user: SignedInUser;
  let tokens: Record<TokenKind, string | undefined>;
  const invoker = createRecordingInvoker(() => ({
    ok: true,
    payload: { statusCode: 200, body: '{"ok":true}' },
  }));

  const get = (path: string, authorization?: string) =>
    fetch(`${api.url}/test${path}`, {
      headers: authorization === undefined ? {} : { Authorization: authorization },
    });

  async function expectUnauthorized(authorization?: string) {
    const response = await get('/photos', authorization);
    expect(response.status).toBe(401);
    expect(await response.json()).toEqual({ message: 'Unauthorized', code: 'Unauthorized' });
    expect(invoker.calls).toEqual([]);
  }

  beforeAll(async () => {
    model = await fixtureModel('cognito.yaml');
    const { ctx } = testContext(model, await tempDataRoot(), { fresh: true, invoker });
    cognito = (await createCognitoService().start(ctx)) as CognitoService;
    // As the orchestrator does: services started before the API are in ctx.endpoints.
    ctx.endpoints = { cognito_identity_provider: cognito.url };
    api = await apiGatewayWithCognito().start(ctx);
    user = await signedInUser(cognito.url, model);
    const [other, otherPool] = await Promise.all([
      signedInUser(cognito.url, model),
      signedInUser(cognito.url, model, {
        userPoolId: cognito.pools.OtherPool,
        clientId: cognito.clients.OtherPoolClient,
      }),
    ]);
    const jwks = (await (
      await fetch(`${cognito.issuer(cognito.pools.UserPool as string)}/.well-known/jwks.json`)
    ).json()) as { keys: JsonWebKey[] };
    tokens = await hostileTokens({
      a: user,
      b: other,
      otherPoolIdToken: otherPool.idToken,
      signLocal: (payload) => cognito.signToken(payload),
      publicJwk: jwks.keys[0] as JsonWebKey,
    });
  });

  afterAll(async () => {
    await api.stop();
    await cognito.stop();
  });

  beforeEach(() => {
    invoker.calls.length = 0;
  });

  it('passes a valid ID token and hands its claims to the function as strings, as API Gateway does', async () => {
    const response = await get('/photos', user.idToken);
    expect(response.status).toBe(200);
    const event = invoker.calls[0]?.event as ProxyEvent;
    const claims = event.requestContext.authorizer?.claims ?? {};
    const token = decode(user.idToken);
    expect(claims).toMatchObject({
      sub: user.sub,
      email: user.email,
      email_verified: 'true',
      token_use: 'id',
      aud: cognito.clients.UserPoolClient,
      iss: cognito.issuer(cognito.pools.UserPool as string),
      'cognito:username': token['cognito:username'],
      auth_time: String(token.auth_time),
    });
    expect(claims.exp).toMatch(
      /^(Mon|Tue|Wed|Thu|Fri|Sat|Sun) [A-Z][a-z]{2} \d{2} \d{2}:\d{2}:\d{2} UTC \d{4}$/,
    );
    expect(Object.values(claims).every((v) => typeof v === 'string')).toBe(true);
  });

  it('accepts the token with a Bearer prefix too', async () => {
    expect((await get('/photos', `Bearer ${user.idToken}`)).status).toBe(200);
  });

  it('leaves public routes (Auth.Authorizer: NONE) open, without claims', async () => {
    expect((await get('/health')).status).toBe(200);
    const event = invoker.calls[0]?.event as ProxyEvent | undefined;
    expect(event?.requestContext).toBeDefined();
    expect(event?.requestContext.authorizer).toBeUndefined();
  });

  it('refuses a request without a token', async () => {
    await expectUnauthorized();
    await expectUnauthorized('');
  });

  it('refuses an expired token signed by the pool', async () => {
    const claims = decode(user.idToken);
    const now = Math.floor(Date.now() / 1000);
    await expectUnauthorized(
      cognito.signToken({ ...claims, iat: now - 7200, auth_time: now - 7200, exp: now - 3600 }),
    );
  });

  it("refuses another pool's token", async () => {
    const other = await signedInUser(cognito.url, model, {
      userPoolId: cognito.pools.OtherPool,
      clientId: cognito.clients.OtherPoolClient,
    });
    expect((decode(other.idToken).iss as string).endsWith(cognito.pools.OtherPool as string)).toBe(true);
    await expectUnauthorized(other.idToken);
  });

  it('refuses an access token in place of the ID token', async () => {
    await expectUnauthorized(user.accessToken);
  });

  it.each(INVALID_TOKEN_KINDS)('refuses a token of kind %s with 401 { message, code }', async (kind) => {
    await expectUnauthorized(tokens[kind]);
  });

  it.each(VALID_TOKEN_KINDS)('accepts %s and passes its sub', async (kind) => {
    const response = await get('/photos', tokens[kind]);
    expect(response.status).toBe(200);
    const event = invoker.calls[0]?.event as ProxyEvent;
    const token = String(tokens[kind]).replace(/^Bearer /, '');
    expect(event.requestContext.authorizer?.claims.sub).toBe(decode(token).sub);
  });

  it('takes the token raw or after one Bearer scheme, nothing else', async () => {
    expect((await get('/photos', `bearer ${user.idToken}`)).status).toBe(200);
    expect((await get('/photos', `  ${user.idToken}  `)).status).toBe(200);
    invoker.calls.length = 0;
    await expectUnauthorized(`Bearer Bearer ${user.idToken}`);
    await expectUnauthorized(`${user.idToken} ${user.idToken}`);
    await expectUnauthorized(`Token ${user.idToken}`);
  });

  it('refuses a tampered token, and one for an audience that is not a client of the pool', async () => {
    const [header, , signature] = user.idToken.split('.');
    const payload = Buffer.from(
      JSON.stringify({ ...decode(user.idToken), email: 'admin@example.com' }),
    ).toString('base64url');
    await expectUnauthorized(`${header}.${payload}.${signature}`);
    await expectUnauthorized(
      cognito.signToken({ ...decode(user.idToken), aud: 'someotherclientid0000000000' }),
    );
    await expectUnauthorized('not-a-jwt');
  });
});
