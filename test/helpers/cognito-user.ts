import {
  AdminConfirmSignUpCommand,
  CognitoIdentityProviderClient,
  InitiateAuthCommand,
  SignUpCommand,
} from '@aws-sdk/client-cognito-identity-provider';
import { webPool } from '../../local/services/cognito/template-pools.js';
import type { TemplateModel } from '../../local/template/index.js';

/** A user of a local pool, signed in: its tokens as InitiateAuth returned them. */
export interface SignedInUser {
  email: string;
  sub: string;
  idToken: string;
  accessToken: string;
  refreshToken: string;
}

/** A password that passes the template pools' policies (10+ characters, upper, lower, digit). */
export const TEST_PASSWORD = 'Kumo-test-Passw0rd';

/**
 * Signs a new user up to a local pool (the web app's pool of `model` unless ids are given), confirms it as
 * an administrator would and signs it in with USER_PASSWORD_AUTH, through the real SDK client.
 */
export async function signedInUser(
  cognitoUrl: string,
  model: TemplateModel,
  options: { email?: string; userPoolId?: string; clientId?: string } = {},
): Promise<SignedInUser> {
  const web = webPool(model);
  const userPoolId = options.userPoolId ?? web?.pool.id;
  const clientId = options.clientId ?? web?.client?.id;
  if (!userPoolId || !clientId) throw new Error('the template has no user pool with an app client');
  const email = options.email ?? `user-${Date.now()}-${Math.random().toString(36).slice(2, 8)}@example.com`;
  const client = new CognitoIdentityProviderClient({
    endpoint: cognitoUrl,
    region: model.region,
    credentials: { accessKeyId: 'test', secretAccessKey: 'test' },
  });
  try {
    const { UserSub } = await client.send(
      new SignUpCommand({
        ClientId: clientId,
        Username: email,
        Password: TEST_PASSWORD,
        UserAttributes: [{ Name: 'email', Value: email }],
      }),
    );
    await client.send(new AdminConfirmSignUpCommand({ UserPoolId: userPoolId, Username: email }));
    const { AuthenticationResult: tokens } = await client.send(
      new InitiateAuthCommand({
        ClientId: clientId,
        AuthFlow: 'USER_PASSWORD_AUTH',
        AuthParameters: { USERNAME: email, PASSWORD: TEST_PASSWORD },
      }),
    );
    if (!tokens?.IdToken || !tokens.AccessToken || !tokens.RefreshToken || !UserSub) {
      throw new Error('InitiateAuth returned no tokens');
    }
    return {
      email,
      sub: UserSub,
      idToken: tokens.IdToken,
      accessToken: tokens.AccessToken,
      refreshToken: tokens.RefreshToken,
    };
  } finally {
    client.destroy();
  }
}
