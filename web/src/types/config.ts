/** What `/config.json` holds: written by the local cloud, or from the stack outputs in AWS. */
export interface AppConfig {
  /** Base URL of the REST API, without a trailing slash. */
  apiUrl: string;
  region: string;
  stage: string;
}
