/** What `/config.json` holds: written by the local cloud, or from the stack outputs in AWS. */
export interface AppConfig {
  /** Base URL of the REST API, without a trailing slash. */
  apiUrl: string;
  region: string;
  stage: string;
  /** True when the local cloud (`npm start`) serves the app: nothing is e-mailed, codes are logged. */
  local: boolean;
  /**
   * The local cloud's per-run token, sent as `X-Kumo-Token` on its `/_kumo/*` routes (traces, Cognito's
   * codes); undefined in AWS.
   */
  kumoToken?: string;
  /** The Cognito user pool; undefined when config.json names none (sign-in is then unavailable). */
  auth?: AuthConfig;
}

export interface AuthConfig {
  region: string;
  userPoolId: string;
  userPoolClientId: string;
  /** The local Cognito's URL; undefined in AWS, where the SDK finds the regional endpoint itself. */
  endpoint?: string;
}
