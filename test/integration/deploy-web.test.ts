/**
 * `npm run deploy:web` against the local cloud: the real S3 client puts the built files into the
 * template's SiteBucket on the local S3, with their headers, config.json last. CloudFormation and
 * CloudFront, which the local cloud does not emulate, are answered by aws-sdk-client-mock: the stack's
 * outputs are the local model's own, and the invalidation is recorded.
 */
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { CloudFormationClient, DescribeStacksCommand } from '@aws-sdk/client-cloudformation';
import { CloudFrontClient, CreateInvalidationCommand } from '@aws-sdk/client-cloudfront';
import { GetObjectCommand, ListObjectsV2Command, S3Client } from '@aws-sdk/client-s3';
import { mockClient } from 'aws-sdk-client-mock';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { LOCAL_CREDENTIALS } from '../../local/runner/lambda-env.js';
import { IMMUTABLE } from '../../scripts/deploy-web-plan.js';
import { publishSite, readSiteTarget } from '../../scripts/deploy-web-publish.js';
import { type SharedCloud, sharedCloud } from '../helpers/shared-cloud.js';

const FILES: Record<string, string> = {
  'index.html':
    '<!doctype html><div id="app"></div><script type="module" src="/assets/index-1a2b.js"></script>',
  'favicon.svg': '<svg xmlns="http://www.w3.org/2000/svg"/>',
  'assets/index-1a2b.js': 'console.log("kumo")',
  'assets/index-3c4d.css': 'body{margin:0}',
};

let cloud: SharedCloud;
let dist: string;
let s3: S3Client;
const cloudformation = mockClient(CloudFormationClient);
const cloudfront = mockClient(CloudFrontClient);

beforeAll(async () => {
  // The shared cloud: no other test file writes to the site bucket (only deploy:web does).
  cloud = await sharedCloud();
  dist = await mkdtemp(path.join(tmpdir(), 'kumo-deploy-web-dist-'));
  await mkdir(path.join(dist, 'assets'));
  for (const [file, body] of Object.entries(FILES)) await writeFile(path.join(dist, file), body);
  // A developer's own config.json in dist (vite public/): the stack's outputs write the published one.
  await writeFile(path.join(dist, 'config.json'), '{ "apiUrl": "http://127.0.0.1:4501" }');
  s3 = new S3Client({
    endpoint: cloud.endpoints.services.s3,
    region: cloud.model.region,
    forcePathStyle: true,
    credentials: {
      accessKeyId: LOCAL_CREDENTIALS.AWS_ACCESS_KEY_ID,
      secretAccessKey: LOCAL_CREDENTIALS.AWS_SECRET_ACCESS_KEY,
      sessionToken: LOCAL_CREDENTIALS.AWS_SESSION_TOKEN,
    },
  });
  const { model } = cloud;
  cloudformation.on(DescribeStacksCommand, { StackName: model.stackName }).resolves({
    Stacks: [
      {
        StackName: model.stackName,
        StackId: `arn:aws:cloudformation:${model.region}:${model.accountId}:stack/${model.stackName}/local`,
        StackStatus: 'CREATE_COMPLETE',
        CreationTime: new Date(),
        Parameters: [{ ParameterKey: 'Stage', ParameterValue: String(model.parameters.Stage) }],
        Outputs: Object.entries(model.outputs).map(([key, value]) => ({
          OutputKey: key,
          OutputValue: String(value),
        })),
      },
    ],
  });
  cloudfront.on(CreateInvalidationCommand).resolves({});
}, 120_000);

afterAll(async () => {
  cloudformation.restore();
  cloudfront.restore();
  s3?.destroy();
  if (dist) await rm(dist, { recursive: true, force: true });
});

async function object(bucket: string, key: string) {
  const response = await s3.send(new GetObjectCommand({ Bucket: bucket, Key: key }));
  return {
    body: await response.Body?.transformToString(),
    contentType: response.ContentType,
    cacheControl: response.CacheControl,
  };
}

describe('deploy:web on the local cloud', () => {
  it("publishes the build to the template's site bucket with its headers and a config.json from the outputs", async () => {
    const { model } = cloud;
    const target = await readSiteTarget(new CloudFormationClient({ region: model.region }), model.stackName);
    const bucket = String(model.resources.get('SiteBucket')?.properties.BucketName);
    expect(target.bucket).toBe(bucket);

    const order: string[] = [];
    const clients = {
      cloudformation: new CloudFormationClient({ region: model.region }),
      s3,
      cloudfront: new CloudFrontClient({ region: 'us-east-1' }),
    };
    await publishSite(clients, target, dist, { onUpload: (upload) => order.push(upload.key) });
    expect(order.slice(-3)).toEqual(['favicon.svg', 'index.html', 'config.json']);

    expect(await object(bucket, 'assets/index-1a2b.js')).toEqual({
      body: FILES['assets/index-1a2b.js'],
      contentType: 'text/javascript; charset=utf-8',
      cacheControl: IMMUTABLE,
    });
    expect(await object(bucket, 'index.html')).toEqual({
      body: FILES['index.html'],
      contentType: 'text/html; charset=utf-8',
      cacheControl: 'no-cache',
    });
    const config = await object(bucket, 'config.json');
    expect(config.cacheControl).toBe('no-cache');
    expect(JSON.parse(config.body ?? '')).toEqual({
      apiUrl: model.outputs.ApiUrl,
      region: model.region,
      stage: String(model.parameters.Stage),
      userPoolId: model.outputs.UserPoolId,
      userPoolClientId: model.outputs.UserPoolClientId,
    });

    const invalidations = cloudfront.commandCalls(CreateInvalidationCommand);
    expect(invalidations.map((call) => call.args[0].input.DistributionId)).toEqual([
      model.outputs.SiteDistributionId,
    ]);
  });

  it('holds exactly the build and config.json in the site bucket (a developer config.json is not published)', async () => {
    const bucket = String(cloud.model.resources.get('SiteBucket')?.properties.BucketName);
    const listed = await s3.send(new ListObjectsV2Command({ Bucket: bucket }));
    expect((listed.Contents ?? []).map((o) => o.Key).sort()).toEqual(
      [...Object.keys(FILES), 'config.json'].sort(),
    );
  });
});
