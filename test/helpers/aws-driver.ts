import { spawn } from 'node:child_process';
import { constants } from 'node:fs';
import { access, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';

/** The usual dummy credentials of the AWS documentation: what a user sets for a local endpoint. */
export const DUMMY_CREDENTIALS = {
  accessKeyId: 'AKIAIOSFODNN7EXAMPLE',
  secretAccessKey: 'wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY',
} as const;

/** A failed call, by the error code the CLI prints (`An error occurred (Code)`) or the SDK's error name. */
export class AwsCallError extends Error {
  override readonly name = 'AwsCallError';
  constructor(
    readonly code: string,
    message: string,
  ) {
    super(`${code}: ${message}`);
  }
}

/** One call as a user makes it with the AWS CLI, and the same operation with an SDK v3 client. */
export interface AwsCall<T> {
  /** The `endpoints.services` key of the local endpoint (`s3`, `sqs`, `cognito_identity_provider`...). */
  endpoint: string;
  /** The CLI's words after `aws`, without `--endpoint-url` (added from `endpoint`). */
  cli: string[];
  /** What the CLI printed, as the value the checks read (default: its JSON, `{}` when it printed none). */
  parse?: (stdout: string) => T | Promise<T>;
  /** Extra environment for this CLI call (another config file, other credentials). */
  cliEnv?: Record<string, string>;
  /** The same operation with the SDK, answering the same shape. */
  sdk: () => Promise<T>;
}

/** Runs AwsCalls with the AWS CLI when it is on PATH, else with the SDK v3 clients. */
export interface AwsDriver {
  kind: 'aws-cli' | 'sdk';
  /** Says which it is, for the test's title: `aws-cli/1.45.11 ...` or why the SDK stands in. */
  description: string;
  /** A folder for the CLI's config files and downloads, removed by close(). */
  workDir: string;
  run<T>(call: AwsCall<T>): Promise<T>;
  close(): Promise<void>;
}

/** The `aws` executable on PATH, if any. */
export async function findAwsCli(pathVariable = process.env.PATH ?? ''): Promise<string | undefined> {
  for (const dir of pathVariable.split(path.delimiter).filter(Boolean)) {
    const candidate = path.join(dir, 'aws');
    try {
      await access(candidate, constants.X_OK);
      return candidate;
    } catch {
      // not in this folder
    }
  }
  return undefined;
}

/** What will drive the calls on this machine: the `aws` on PATH, unless `KUMO_AWS_DRIVER=sdk` or none. */
export interface DriverChoice {
  aws?: string;
  description: string;
}

/** The AWS CLI (any version) when `aws` is on PATH and `KUMO_AWS_DRIVER` is not `sdk`, else the SDK. */
export async function chooseAwsDriver(): Promise<DriverChoice> {
  if (process.env.KUMO_AWS_DRIVER === 'sdk') {
    return { description: 'the AWS SDK v3 clients (KUMO_AWS_DRIVER=sdk)' };
  }
  const aws = await findAwsCli();
  if (!aws) return { description: 'the AWS SDK v3 clients (no aws on PATH)' };
  // A shim (pyenv, asdf) may be on PATH without a CLI behind it.
  const probe = await exec(aws, ['--version'], { ...process.env, AWS_PAGER: '' } as Record<
    string,
    string
  >).catch(() => undefined);
  const version = `${probe?.stdout ?? ''}${probe?.stderr ?? ''}`.trim().split(/\s+/)[0] ?? '';
  return probe?.code === 0 && version.startsWith('aws-cli/')
    ? { aws, description: `the AWS CLI (${version} at ${aws})` }
    : { description: `the AWS SDK v3 clients (${aws} does not run: ${version || 'no output'})` };
}

/**
 * The driver: the CLI runs with the dummy credentials, the local cloud's region and empty config and
 * credentials files, so the user's own profile never leaks in.
 */
export async function createAwsDriver(
  choice: DriverChoice,
  endpoints: Readonly<Record<string, string>>,
  region: string,
): Promise<AwsDriver> {
  const workDir = await mkdtemp(path.join(tmpdir(), 'kumo-aws-cli-'));
  const close = () => rm(workDir, { recursive: true, force: true });
  const endpointOf = (key: string) => {
    const url = endpoints[key];
    if (!url) throw new Error(`the local cloud reports no ${key} endpoint`);
    return url;
  };
  const aws = choice.aws;
  if (!aws) {
    return {
      kind: 'sdk',
      description: choice.description,
      workDir,
      run: async (call) => {
        try {
          return withoutMetadata(await call.sdk());
        } catch (error) {
          if (error instanceof AwsCallError) throw error;
          const e = error as { name?: string; Code?: string; message?: string };
          throw new AwsCallError(e.Code ?? e.name ?? 'Error', e.message ?? String(error));
        }
      },
      close,
    };
  }
  const emptyFile = path.join(workDir, 'empty');
  await writeFile(emptyFile, '');
  const env: Record<string, string> = {};
  for (const [key, value] of Object.entries(process.env)) {
    if (value !== undefined && !/^AWS_/.test(key)) env[key] = value;
  }
  Object.assign(env, {
    AWS_ACCESS_KEY_ID: DUMMY_CREDENTIALS.accessKeyId,
    AWS_SECRET_ACCESS_KEY: DUMMY_CREDENTIALS.secretAccessKey,
    AWS_DEFAULT_REGION: region,
    AWS_CONFIG_FILE: emptyFile,
    AWS_SHARED_CREDENTIALS_FILE: emptyFile,
    AWS_PAGER: '',
  });
  return {
    kind: 'aws-cli',
    description: choice.description,
    workDir,
    run: async <T>(call: AwsCall<T>): Promise<T> => {
      const args = [...call.cli, '--endpoint-url', endpointOf(call.endpoint), '--output', 'json'];
      const { code, stdout, stderr } = await exec(aws, args, { ...env, ...call.cliEnv });
      if (code !== 0) {
        const failure = /An error occurred \(([^)]+)\)[^:]*: (.*)/s.exec(stderr);
        throw new AwsCallError(failure?.[1] ?? `exit ${code}`, (failure?.[2] ?? stderr).trim());
      }
      if (call.parse) return call.parse(stdout);
      return (stdout.trim() ? JSON.parse(stdout) : {}) as T;
    },
    close,
  };
}

/** An SDK output without its `$metadata` (request id, attempts): the CLI prints no such member. */
function withoutMetadata<T>(output: T): T {
  if (typeof output !== 'object' || output === null || !('$metadata' in output)) return output;
  const { $metadata: _, ...rest } = output as Record<string, unknown>;
  return rest as T;
}

function exec(
  file: string,
  args: string[],
  env: Record<string, string>,
): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(file, args, { env, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (chunk: string) => {
      stdout += chunk;
    });
    child.stderr.setEncoding('utf8').on('data', (chunk: string) => {
      stderr += chunk;
    });
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, stdout, stderr }));
  });
}
