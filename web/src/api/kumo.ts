/** The header the local cloud's `/_kumo/*` routes read this run's token from (local/guard). */
export const KUMO_TOKEN_HEADER = 'X-Kumo-Token';

/**
 * Headers for a call to a `/_kumo/*` route of the local cloud: JSON, and the run's token from
 * config.json in a header (never in the URL, where logs and the history would keep it).
 */
export function kumoHeaders(token: string | undefined): Record<string, string> {
  return { Accept: 'application/json', ...(token ? { [KUMO_TOKEN_HEADER]: token } : {}) };
}
