/**
 * Deploys probe-region.yaml into each probe region of a deployed home stack (its ProbeRegions
 * parameter, or --regions). See docs/health.md, Several regions.
 *
 *   npm run deploy:probes -- --stage dev                  # samconfig.toml [dev]'s stack and region
 *   npm run deploy:probes -- --stack kumo-prod --region us-east-1 --regions eu-west-1,ap-south-1
 *   npm run deploy:probes -- --stage dev --dry-run        # print the commands only
 */
import { spawn } from 'node:child_process';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { CloudFormationClient, DescribeStacksCommand } from '@aws-sdk/client-cloudformation';
import {
  homeStackOf,
  parseDeployProbesArgs,
  parseRegionList,
  planProbeDeploy,
} from './deploy-probes-plan.js';
import { UsageError } from './deploy-web-plan.js';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');

const HELP = `Usage: npm run deploy:probes -- (--stage <name> | --stack <name>) [options]

Builds probe-region.yaml and deploys it into each probe region of the home stack, so the home
CheckSitesFunction can ask those regions to check every HTTP(S) monitor (ProbeRegions, ProbeQuorum).

  --stage <name>     samconfig.toml environment (dev, prod): its stack_name and region
  --stack <name>     the home stack, by name
  --region <name>    the home stack's region (default: samconfig.toml's, else AWS_REGION)
  --regions <list>   probe regions (default: the home stack's ProbeRegions parameter)
  --dry-run          print the commands, run nothing
  --help             this text
`;

function run(command: string[]): Promise<number> {
  return new Promise((resolve, reject) => {
    const child = spawn(command[0] as string, command.slice(1), { cwd: ROOT, stdio: 'inherit' });
    child.on('error', reject);
    child.on('close', (code) => resolve(code ?? 1));
  });
}

async function stackProbeRegions(stackName: string, region: string): Promise<string[]> {
  const client = new CloudFormationClient({ region });
  const { Stacks } = await client.send(new DescribeStacksCommand({ StackName: stackName }));
  const parameter = Stacks?.[0]?.Parameters?.find((p) => p.ParameterKey === 'ProbeRegions');
  return parseRegionList(parameter?.ParameterValue ?? '');
}

async function main(argv: string[]): Promise<number> {
  const options = parseDeployProbesArgs(argv);
  if (options.help) {
    process.stdout.write(HELP);
    return 0;
  }
  const home = homeStackOf(options, await readFile(path.join(ROOT, 'samconfig.toml'), 'utf8'), process.env);
  const regions = options.regions ?? (await stackProbeRegions(home.stackName, home.region));
  const commands = planProbeDeploy(home, regions);
  if (commands.length === 0) {
    process.stdout.write(`deploy-probes: ${home.stackName} has no probe region other than ${home.region}\n`);
    return 0;
  }
  for (const command of commands) {
    process.stdout.write(`deploy-probes: ${command.join(' ')}\n`);
    if (options.dryRun) continue;
    const code = await run(command);
    if (code !== 0) return code;
  }
  return 0;
}

main(process.argv.slice(2)).then(
  (code) => process.exit(code),
  (error: Error) => {
    process.stderr.write(`deploy-probes: ${error.message}\n`);
    process.exit(error instanceof UsageError ? 2 : 1);
  },
);
