// Loaded on demand (see stores/auth.ts): the SDK is the largest dependency of the app, and pages that
// never touch the user pool should not wait for it.
import {
  CognitoIdentityProviderClient,
  ConfirmSignUpCommand,
  InitiateAuthCommand,
  ResendConfirmationCodeCommand,
  RevokeTokenCommand,
  SignUpCommand,
} from '@aws-sdk/client-cognito-identity-provider';
import type { AuthConfig } from '../types/config';
import { AuthError, type AuthErrorCode } from './auth-error';

export interface CognitoTokens {
  idToken: string;
  accessToken: string;
  /** Sent by a sign-in; a refresh sends one only when the pool rotates refresh tokens. */
  refreshToken?: string;
}

export interface SignUpResult {
  /** True when the pool confirmed the account at once (auto-confirm): no code to enter. */
  confirmed: boolean;
  /** Where the code went, e.g. "a***@e***": Cognito's masked destination. */
  destination?: string;
}

/** The user-pool calls the web app makes, in the client's own words: no secret, no SRP. */
export interface CognitoAuth {
  signUp(email: string, password: string): Promise<SignUpResult>;
  confirmSignUp(email: string, code: string): Promise<void>;
  resendCode(email: string): Promise<{ destination?: string }>;
  /** USER_PASSWORD_AUTH: the local pool has no SRP, and the deployed client allows this flow. */
  signIn(email: string, password: string): Promise<CognitoTokens>;
  /** REFRESH_TOKEN_AUTH. */
  refresh(refreshToken: string): Promise<CognitoTokens>;
  /** Revokes the refresh token (and the tokens it issued). */
  revoke(refreshToken: string): Promise<void>;
}

const requestTimeoutMs = 15_000;

const codes: Record<string, AuthErrorCode> = {
  UsernameExistsException: 'UsernameExists',
  InvalidPasswordException: 'InvalidPassword',
  InvalidParameterException: 'InvalidParameter',
  CodeMismatchException: 'CodeMismatch',
  ExpiredCodeException: 'ExpiredCode',
  NotAuthorizedException: 'NotAuthorized',
  UserNotConfirmedException: 'UserNotConfirmed',
  UserNotFoundException: 'UserNotFound',
  LimitExceededException: 'TooManyAttempts',
  TooManyRequestsException: 'TooManyAttempts',
  TooManyFailedAttemptsException: 'TooManyAttempts',
  CodeDeliveryFailureException: 'Unavailable',
};

const messages: Partial<Record<AuthErrorCode, string>> = {
  UsernameExists: 'An account with this e-mail address already exists. Sign in, or confirm it first.',
  CodeMismatch: 'That code is not right. Check it and try again.',
  ExpiredCode: 'That code has expired. Send a new one.',
  UserNotConfirmed: 'Confirm your e-mail address first: enter the code that was sent to you.',
  UserNotFound: 'No account uses this e-mail address.',
  TooManyAttempts: 'Too many attempts. Wait a few minutes, then try again.',
  Unavailable: 'The code could not be sent. Try again in a moment.',
};

/** Turns what the SDK threw into an AuthError with a message fit to show. */
function toAuthError(error: unknown, endpoint: string, notAuthorized: string): AuthError {
  if (error instanceof AuthError) return error;
  const name = error instanceof Error ? error.name : '';
  const raw = error instanceof Error ? error.message : String(error);
  if (name === 'TimeoutError' || name === 'AbortError') {
    return new AuthError(
      `The sign-in service did not answer within ${requestTimeoutMs / 1000} s.`,
      'Timeout',
      {
        cause: error,
      },
    );
  }
  // fetch() rejects with a TypeError when nothing answered (offline, refused, CORS).
  if (error instanceof TypeError) {
    return new AuthError(`Could not reach the sign-in service at ${endpoint}.`, 'NetworkError', {
      cause: error,
    });
  }
  const code = codes[name] ?? 'Unknown';
  if (code === 'NotAuthorized' && /current status is confirmed/i.test(raw)) {
    return new AuthError('This account is already confirmed: sign in.', 'AlreadyConfirmed', { cause: error });
  }
  if (code === 'NotAuthorized') return new AuthError(notAuthorized, code, { cause: error });
  // Cognito's own words are the clearest for password policy and bad parameters.
  return new AuthError(messages[code] ?? (raw || 'The sign-in service failed.'), code, { cause: error });
}

/** A user-pool client for the browser, from /config.json. */
export function createCognitoAuth(config: AuthConfig): CognitoAuth {
  const client = new CognitoIdentityProviderClient({
    region: config.region,
    endpoint: config.endpoint,
    maxAttempts: 2,
  });
  const endpoint = config.endpoint ?? `cognito-idp.${config.region}.amazonaws.com`;
  const ClientId = config.userPoolClientId;

  async function call<T>(run: (abortSignal: AbortSignal) => Promise<T>, notAuthorized: string): Promise<T> {
    try {
      return await run(AbortSignal.timeout(requestTimeoutMs));
    } catch (error) {
      throw toAuthError(error, endpoint, notAuthorized);
    }
  }

  function tokens(result: { IdToken?: string; AccessToken?: string; RefreshToken?: string } | undefined) {
    if (!result?.IdToken || !result.AccessToken) {
      // Only an MFA or new-password challenge answers without tokens; this pool sets neither.
      throw new AuthError('The sign-in service asked for a step this app does not support.', 'Unknown');
    }
    return { idToken: result.IdToken, accessToken: result.AccessToken, refreshToken: result.RefreshToken };
  }

  return {
    signUp: (email, password) =>
      call(async (abortSignal) => {
        const result = await client.send(
          new SignUpCommand({
            ClientId,
            Username: email,
            Password: password,
            UserAttributes: [{ Name: 'email', Value: email }],
          }),
          { abortSignal },
        );
        return {
          confirmed: result.UserConfirmed === true,
          destination: result.CodeDeliveryDetails?.Destination,
        };
      }, 'Sign-up is not allowed for this account.'),

    confirmSignUp: (email, code) =>
      call(async (abortSignal) => {
        await client.send(new ConfirmSignUpCommand({ ClientId, Username: email, ConfirmationCode: code }), {
          abortSignal,
        });
      }, 'This account cannot be confirmed.'),

    resendCode: (email) =>
      call(async (abortSignal) => {
        const result = await client.send(new ResendConfirmationCodeCommand({ ClientId, Username: email }), {
          abortSignal,
        });
        return { destination: result.CodeDeliveryDetails?.Destination };
      }, 'A code cannot be sent for this account.'),

    signIn: (email, password) =>
      call(async (abortSignal) => {
        const result = await client.send(
          new InitiateAuthCommand({
            ClientId,
            AuthFlow: 'USER_PASSWORD_AUTH',
            AuthParameters: { USERNAME: email, PASSWORD: password },
          }),
          { abortSignal },
        );
        return tokens(result.AuthenticationResult);
      }, 'Wrong e-mail address or password.'),

    refresh: (refreshToken) =>
      call(async (abortSignal) => {
        const result = await client.send(
          new InitiateAuthCommand({
            ClientId,
            AuthFlow: 'REFRESH_TOKEN_AUTH',
            AuthParameters: { REFRESH_TOKEN: refreshToken },
          }),
          { abortSignal },
        );
        return tokens(result.AuthenticationResult);
      }, 'Your session has expired. Sign in again.'),

    revoke: (refreshToken) =>
      call(async (abortSignal) => {
        await client.send(new RevokeTokenCommand({ ClientId, Token: refreshToken }), { abortSignal });
      }, 'The session could not be revoked.'),
  };
}
