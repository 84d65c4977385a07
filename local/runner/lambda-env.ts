import { randomBytes } from 'node:crypto';
import type { FunctionModel } from '../template/types.js';

/** Dummy credentials: the emulators accept anything, and a real account is never reached by accident. */
export const LOCAL_CREDENTIALS = {
  AWS_ACCESS_KEY_ID: 'AKIAKUMOLOCAL0000000',
  AWS_SECRET_ACCESS_KEY: 'kumo-local-secret-access-key',
  AWS_SESSION_TOKEN: 'kumo-local-session-token',
} as const;

export interface LambdaEnvironmentInput {
  fn: FunctionModel;
  region: string;
  /** The folder holding the bundle: LAMBDA_TASK_ROOT and the process's working directory. */
  taskRoot: string;
  logStreamName: string;
  /** Local service endpoints by lower-case key (`dynamodb`, `cognito_identity_provider`...). */
  endpoints: Readonly<Record<string, string>>;
  /** Per-function variables from kumo.local.json (`envVars`), then the caller's: both win over the rest. */
  overrides?: readonly (Readonly<Record<string, string>> | undefined)[];
  /** The parent's PATH, the one variable a Lambda environment shares with the host. */
  hostPath?: string;
  /**
   * Folders searched for modules the bundle leaves external, as Lambda's NODE_PATH searches
   * /opt/nodejs/node_modules for layers; locally the layers' packages come from the project's node_modules.
   */
  layerModulePaths?: string[];
  /**
   * `host:port` of the local X-Ray daemon, for a function with `Tracing: Active` when the local cloud
   * records traces: the function then traces as on Lambda (no `AWS_SAM_LOCAL`, which turns Powertools
   * Tracer off) and sends its segments there. Absent: `AWS_SAM_LOCAL=true`, tracing off, as `sam local`.
   */
  xrayDaemonAddress?: string;
}

/** `2025/01/31/[$LATEST]<32 hex>`: a new stream per execution environment, as on Lambda. */
export function logStreamName(now = new Date()): string {
  const day = now.toISOString().slice(0, 10).replaceAll('-', '/');
  return `${day}/[$LATEST]${randomBytes(16).toString('hex')}`;
}

/** `cognito_identity_provider` → `AWS_ENDPOINT_URL_COGNITO_IDENTITY_PROVIDER`. */
export function endpointVariable(key: string): string {
  return `AWS_ENDPOINT_URL_${key.toUpperCase().replace(/[^A-Z0-9]/g, '_')}`;
}

/**
 * The environment of a function process, built from scratch as Lambda's is (nothing of the parent's
 * process.env but PATH): the template's variables, then the runtime's reserved ones (they win, as
 * Lambda does not let a template set them), the local endpoints and dummy credentials, then overrides.
 */
export function lambdaEnvironment(input: LambdaEnvironmentInput): Record<string, string> {
  const { fn, region } = input;
  const env: Record<string, string> = {
    PATH: input.hostPath ?? '/usr/local/bin:/usr/bin:/bin',
    ...(input.layerModulePaths?.length ? { NODE_PATH: input.layerModulePaths.join(':') } : {}),
    LANG: 'en_US.UTF-8',
    TZ: ':UTC',
    // Lambda runs nodejs22.x; the SDK's notice about an older local Node would only fill every log.
    AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true',
    AWS_XRAY_CONTEXT_MISSING: 'IGNORE_ERROR',
    ...fn.environment,
    AWS_REGION: fn.region ?? region,
    AWS_DEFAULT_REGION: fn.region ?? region,
    ...LOCAL_CREDENTIALS,
    AWS_EXECUTION_ENV: `AWS_Lambda_${fn.runtime || 'nodejs22.x'}`,
    ...(input.xrayDaemonAddress === undefined
      ? // What `sam local` sets: Powertools Tracer turns itself off instead of looking for an X-Ray daemon.
        { AWS_SAM_LOCAL: 'true' }
      : // What Lambda sets with active tracing: aws-xray-sdk-core sends each subsegment here (UDP).
        { AWS_XRAY_DAEMON_ADDRESS: input.xrayDaemonAddress }),
    AWS_LAMBDA_FUNCTION_NAME: fn.name,
    AWS_LAMBDA_FUNCTION_VERSION: '$LATEST',
    AWS_LAMBDA_FUNCTION_MEMORY_SIZE: String(fn.memoryMb),
    AWS_LAMBDA_INITIALIZATION_TYPE: 'on-demand',
    AWS_LAMBDA_LOG_GROUP_NAME: `/aws/lambda/${fn.name}`,
    AWS_LAMBDA_LOG_STREAM_NAME: input.logStreamName,
    LAMBDA_TASK_ROOT: input.taskRoot,
    _HANDLER: fn.handler,
  };
  for (const [key, url] of Object.entries(input.endpoints)) env[endpointVariable(key)] = url;
  for (const extra of input.overrides ?? []) Object.assign(env, extra);
  return env;
}

/** Node flags of Lambda's Node.js bootstrap: heap sized from the function's memory, as on Lambda. */
export function lambdaNodeFlags(memoryMb: number): string[] {
  const newSpace = Math.floor(memoryMb / 10);
  return [
    '--expose-gc',
    '--max-http-header-size=81920',
    `--max-semi-space-size=${Math.max(1, Math.floor(newSpace / 2))}`,
    `--max-old-space-size=${memoryMb - newSpace}`,
  ];
}
