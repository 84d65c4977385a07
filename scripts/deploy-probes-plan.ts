/**
 * The plan of `npm run deploy:probes`: which stack, which regions, and the SAM commands that build
 * probe-region.yaml once and deploy it into each probe region. Pure, so tests check it without AWS.
 */
import { stackOfStage, UsageError } from './deploy-web-plan.js';

export interface DeployProbesOptions {
  stage?: string;
  stack?: string;
  region?: string;
  /** Probe regions given on the command line instead of the home stack's ProbeRegions parameter. */
  regions?: string[];
  dryRun: boolean;
  help: boolean;
}

const REGION = /^[a-z]{2}(-[a-z]+)+-\d$/;

/** Parse the command line. @throws UsageError naming the problem */
export function parseDeployProbesArgs(argv: readonly string[]): DeployProbesOptions {
  const options: DeployProbesOptions = { dryRun: false, help: false };
  for (let index = 0; index < argv.length; index += 1) {
    const arg = argv[index] as string;
    const value = (): string => {
      const next = argv[index + 1];
      if (next === undefined || next.startsWith('--')) throw new UsageError(`${arg} needs a value`);
      index += 1;
      return next;
    };
    if (arg === '--stage') options.stage = value();
    else if (arg === '--stack') options.stack = value();
    else if (arg === '--region') options.region = value();
    else if (arg === '--regions') options.regions = parseRegionList(value());
    else if (arg === '--dry-run') options.dryRun = true;
    else if (arg === '--help' || arg === '-h') options.help = true;
    else throw new UsageError(`unknown option ${arg} (see --help)`);
  }
  if (!options.help && (options.stage === undefined) === (options.stack === undefined)) {
    throw new UsageError('give one of --stage <name> or --stack <name>');
  }
  return options;
}

/** `eu-west-1, ap-south-1` → the regions, each checked. @throws UsageError naming an invalid one */
export function parseRegionList(text: string): string[] {
  const regions = text
    .split(',')
    .map((region) => region.trim())
    .filter((region) => region !== '');
  const invalid = regions.filter((region) => !REGION.test(region));
  if (invalid.length > 0) throw new UsageError(`not a region: ${invalid.join(', ')}`);
  return [...new Set(regions)];
}

/** The home stack and its region from the options and samconfig.toml. */
export function homeStackOf(
  options: DeployProbesOptions,
  samconfig: string,
  env: Readonly<Record<string, string | undefined>>,
): { stackName: string; region: string } {
  const fromStage = options.stage === undefined ? undefined : stackOfStage(samconfig, options.stage);
  const stackName = options.stack ?? fromStage?.stackName;
  const region = options.region ?? fromStage?.region ?? env.AWS_REGION ?? env.AWS_DEFAULT_REGION;
  if (stackName === undefined) throw new UsageError('no stack name');
  if (region === undefined) throw new UsageError('no region: give --region or set AWS_REGION');
  return { stackName, region };
}

/** The build directory of the probe template, apart from the home template's .aws-sam/build. */
export const PROBE_BUILD_DIR = '.aws-sam/probe';

/** The commands: build once, then deploy the probe stack `<home>-probe-region` into each region. */
export function planProbeDeploy(
  home: { stackName: string; region: string },
  regions: readonly string[],
): string[][] {
  const probeRegions = regions.filter((region) => region !== home.region);
  if (probeRegions.length === 0) return [];
  return [
    ['sam', 'build', '--template', 'probe-region.yaml', '--build-dir', PROBE_BUILD_DIR],
    ...probeRegions.map((region) => [
      'sam',
      'deploy',
      '--template',
      `${PROBE_BUILD_DIR}/template.yaml`,
      '--stack-name',
      `${home.stackName}-probe-region`,
      '--region',
      region,
      '--resolve-s3',
      '--capabilities',
      'CAPABILITY_IAM',
      '--no-fail-on-empty-changeset',
      '--parameter-overrides',
      `HomeStackName=${home.stackName}`,
    ]),
  ];
}
