import {
  CognitoIdentityProviderClient,
  ConfirmSignUpCommand,
  GlobalSignOutCommand,
  InitiateAuthCommand,
  SignUpCommand,
} from '@aws-sdk/client-cognito-identity-provider';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { emptyLocalConfig, type LocalConfig } from '../../../local/config.js';
import { type CognitoService, createCognitoService } from '../../../local/services/cognito/index.js';
import type { TemplateModel } from '../../../local/template/index.js';
import { TEST_PASSWORD } from '../../helpers/cognito-user.js';
import { fixtureModel, tempDataRoot, testContext } from '../../helpers/service-context.js';

function clientFor(service: CognitoService) {
  return new CognitoIdentityProviderClient({
    endpoint: service.url,
    region: 'us-east-1',
    credentials: { accessKeyId: 'x', secretAccessKey: 'x' },
  });
}

function claims(token: string): Record<string, unknown> {
  return JSON.parse(Buffer.from(token.split('.')[1] ?? '', 'base64url').toString('utf8'));
}

async function start(
  model: TemplateModel,
  dataRoot: string,
  options: { fresh?: boolean; config?: LocalConfig } = {},
) {
  const { ctx, log } = testContext(model, dataRoot, {
    fresh: options.fresh,
    ...(options.config ? { config: options.config } : {}),
  });
  const service = (await createCognitoService().start(ctx)) as CognitoService;
  return { service, log, client: clientFor(service) };
}

describe('Service: cognito', () => {
  let model: TemplateModel;
  let dataRoot: string;
  let running: Awaited<ReturnType<typeof start>>;
  let clientId: string;

  const signIn = (username: string, password = TEST_PASSWORD) =>
    running.client.send(
      new InitiateAuthCommand({
        ClientId: clientId,
        AuthFlow: 'USER_PASSWORD_AUTH',
        AuthParameters: { USERNAME: username, PASSWORD: password },
      }),
    );

  beforeAll(async () => {
    model = await fixtureModel('cognito.yaml');
    dataRoot = await tempDataRoot();
    running = await start(model, dataRoot, { fresh: true });
    clientId = running.service.clients.UserPoolClient as string;
  });

  afterAll(async () => {
    running.client.destroy();
    await running.service.stop();
  });

  it('creates the template pools and clients with the ids the template reader gives them', () => {
    const fn = model.functions.find((f) => f.logicalId === 'PhotosFunction');
    const poolId = running.service.pools.UserPool;
    expect(poolId).toMatch(/^us-east-1_[A-Za-z0-9]{9}$/);
    expect(clientId).toMatch(/^[a-z0-9]{26}$/);
    expect(fn?.environment).toMatchObject({
      USER_POOL_ID: poolId,
      USER_POOL_CLIENT_ID: clientId,
      PROVIDER_URL: `https://cognito-idp.us-east-1.amazonaws.com/${poolId}`,
    });
    expect(running.service.webConfig()).toEqual({
      userPoolId: poolId,
      userPoolClientId: clientId,
      cognitoEndpoint: running.service.url,
    });
  });

  it('signs up, prints the confirmation code, confirms with it and signs in with USER_PASSWORD_AUTH', async () => {
    const signUp = await running.client.send(
      new SignUpCommand({ ClientId: clientId, Username: 'ann@example.com', Password: TEST_PASSWORD }),
    );
    expect(signUp.UserConfirmed).toBe(false);
    expect(signUp.CodeDeliveryDetails).toEqual({
      AttributeName: 'email',
      DeliveryMedium: 'EMAIL',
      Destination: 'ann@example.com',
    });
    const line = running.log.lines.find((l) =>
      l.startsWith('[cognito] confirmation code for ann@example.com: '),
    );
    const code = line?.split(': ')[1] ?? '';
    expect(code).toMatch(/^\d{6}$/);
    expect(running.service.sentCodes().at(-1)).toMatchObject({ destination: 'ann@example.com', code });

    const early = await signIn('ann@example.com').catch((e) => e);
    expect(early.name).toBe('UserNotConfirmedException');
    const wrongCode = await running.client
      .send(
        new ConfirmSignUpCommand({
          ClientId: clientId,
          Username: 'ann@example.com',
          ConfirmationCode: '000000',
        }),
      )
      .catch((e) => e);
    expect(wrongCode.name).toBe('CodeMismatchException');
    await running.client.send(
      new ConfirmSignUpCommand({ ClientId: clientId, Username: 'ann@example.com', ConfirmationCode: code }),
    );

    const tokens = (await signIn('ann@example.com')).AuthenticationResult;
    const id = claims(tokens?.IdToken ?? '');
    expect(id).toMatchObject({
      sub: signUp.UserSub,
      email: 'ann@example.com',
      email_verified: true,
      token_use: 'id',
      aud: clientId,
      iss: `${running.service.url}/${running.service.pools.UserPool}`,
    });
    expect((id.exp as number) - (id.iat as number)).toBe(3600);
    expect(claims(tokens?.AccessToken ?? '')).toMatchObject({ token_use: 'access', client_id: clientId });
    expect(tokens?.RefreshToken).toMatch(/^\S{20,}$/);
  });

  it('refuses weak passwords and wrong passwords as Cognito does', async () => {
    const weak = await running.client
      .send(new SignUpCommand({ ClientId: clientId, Username: 'bob@example.com', Password: 'short' }))
      .catch((e) => e);
    expect(weak.name).toBe('InvalidPasswordException');
    expect(weak.message).toBe('Password did not conform with policy: Password not long enough');
    const wrong = await signIn('ann@example.com', 'Wrong-passw0rd').catch((e) => e);
    expect(wrong.name).toBe('NotAuthorizedException');
    expect(wrong.message).toBe('Incorrect username or password.');
  });

  it('refreshes tokens with REFRESH_TOKEN_AUTH', async () => {
    const first = (await signIn('ann@example.com')).AuthenticationResult;
    const refreshed = await running.client.send(
      new InitiateAuthCommand({
        ClientId: clientId,
        AuthFlow: 'REFRESH_TOKEN_AUTH',
        AuthParameters: { REFRESH_TOKEN: first?.RefreshToken ?? '' },
      }),
    );
    expect(claims(refreshed.AuthenticationResult?.IdToken ?? '')).toMatchObject({ email: 'ann@example.com' });
    expect(refreshed.AuthenticationResult?.RefreshToken).toBeUndefined();
  });

  it('answers an operation cognito-local lacks with 400 UnknownOperationException, once warned', async () => {
    for (let i = 0; i < 2; i++) {
      await expect(running.client.send(new GlobalSignOutCommand({ AccessToken: 'x' }))).rejects.toMatchObject(
        {
          name: 'UnknownOperationException',
          $metadata: { httpStatusCode: 400 },
        },
      );
    }
    const warnings = running.log.lines.filter((l) => l.includes('GlobalSignOut is not supported'));
    expect(warnings).toHaveLength(1);
  });

  it('serves the JWKS and OpenID configuration of each pool', async () => {
    const poolId = running.service.pools.UserPool;
    const jwks = (await (await fetch(`${running.service.url}/${poolId}/.well-known/jwks.json`)).json()) as {
      keys: { kid: string; alg: string; kty: string; use: string }[];
    };
    expect(jwks.keys).toHaveLength(1);
    expect(jwks.keys[0]).toMatchObject({ alg: 'RS256', kty: 'RSA', use: 'sig' });
    const token = (await signIn('ann@example.com')).AuthenticationResult?.IdToken ?? '';
    const header = JSON.parse(Buffer.from(token.split('.')[0] ?? '', 'base64url').toString('utf8'));
    expect(header).toEqual({ kid: jwks.keys[0]?.kid, alg: 'RS256' });
    const openid = (await (
      await fetch(`${running.service.url}/${poolId}/.well-known/openid-configuration`)
    ).json()) as {
      issuer: string;
    };
    expect(openid.issuer).toBe(`${running.service.url}/${poolId}`);
    expect((await fetch(`${running.service.url}/us-east-1_unknown00/.well-known/jwks.json`)).status).toBe(
      404,
    );
  });

  it('keeps users, pool ids and the signing key across a restart', async () => {
    const before = (await (
      await fetch(`${running.service.url}/${running.service.pools.UserPool}/.well-known/jwks.json`)
    ).json()) as unknown;
    const pools = running.service.pools;
    running.client.destroy();
    await running.service.stop();
    running = await start(model, dataRoot);
    expect(running.service.pools).toEqual(pools);
    expect(running.service.clients.UserPoolClient).toBe(clientId);
    const after = (await (
      await fetch(`${running.service.url}/${pools.UserPool}/.well-known/jwks.json`)
    ).json()) as unknown;
    expect(after).toEqual(before);
    const idToken = (await signIn('ann@example.com')).AuthenticationResult?.IdToken ?? '';
    expect(claims(idToken)).toMatchObject({ token_use: 'id', email: 'ann@example.com' });
  });
});

describe('Service: cognito (autoConfirm)', () => {
  it('confirms sign-ups at once and prints no code (kumo.local.json cognito.autoConfirm, from the context)', async () => {
    const model = await fixtureModel('cognito.yaml');
    const config = { ...emptyLocalConfig(), cognito: { autoConfirm: true } };
    const running = await start(model, await tempDataRoot(), { fresh: true, config });
    const ClientId = running.service.clients.UserPoolClient as string;
    try {
      const signUp = await running.client.send(
        new SignUpCommand({ ClientId, Username: 'cy@example.com', Password: TEST_PASSWORD }),
      );
      expect(signUp.UserConfirmed).toBe(true);
      expect(signUp.CodeDeliveryDetails).toBeUndefined();
      expect(running.log.lines.some((l) => l.includes('confirmation code'))).toBe(false);
      const tokens = await running.client.send(
        new InitiateAuthCommand({
          ClientId,
          AuthFlow: 'USER_PASSWORD_AUTH',
          AuthParameters: { USERNAME: 'cy@example.com', PASSWORD: TEST_PASSWORD },
        }),
      );
      expect(claims(tokens.AuthenticationResult?.IdToken ?? '')).toMatchObject({ email_verified: true });
    } finally {
      running.client.destroy();
      await running.service.stop();
    }
  });
});
