/** What went wrong, in words a person can act on; `code` is Cognito's exception name, or ours. */
export type AuthErrorCode =
  | 'UsernameExists'
  | 'InvalidPassword'
  | 'InvalidParameter'
  | 'CodeMismatch'
  | 'ExpiredCode'
  | 'NotAuthorized'
  | 'AlreadyConfirmed'
  | 'UserNotConfirmed'
  | 'UserNotFound'
  | 'TooManyAttempts'
  | 'NetworkError'
  | 'Timeout'
  | 'Unavailable'
  | 'Unknown';

/** A failed sign-up, confirmation, sign-in or refresh, with a message fit to show. */
export class AuthError extends Error {
  override readonly name = 'AuthError';

  constructor(
    message: string,
    readonly code: AuthErrorCode,
    options?: ErrorOptions,
  ) {
    super(message, options);
  }
}
