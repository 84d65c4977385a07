import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { CloudFormationClient, DescribeStacksCommand } from '@aws-sdk/client-cloudformation';
import { CloudFrontClient, CreateInvalidationCommand } from '@aws-sdk/client-cloudfront';
import { PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { mockClient } from 'aws-sdk-client-mock';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import {
  contentTypeOf,
  IMMUTABLE,
  parseDeployWebArgs,
  planPublish,
  REVALIDATE,
  type SiteConfig,
  siteTargetOf,
  stackOfStage,
  UsageError,
} from '../../../scripts/deploy-web-plan.js';
import { listFiles, publishSite, readSiteTarget } from '../../../scripts/deploy-web-publish.js';

const config: SiteConfig = {
  apiUrl: 'https://abc123.execute-api.eu-west-1.amazonaws.com/dev',
  region: 'eu-west-1',
  stage: 'dev',
  userPoolId: 'eu-west-1_AbCdEf',
  userPoolClientId: 'client123',
};

/** DescribeStacks' answer for a deployed kumo-dev stack. */
const stack = {
  StackName: 'kumo-dev',
  StackId: 'arn:aws:cloudformation:eu-west-1:123456789012:stack/kumo-dev/1a2b',
  StackStatus: 'UPDATE_COMPLETE' as const,
  CreationTime: new Date(0),
  Parameters: [{ ParameterKey: 'Stage', ParameterValue: 'dev' }],
  Outputs: [
    { OutputKey: 'ApiUrl', OutputValue: config.apiUrl },
    { OutputKey: 'UserPoolId', OutputValue: config.userPoolId },
    { OutputKey: 'UserPoolClientId', OutputValue: config.userPoolClientId },
    { OutputKey: 'SiteUrl', OutputValue: 'https://d111111abcdef8.cloudfront.net' },
    { OutputKey: 'SiteBucketName', OutputValue: 'kumo-dev-site-123456789012-eu-west-1' },
    { OutputKey: 'SiteDistributionId', OutputValue: 'E2EXAMPLE' },
  ],
};

/** A web/dist as Vite writes it (plus a developer's config.json that must not be published). */
const DIST_FILES = [
  'index.html',
  'favicon.svg',
  'config.json',
  'assets/index-3f2a1b9c.js',
  'assets/index-77aa00ff.css',
  'assets/PhotosView-12ab34cd.js',
];

describe('Function: planPublish()', () => {
  const plan = planPublish(DIST_FILES, config);

  it('puts hashed assets first, then the other files, then index.html, and config.json last', () => {
    expect(plan.uploads.map((u) => u.key)).toEqual([
      'assets/PhotosView-12ab34cd.js',
      'assets/index-3f2a1b9c.js',
      'assets/index-77aa00ff.css',
      'favicon.svg',
      'index.html',
      'config.json',
    ]);
  });

  it('caches hashed assets for a year, immutable, and makes browsers revalidate everything else', () => {
    for (const upload of plan.uploads) {
      expect(upload.cacheControl, upload.key).toBe(upload.key.startsWith('assets/') ? IMMUTABLE : REVALIDATE);
    }
    expect(IMMUTABLE).toBe('public, max-age=31536000, immutable');
    expect(REVALIDATE).toBe('no-cache');
  });

  it("writes config.json from the stack's outputs, not dist's copy", () => {
    const upload = plan.uploads.find((u) => u.key === 'config.json');
    expect(upload?.file).toBeUndefined();
    expect(JSON.parse(upload?.body ?? '')).toEqual(config);
    expect(upload?.contentType).toBe('application/json');
  });

  it('invalidates the non-hashed paths only (a hashed asset never changes)', () => {
    expect(plan.invalidationPaths).toEqual(['/', '/favicon.svg', '/index.html', '/config.json']);
  });

  it('refuses a dist without index.html', () => {
    expect(() => planPublish(['assets/a.js'], config)).toThrow(/no index\.html/);
  });

  it.each([
    ['index.html', 'text/html; charset=utf-8'],
    ['assets/a-1.js', 'text/javascript; charset=utf-8'],
    ['assets/a-1.css', 'text/css; charset=utf-8'],
    ['favicon.svg', 'image/svg+xml'],
    ['assets/font-1.woff2', 'font/woff2'],
    ['LICENSE', 'application/octet-stream'],
  ])('serves %s as %s', (key, type) => {
    expect(contentTypeOf(key)).toBe(type);
  });
});

describe('Function: siteTargetOf()', () => {
  it("takes the bucket, distribution, URL and config.json from the stack's outputs, region from its id", () => {
    expect(siteTargetOf(stack)).toEqual({
      bucket: 'kumo-dev-site-123456789012-eu-west-1',
      distributionId: 'E2EXAMPLE',
      siteUrl: 'https://d111111abcdef8.cloudfront.net',
      config,
    });
  });

  it('names every missing output of a stack deployed before the site', () => {
    const old = { ...stack, Outputs: stack.Outputs.filter((o) => !o.OutputKey.startsWith('Site')) };
    expect(() => siteTargetOf(old)).toThrow(
      'stack kumo-dev has no output SiteUrl, SiteBucketName, SiteDistributionId: deploy template.yaml (sam deploy) first',
    );
  });
});

describe('Function: stackOfStage()', () => {
  const samconfig = [
    '[default.global.parameters]',
    'stack_name = "kumo-dev"',
    '[prod.global.parameters]',
    'stack_name = "kumo-prod"  # the prod stack',
    'region = "eu-west-1"',
    '[prod.deploy.parameters]',
    'stack_name = "not-this-one"',
  ].join('\n');

  it('reads the environment section only', () => {
    expect(stackOfStage(samconfig, 'prod')).toEqual({ stackName: 'kumo-prod', region: 'eu-west-1' });
    expect(stackOfStage(samconfig, 'default')).toEqual({ stackName: 'kumo-dev' });
  });

  it('refuses a stage samconfig.toml does not have', () => {
    expect(() => stackOfStage(samconfig, 'qa')).toThrow(UsageError);
  });
});

describe('Function: parseDeployWebArgs()', () => {
  it('takes a stage or a stack, and the options', () => {
    expect(parseDeployWebArgs(['--stage', 'dev'])).toMatchObject({
      stage: 'dev',
      build: false,
      dryRun: false,
    });
    expect(parseDeployWebArgs(['--stack=kumo-prod', '--dry-run', '--region', 'eu-west-1'])).toMatchObject({
      stack: 'kumo-prod',
      dryRun: true,
      region: 'eu-west-1',
    });
  });

  it.each([
    [[], 'give --stage <dev|prod> (samconfig.toml) or --stack <name>'],
    [['--stage', 'dev', '--stack', 'kumo-dev'], 'give --stage or --stack, not both'],
    [['--stage'], '--stage needs a value'],
    [['--stage', 'Dev!'], '--stage: not a stage name: Dev!'],
    [['--stage', 'dev', '--force'], 'unknown option --force (see --help)'],
    [['--stage', 'dev', '--dist', 'x', '--build'], '--dist is already built: drop --build'],
  ])('refuses %j: %s', (argv, message) => {
    expect(() => parseDeployWebArgs(argv)).toThrow(new UsageError(message));
  });
});

describe('Function: publishSite()', () => {
  const cloudformation = mockClient(CloudFormationClient);
  const s3 = mockClient(S3Client);
  const cloudfront = mockClient(CloudFrontClient);
  let dist: string;

  beforeAll(async () => {
    dist = await mkdtemp(path.join(tmpdir(), 'kumo-deploy-web-'));
    await mkdir(path.join(dist, 'assets'));
    for (const file of DIST_FILES) await writeFile(path.join(dist, file), `contents of ${file}`);
  });
  afterAll(async () => {
    await rm(dist, { recursive: true, force: true });
  });
  beforeEach(() => {
    cloudformation.reset();
    s3.reset();
    cloudfront.reset();
    cloudformation.on(DescribeStacksCommand, { StackName: 'kumo-dev' }).resolves({ Stacks: [stack] });
    s3.on(PutObjectCommand).resolves({});
    cloudfront.on(CreateInvalidationCommand).resolves({ Invalidation: undefined });
  });

  const clients = () => ({
    cloudformation: new CloudFormationClient({ region: 'eu-west-1' }),
    s3: new S3Client({ region: 'eu-west-1' }),
    cloudfront: new CloudFrontClient({ region: 'us-east-1' }),
  });

  it('lists dist relative and /-separated', async () => {
    expect((await listFiles(dist)).sort()).toEqual([...DIST_FILES].sort());
  });

  it('puts every file with its headers, index.html after the assets and config.json last, then invalidates', async () => {
    const target = await readSiteTarget(clients().cloudformation, 'kumo-dev');
    cloudfront.on(CreateInvalidationCommand).resolves({ Invalidation: { Id: 'I2J0EXAMPLE' } as never });
    const result = await publishSite(clients(), target, dist, { concurrency: 3, callerReference: 'ref-1' });

    const puts = s3.commandCalls(PutObjectCommand).map((call) => call.args[0].input);
    // The three assets in parallel (any order among them), each later step after the one before.
    expect(
      puts
        .slice(0, 3)
        .map((p) => p.Key)
        .sort(),
    ).toEqual(['assets/PhotosView-12ab34cd.js', 'assets/index-3f2a1b9c.js', 'assets/index-77aa00ff.css']);
    expect(puts.slice(3).map((p) => p.Key)).toEqual(['favicon.svg', 'index.html', 'config.json']);
    for (const put of puts) expect(put.Bucket).toBe('kumo-dev-site-123456789012-eu-west-1');
    const script = puts.find((p) => p.Key === 'assets/PhotosView-12ab34cd.js');
    expect(script).toMatchObject({ CacheControl: IMMUTABLE, ContentType: 'text/javascript; charset=utf-8' });
    expect(String(script?.Body)).toBe('contents of assets/PhotosView-12ab34cd.js');
    expect(puts[4]).toMatchObject({ CacheControl: 'no-cache', ContentType: 'text/html; charset=utf-8' });
    expect(JSON.parse(String(puts[5]?.Body))).toEqual(config);

    const invalidations = cloudfront.commandCalls(CreateInvalidationCommand);
    expect(invalidations).toHaveLength(1);
    expect(invalidations[0]?.args[0].input).toEqual({
      DistributionId: 'E2EXAMPLE',
      InvalidationBatch: {
        CallerReference: 'ref-1',
        Paths: { Quantity: 4, Items: ['/', '/favicon.svg', '/index.html', '/config.json'] },
      },
    });
    expect(result.invalidationId).toBe('I2J0EXAMPLE');
  });

  it('puts nothing after a failed asset upload: index.html never names a missing file', async () => {
    s3.on(PutObjectCommand, { Key: 'assets/index-77aa00ff.css' }).rejects(new Error('SlowDown'));
    const target = await readSiteTarget(clients().cloudformation, 'kumo-dev');
    await expect(publishSite(clients(), target, dist, { concurrency: 1 })).rejects.toThrow('SlowDown');
    const keys = s3.commandCalls(PutObjectCommand).map((call) => call.args[0].input.Key);
    expect(keys).not.toContain('index.html');
    expect(keys).not.toContain('config.json');
    expect(cloudfront.commandCalls(CreateInvalidationCommand)).toHaveLength(0);
  });

  it('refuses a stack deployed before the site, before uploading anything', async () => {
    cloudformation
      .on(DescribeStacksCommand)
      .resolves({ Stacks: [{ ...stack, Outputs: stack.Outputs.slice(0, 3) }] });
    await expect(readSiteTarget(clients().cloudformation, 'kumo-dev')).rejects.toThrow(
      /has no output SiteUrl/,
    );
    expect(s3.commandCalls(PutObjectCommand)).toHaveLength(0);
  });
});
