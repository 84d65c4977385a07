/**
 * Publishes the web app to a deployed stack's site: reads the stack's outputs, builds web/dist if it is
 * missing, uploads it (hashed assets first, then index.html, then config.json written from the
 * outputs) and invalidates CloudFront. See docs/deployment.md.
 *
 *   npm run deploy:web -- --stage dev              # the stack samconfig.toml [dev] names
 *   npm run deploy:web -- --stack kumo-prod        # a stack by name
 *   npm run deploy:web -- --stage dev --dry-run    # print the plan, upload nothing
 *   npm run deploy:web -- --stack kumo-dev --dist path/to/dist   # an already built app (the pipeline)
 */
import { spawn } from 'node:child_process';
import { access, readFile } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseDeployWebArgs, planPublish, stackOfStage, UsageError } from './deploy-web-plan.js';
import { listFiles, publishClients, publishSite, readSiteTarget } from './deploy-web-publish.js';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');

const HELP = `Usage: npm run deploy:web -- (--stage <name> | --stack <name>) [options]

Uploads the built web app to the stack's site bucket and invalidates its CloudFront distribution.

  --stage <name>   samconfig.toml environment (dev, prod): its stack_name and region
  --stack <name>   the stack, by name
  --region <name>  the stack's region (default: samconfig.toml's, else AWS_REGION)
  --dist <dir>     an already built web app (default: web/dist, built when missing)
  --build          rebuild web/dist first
  --dry-run        print what would be uploaded, upload nothing
  --help           this text
`;

function run(command: string, args: string[]): Promise<number> {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { cwd: ROOT, stdio: 'inherit' });
    child.on('error', reject);
    child.on('close', (code) => resolve(code ?? 1));
  });
}

async function exists(file: string): Promise<boolean> {
  return access(file).then(
    () => true,
    () => false,
  );
}

async function main(argv: string[]): Promise<number> {
  const options = parseDeployWebArgs(argv);
  if (options.help) {
    process.stdout.write(HELP);
    return 0;
  }
  const fromStage = options.stage
    ? stackOfStage(await readFile(path.join(ROOT, 'samconfig.toml'), 'utf8'), options.stage)
    : undefined;
  const stackName = options.stack ?? (fromStage?.stackName as string);
  const region =
    options.region ?? fromStage?.region ?? process.env.AWS_REGION ?? process.env.AWS_DEFAULT_REGION;
  if (!region) throw new UsageError('no region: give --region or set AWS_REGION');

  const dist = path.resolve(options.dist ?? path.join(ROOT, 'web/dist'));
  if (options.dist === undefined && (options.build || !(await exists(path.join(dist, 'index.html'))))) {
    process.stdout.write('deploy-web: building the web app (npm run build --workspace web)\n');
    if ((await run('npm', ['run', 'build', '--workspace', 'web'])) !== 0) {
      process.stderr.write('deploy-web: the web app did not build\n');
      return 1;
    }
  }

  const clients = publishClients(region);
  const target = await readSiteTarget(clients.cloudformation, stackName);
  process.stdout.write(`deploy-web: ${stackName} (${region}) -> s3://${target.bucket}, ${target.siteUrl}\n`);
  if (options.dryRun) {
    const plan = planPublish(await listFiles(dist), target.config);
    for (const upload of plan.uploads) {
      process.stdout.write(`${upload.step.padEnd(7)} ${upload.key}  (${upload.cacheControl})\n`);
    }
    process.stdout.write(`invalidate ${plan.invalidationPaths.join(' ')}\n`);
    return 0;
  }
  let done = 0;
  const result = await publishSite(clients, target, dist, {
    onUpload: (upload) => {
      done += 1;
      if (upload.step !== 'assets') process.stdout.write(`deploy-web: put ${upload.key}\n`);
    },
  });
  process.stdout.write(
    `deploy-web: ${done} files uploaded; invalidation ${result.invalidationId ?? '(no id)'} of ` +
      `${result.plan.invalidationPaths.length} paths; the site: ${target.siteUrl}\n`,
  );
  return 0;
}

main(process.argv.slice(2)).then(
  (code) => process.exit(code),
  (error: Error) => {
    if (error instanceof UsageError) {
      process.stderr.write(`deploy-web: ${error.message}\n`);
      process.exit(2);
    }
    process.stderr.write(`deploy-web: ${error.message}\n`);
    process.exit(1);
  },
);
