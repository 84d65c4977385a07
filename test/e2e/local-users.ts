import {
  AdminConfirmSignUpCommand,
  CognitoIdentityProviderClient,
  InitiateAuthCommand,
  SignUpCommand,
} from '@aws-sdk/client-cognito-identity-provider';

/** What the web app reads from /config.json to reach the user pool. */
export interface PoolConfig {
  region: string;
  userPoolId: string;
  userPoolClientId: string;
  cognitoEndpoint: string;
  /** The local cloud's token for its /_kumo routes (the codes the pool "sent"). */
  kumoToken: string;
}

export interface Credentials {
  email: string;
  password: string;
}

/** A password the template's policy accepts (10+ characters, upper, lower, digit). */
export const testPassword = 'Kumo-e2e-Passw0rd';

/** A fresh e-mail address per call, so that runs never collide in a kept data folder. */
export function uniqueEmail(prefix: string): string {
  return `${prefix}-${Date.now().toString(36)}${Math.random().toString(36).slice(2, 6)}@example.com`;
}

/** The user pool the web app at `webUrl` signs in to, from its /config.json. */
export async function poolConfig(webUrl: string): Promise<PoolConfig> {
  const config = (await (await fetch(new URL('/config.json', webUrl))).json()) as Partial<PoolConfig>;
  const { region, userPoolId, userPoolClientId, cognitoEndpoint, kumoToken } = config;
  if (!region || !userPoolId || !userPoolClientId || !cognitoEndpoint || !kumoToken) {
    throw new Error(`${webUrl}/config.json names no local user pool: ${JSON.stringify(config)}`);
  }
  return { region, userPoolId, userPoolClientId, cognitoEndpoint, kumoToken };
}

function poolClient(pool: PoolConfig): CognitoIdentityProviderClient {
  return new CognitoIdentityProviderClient({
    region: pool.region,
    endpoint: pool.cognitoEndpoint,
    credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
  });
}

/** An ID token for the API's Authorization header, as the web app gets one (USER_PASSWORD_AUTH). */
export async function idToken(pool: PoolConfig, credentials: Credentials): Promise<string> {
  const client = poolClient(pool);
  try {
    const result = await client.send(
      new InitiateAuthCommand({
        ClientId: pool.userPoolClientId,
        AuthFlow: 'USER_PASSWORD_AUTH',
        AuthParameters: { USERNAME: credentials.email, PASSWORD: credentials.password },
      }),
    );
    const token = result.AuthenticationResult?.IdToken;
    if (!token) throw new Error(`no ID token for ${credentials.email}`);
    return token;
  } finally {
    client.destroy();
  }
}

/**
 * Signs a user up in the local pool and confirms it as an administrator would (the local Cognito
 * accepts any credentials), ready to sign in through the web app.
 */
export async function createConfirmedUser(pool: PoolConfig, prefix = 'e2e'): Promise<Credentials> {
  const client = poolClient(pool);
  const credentials = { email: uniqueEmail(prefix), password: testPassword };
  try {
    const result = await client.send(
      new SignUpCommand({
        ClientId: pool.userPoolClientId,
        Username: credentials.email,
        Password: credentials.password,
        UserAttributes: [{ Name: 'email', Value: credentials.email }],
      }),
    );
    if (!result.UserConfirmed) {
      await client.send(
        new AdminConfirmSignUpCommand({ UserPoolId: pool.userPoolId, Username: credentials.email }),
      );
    }
  } finally {
    client.destroy();
  }
  return credentials;
}

interface SentCode {
  username: string;
  destination: string;
  code: string;
}

/**
 * The confirmation code the local pool "e-mailed" to `email`: it lists what it sent at
 * `<cognitoEndpoint>/_kumo/codes` (and prints it in the npm start log).
 */
export async function confirmationCode(pool: PoolConfig, email: string, timeoutMs = 10_000): Promise<string> {
  const deadline = Date.now() + timeoutMs;
  const wanted = email.toLowerCase();
  while (Date.now() < deadline) {
    const response = await fetch(new URL('/_kumo/codes', pool.cognitoEndpoint), {
      headers: { 'X-Kumo-Token': pool.kumoToken },
    });
    if (response.ok) {
      const codes = (await response.json()) as SentCode[];
      const match = codes
        .filter((c) => c.destination.toLowerCase() === wanted || c.username.toLowerCase() === wanted)
        .pop();
      if (match) return match.code;
    }
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
  throw new Error(`the local pool sent no confirmation code to ${email} within ${timeoutMs} ms`);
}
