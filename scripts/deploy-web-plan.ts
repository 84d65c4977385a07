/**
 * What `npm run deploy:web` does, decided without AWS: which stack a stage means (samconfig.toml), the
 * web app's config.json from that stack's outputs, and the uploads in their order with their headers.
 *
 * The order is what keeps a visitor from ever loading a page that cannot start: the hashed assets go up
 * first (nothing names them yet), then the other files, then index.html (which names the new assets),
 * and config.json last. Hashed assets are immutable for a year; everything else is `no-cache`, so a
 * browser revalidates it on every visit and the next publish shows at once.
 */

/** Options of the command line, parsed. */
export interface DeployWebOptions {
  /** samconfig.toml environment (dev, prod): gives the stack name and region. */
  stage?: string;
  /** Stack name, instead of a stage. */
  stack?: string;
  region?: string;
  /** An already built web app (the pipeline's build output); without it web/dist, built if missing. */
  dist?: string;
  /** Build web/dist even when it exists. */
  build: boolean;
  /** Print the plan, upload nothing. */
  dryRun: boolean;
  help: boolean;
}

/** A command line the script refuses (exit code 2), with the one line that says why. */
export class UsageError extends Error {
  override readonly name = 'UsageError';
}

const STAGE_PATTERN = /^[a-z][a-z0-9-]{1,15}$/;
const STACK_PATTERN = /^[A-Za-z][A-Za-z0-9-]{0,127}$/;

/** Parses `--stage dev`, `--stack kumo-dev`, `--region`, `--dist`, `--build`, `--dry-run`, `--help`. */
export function parseDeployWebArgs(argv: readonly string[]): DeployWebOptions {
  const options: DeployWebOptions = { build: false, dryRun: false, help: false };
  for (let i = 0; i < argv.length; i += 1) {
    const arg = argv[i] as string;
    const [name, inline] = arg.startsWith('--') && arg.includes('=') ? arg.split(/=(.*)/s) : [arg, undefined];
    const value = () => {
      const next = inline ?? argv[i + 1];
      if (next === undefined || next === '' || (inline === undefined && next.startsWith('--'))) {
        throw new UsageError(`${name} needs a value`);
      }
      if (inline === undefined) i += 1;
      return next;
    };
    switch (name) {
      case '--stage':
        options.stage = value();
        if (!STAGE_PATTERN.test(options.stage))
          throw new UsageError(`--stage: not a stage name: ${options.stage}`);
        break;
      case '--stack':
        options.stack = value();
        if (!STACK_PATTERN.test(options.stack))
          throw new UsageError(`--stack: not a stack name: ${options.stack}`);
        break;
      case '--region':
        options.region = value();
        if (!/^[a-z]{2}(-[a-z]+)+-\d$/.test(options.region)) {
          throw new UsageError(`--region: not a region: ${options.region}`);
        }
        break;
      case '--dist':
        options.dist = value();
        break;
      case '--build':
        options.build = true;
        break;
      case '--dry-run':
        options.dryRun = true;
        break;
      case '--help':
      case '-h':
        options.help = true;
        break;
      default:
        throw new UsageError(`unknown option ${arg} (see --help)`);
    }
  }
  if (options.help) return options;
  if (options.stage === undefined && options.stack === undefined) {
    throw new UsageError('give --stage <dev|prod> (samconfig.toml) or --stack <name>');
  }
  if (options.stage !== undefined && options.stack !== undefined) {
    throw new UsageError('give --stage or --stack, not both');
  }
  if (options.dist !== undefined && options.build)
    throw new UsageError('--dist is already built: drop --build');
  return options;
}

/** The stack name and region samconfig.toml gives an environment (`[<stage>.global.parameters]`). */
export function stackOfStage(samconfig: string, stage: string): { stackName: string; region?: string } {
  const section = `[${stage}.global.parameters]`;
  const lines = samconfig.split(/\r?\n/);
  const start = lines.findIndex((line) => line.trim() === section);
  if (start === -1) throw new UsageError(`samconfig.toml has no ${section}: use --stack`);
  const values: Record<string, string> = {};
  for (const line of lines.slice(start + 1)) {
    if (line.trim().startsWith('[')) break;
    const match = /^\s*([a-z_]+)\s*=\s*"([^"]*)"\s*(#.*)?$/.exec(line);
    if (match) values[match[1] as string] = match[2] as string;
  }
  if (!values.stack_name) throw new UsageError(`samconfig.toml ${section} has no stack_name: use --stack`);
  return { stackName: values.stack_name, ...(values.region ? { region: values.region } : {}) };
}

/** What the web app reads at start (web/src/composables/useConfig.ts). */
export interface SiteConfig {
  apiUrl: string;
  region: string;
  stage: string;
  userPoolId: string;
  userPoolClientId: string;
}

/** Where a stack's web app lives and what it is told. */
export interface SiteTarget {
  bucket: string;
  distributionId: string;
  siteUrl: string;
  config: SiteConfig;
}

/** The outputs a publish needs, by name; a stack without them predates the site (deploy it first). */
export const REQUIRED_OUTPUTS = [
  'ApiUrl',
  'UserPoolId',
  'UserPoolClientId',
  'SiteUrl',
  'SiteBucketName',
  'SiteDistributionId',
] as const;

/**
 * The publish target from a stack's outputs and parameters (DescribeStacks); the region is the stack
 * ARN's. Throws naming every missing output.
 */
export function siteTargetOf(stack: {
  StackId?: string;
  StackName?: string;
  Outputs?: { OutputKey?: string; OutputValue?: string }[];
  Parameters?: { ParameterKey?: string; ParameterValue?: string }[];
}): SiteTarget {
  const outputs = new Map((stack.Outputs ?? []).map((o) => [o.OutputKey ?? '', o.OutputValue ?? '']));
  const missing = REQUIRED_OUTPUTS.filter((key) => !outputs.get(key));
  if (missing.length > 0) {
    throw new Error(
      `stack ${stack.StackName ?? '?'} has no output ${missing.join(', ')}: deploy template.yaml (sam deploy) first`,
    );
  }
  const region = stack.StackId?.split(':')[3];
  if (!region) throw new Error(`stack ${stack.StackName ?? '?'}: no region in its id ${stack.StackId ?? ''}`);
  const stage = stack.Parameters?.find((p) => p.ParameterKey === 'Stage')?.ParameterValue;
  if (!stage) throw new Error(`stack ${stack.StackName ?? '?'} has no Stage parameter`);
  const output = (key: (typeof REQUIRED_OUTPUTS)[number]) => outputs.get(key) as string;
  return {
    bucket: output('SiteBucketName'),
    distributionId: output('SiteDistributionId'),
    siteUrl: output('SiteUrl'),
    config: {
      apiUrl: output('ApiUrl'),
      region,
      stage,
      userPoolId: output('UserPoolId'),
      userPoolClientId: output('UserPoolClientId'),
    },
  };
}

/** Cache-Control of the content-hashed files Vite writes under assets/: a new build has new names. */
export const IMMUTABLE = 'public, max-age=31536000, immutable';
/** Cache-Control of everything else: stored, but revalidated (ETag) before each use. */
export const REVALIDATE = 'no-cache';

const CONTENT_TYPES: Record<string, string> = {
  html: 'text/html; charset=utf-8',
  js: 'text/javascript; charset=utf-8',
  mjs: 'text/javascript; charset=utf-8',
  css: 'text/css; charset=utf-8',
  json: 'application/json',
  map: 'application/json',
  svg: 'image/svg+xml',
  png: 'image/png',
  jpg: 'image/jpeg',
  jpeg: 'image/jpeg',
  gif: 'image/gif',
  webp: 'image/webp',
  ico: 'image/x-icon',
  txt: 'text/plain; charset=utf-8',
  webmanifest: 'application/manifest+json',
  woff: 'font/woff',
  woff2: 'font/woff2',
  wasm: 'application/wasm',
};

/** The Content-Type S3 will serve a file with (by extension). */
export function contentTypeOf(key: string): string {
  const extension = /\.([A-Za-z0-9]+)$/.exec(key)?.[1]?.toLowerCase() ?? '';
  return CONTENT_TYPES[extension] ?? 'application/octet-stream';
}

/** One object to put, in plan order. */
export interface PlannedUpload {
  key: string;
  /** Path under the dist folder; absent for config.json, which is written from the outputs. */
  file?: string;
  body?: string;
  contentType: string;
  cacheControl: string;
  /** Uploads of one step may run in parallel; steps run one after another. */
  step: 'assets' | 'files' | 'index' | 'config';
}

export interface PublishPlan {
  uploads: PlannedUpload[];
  /** Paths CloudFront forgets (the hashed assets never need it). */
  invalidationPaths: string[];
}

const STEPS: PlannedUpload['step'][] = ['assets', 'files', 'index', 'config'];

/**
 * The uploads for a built web app (`files`: paths relative to dist, `/`-separated) and its config.json.
 * A config.json in dist (a developer's) is left out: the stack's outputs write it.
 */
export function planPublish(files: readonly string[], config: SiteConfig): PublishPlan {
  const keys = files.map((file) => file.split('\\').join('/').replace(/^\/+/, ''));
  if (!keys.includes('index.html')) throw new Error('the built web app has no index.html: is it built?');
  const uploads: PlannedUpload[] = [];
  for (const key of [...keys].sort()) {
    if (key === 'config.json') continue;
    const step: PlannedUpload['step'] =
      key === 'index.html' ? 'index' : key.startsWith('assets/') ? 'assets' : 'files';
    uploads.push({
      key,
      file: key,
      contentType: contentTypeOf(key),
      cacheControl: step === 'assets' ? IMMUTABLE : REVALIDATE,
      step,
    });
  }
  uploads.push({
    key: 'config.json',
    body: `${JSON.stringify(config, null, 2)}\n`,
    contentType: 'application/json',
    cacheControl: REVALIDATE,
    step: 'config',
  });
  uploads.sort((a, b) => STEPS.indexOf(a.step) - STEPS.indexOf(b.step));
  const invalidationPaths = [
    '/',
    ...uploads.filter((upload) => upload.step !== 'assets').map((upload) => `/${upload.key}`),
  ];
  return { uploads, invalidationPaths };
}
