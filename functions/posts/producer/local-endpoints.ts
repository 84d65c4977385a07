/**
 * Where the command-line tools find the AWS services and the X API: flags and the environment first,
 * then the running local cloud's `.kumo/endpoints.json` (written by `npm start`, read by
 * local/endpoints-file.ts).
 */
export interface LocalEndpoints {
  /** `AWS_ENDPOINT_URL_<KEY>` suffixes in lower case → URL. */
  services: Record<string, string>;
  /** The local X API, when the local cloud serves one. */
  x?: string;
  api?: string;
}

/**
 * Point the SDK at the local cloud: `AWS_ENDPOINT_URL_<KEY>` for each service not already set, dummy
 * credentials and a region when none are configured (the local emulators accept any).
 */
export function useLocalEndpoints(endpoints: LocalEndpoints, env: NodeJS.ProcessEnv = process.env): void {
  for (const [key, url] of Object.entries(endpoints.services)) {
    const name = `AWS_ENDPOINT_URL_${key.toUpperCase()}`;
    env[name] ??= url;
  }
  env.AWS_REGION ??= 'us-east-1';
  if (!env.AWS_ACCESS_KEY_ID && !env.AWS_PROFILE) {
    env.AWS_ACCESS_KEY_ID = 'local';
    env.AWS_SECRET_ACCESS_KEY = 'local';
  }
}

/** The local physical name of a template resource (the template reader's `<stack>-<LogicalId>`). */
export function localResourceName(logicalId: string, stackName = 'kumo-local'): string {
  return `${stackName}-${logicalId}`;
}
