import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { type Faults, parseFaults } from './faults.js';

/** kumo.local.json: what differs when the template runs locally (like samconfig + `--env-vars`). */
export interface LocalConfig {
  parameterOverrides: Record<string, string>;
  /** Extra environment per function logical id, SAM `--env-vars` style. */
  envVars: Record<string, Record<string, string>>;
  /**
   * Parameters the local SSM holds from the start (written at every start; they are configuration).
   * A plain string is a SecureString — the section is for credentials such as the X bearer token.
   */
  ssmParameters: Record<string, SsmParameterSeed>;
  /** Settings of the local X API (`x` in kumo.local.json). */
  x: LocalXConfig;
  /** Settings of the local Cognito (`cognito` in kumo.local.json). */
  cognito: LocalCognitoConfig;
  /** The fault switch at start (`faults`: regions cut off from targets; local/faults.ts). */
  faults?: Faults;
  /** How the runner keeps execution environments (`functions` in kumo.local.json). */
  functions: LocalFunctionsConfig;
}

/** Minutes an idle execution environment (or the Rekognition models) lives without kumo.local.json. */
export const DEFAULT_IDLE_MINUTES = 5;

/** kumo.local.json `functions`: the execution environments of every function. */
export interface LocalFunctionsConfig {
  /**
   * Environments one function may run at once when the template sets no ReservedConcurrentExecutions
   * (default 10); further invocations wait for a free one.
   */
  concurrency?: number;
  /** Minutes an environment may stay idle before it is ended (default 5; fractions allowed). */
  idleMinutes?: number;
}

/** kumo.local.json `cognito`: the local user pools. */
export interface LocalCognitoConfig {
  /** Confirm every sign-up at once (no code to type), as a PreSignUp trigger with autoConfirmUser would. */
  autoConfirm: boolean;
}

/** One SSM parameter of kumo.local.json `ssmParameters`. */
export interface SsmParameterSeed {
  type: 'String' | 'StringList' | 'SecureString';
  value: string;
}

/** kumo.local.json `x`: the local X API. */
export interface LocalXConfig {
  /** Posts the generator adds per second while the local cloud runs (default 2; 0 = none). */
  postsPerSecond?: number;
  /** The SSM parameter whose value is the accepted bearer token (default `/kumo/local/x-bearer-token`). */
  bearerTokenParameter?: string;
  /** Seconds between `\r\n` keep-alives on the filtered stream (default 5). */
  heartbeatSeconds?: number;
}

/** The local URLs kumo.local.json may name as `${web}`, `${api}` and `${x}`. */
export const CONFIG_URL_KEYS = ['web', 'api', 'x'] as const;

/** What a running or starting local cloud knows of its URLs (`.kumo/endpoints.json` has the same keys). */
export type ConfigUrls = Partial<Record<(typeof CONFIG_URL_KEYS)[number], string>>;

/**
 * The URLs to fill kumo.local.json with, from a cloud's endpoints: `npm start` and `npm run invoke`
 * (against the running cloud or one of its own) both go through here, so they read the file alike.
 */
export function configUrls(endpoints: ConfigUrls): Record<string, string> {
  const urls: Record<string, string> = {};
  for (const key of CONFIG_URL_KEYS) {
    const url = endpoints[key];
    if (typeof url === 'string' && url !== '') urls[key] = url;
  }
  return urls;
}

/** The `${name}` placeholders left in a config's parameter overrides and function variables. */
export function unresolvedPlaceholders(config: LocalConfig): string[] {
  const values = [
    ...Object.values(config.parameterOverrides),
    ...Object.values(config.envVars).flatMap((vars) => Object.values(vars)),
  ];
  return [...new Set(values.flatMap((value) => [...value.matchAll(/\$\{(\w+)\}/g)].map((m) => m[0])))];
}

/** The file's name, in the project root. */
export const LOCAL_CONFIG_FILE = 'kumo.local.json';

/** The configuration of a project without kumo.local.json: no overrides, every default. */
export function emptyLocalConfig(): LocalConfig {
  return {
    parameterOverrides: {},
    envVars: {},
    ssmParameters: {},
    x: {},
    cognito: { autoConfirm: false },
    functions: {},
  };
}

/**
 * Reads kumo.local.json from the root (absent file = no overrides) and fills in the local URLs it names:
 * `${web}`, `${api}` and `${x}` (the local X API). The one reader of that file: `npm start` reads it
 * once and hands it to every service on its context (ServiceContext.config); `npm run invoke` reads it
 * with the URLs of the cloud it runs against.
 */
export async function readLocalConfig(rootDir: string, urls: Record<string, string>): Promise<LocalConfig> {
  const file = path.join(rootDir, LOCAL_CONFIG_FILE);
  let raw: unknown;
  try {
    raw = JSON.parse(await readFile(file, 'utf8'));
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return emptyLocalConfig();
    throw new Error(`${file}: ${(error as Error).message}`);
  }
  const fill = (text: string) => text.replace(/\$\{(\w+)\}/g, (whole, key: string) => urls[key] ?? whole);
  const config = (raw ?? {}) as {
    parameterOverrides?: Record<string, unknown>;
    envVars?: Record<string, unknown>;
    ssmParameters?: Record<string, unknown>;
    x?: Record<string, unknown>;
    cognito?: Record<string, unknown>;
    faults?: unknown;
    functions?: Record<string, unknown>;
  };
  const parameterOverrides: Record<string, string> = {};
  for (const [key, value] of Object.entries(config.parameterOverrides ?? {}))
    parameterOverrides[key] = fill(String(value));
  const envVars: Record<string, Record<string, string>> = {};
  for (const [fn, vars] of Object.entries(config.envVars ?? {})) {
    envVars[fn] = Object.fromEntries(
      Object.entries(vars as Record<string, unknown>).map(([k, v]) => [k, fill(String(v))]),
    );
  }
  const ssmParameters: Record<string, SsmParameterSeed> = {};
  for (const [name, value] of Object.entries(config.ssmParameters ?? {})) {
    if (typeof value === 'object' && value !== null) {
      const seed = value as { type?: unknown; value?: unknown };
      const type = seed.type === 'String' || seed.type === 'StringList' ? seed.type : 'SecureString';
      ssmParameters[name] = { type, value: fill(String(seed.value ?? '')) };
    } else {
      ssmParameters[name] = { type: 'SecureString', value: fill(String(value)) };
    }
  }
  const x = config.x ?? {};
  const number = (value: unknown) =>
    typeof value === 'number' && Number.isFinite(value) ? value : undefined;
  return {
    parameterOverrides,
    envVars,
    ssmParameters,
    x: {
      postsPerSecond: number(x.postsPerSecond),
      bearerTokenParameter: typeof x.bearerTokenParameter === 'string' ? x.bearerTokenParameter : undefined,
      heartbeatSeconds: number(x.heartbeatSeconds),
    },
    cognito: { autoConfirm: config.cognito?.autoConfirm === true },
    ...(config.faults === undefined ? {} : { faults: faultsOf(file, config.faults, fill) }),
    functions: functionsConfig(file, config.functions ?? {}),
  };
}

/** kumo.local.json's `faults`, its `${web}`-style URLs filled in. */
function faultsOf(file: string, value: unknown, fill: (text: string) => string): Faults {
  try {
    return parseFaults(JSON.parse(fill(JSON.stringify(value))));
  } catch (error) {
    throw new Error(`${file}: ${(error as Error).message}`);
  }
}

/** `functions`: a concurrency of at least 1 and a positive idle time, or an error naming the key. */
function functionsConfig(file: string, raw: Record<string, unknown>): LocalFunctionsConfig {
  const functions: LocalFunctionsConfig = {};
  const { concurrency, idleMinutes } = raw;
  if (concurrency !== undefined) {
    if (typeof concurrency !== 'number' || !Number.isInteger(concurrency) || concurrency < 1)
      throw new Error(`${file}: functions.concurrency must be a whole number of at least 1`);
    functions.concurrency = concurrency;
  }
  if (idleMinutes !== undefined) {
    if (typeof idleMinutes !== 'number' || !(idleMinutes > 0) || !Number.isFinite(idleMinutes))
      throw new Error(`${file}: functions.idleMinutes must be a positive number of minutes`);
    functions.idleMinutes = idleMinutes;
  }
  return functions;
}
