/**
 * The AWS side of `npm run deploy:web`: read the stack (CloudFormation), put the planned objects (S3),
 * invalidate what changed (CloudFront). The decisions are in deploy-web-plan.ts.
 */
import { readdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import { CloudFormationClient, DescribeStacksCommand } from '@aws-sdk/client-cloudformation';
import { CloudFrontClient, CreateInvalidationCommand } from '@aws-sdk/client-cloudfront';
import { PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
import {
  type PlannedUpload,
  type PublishPlan,
  planPublish,
  type SiteTarget,
  siteTargetOf,
} from './deploy-web-plan.js';

/** The clients a publish uses (tests hand in mocked ones). */
export interface PublishClients {
  cloudformation: CloudFormationClient;
  s3: S3Client;
  cloudfront: CloudFrontClient;
}

/** Clients for a region, with the default credential chain (profile, environment, CodeBuild role). */
export function publishClients(region: string): PublishClients {
  return {
    cloudformation: new CloudFormationClient({ region }),
    s3: new S3Client({ region }),
    // CloudFront is global; its API lives in us-east-1.
    cloudfront: new CloudFrontClient({ region: 'us-east-1' }),
  };
}

/** The publish target of a deployed stack (its outputs and Stage parameter). */
export async function readSiteTarget(
  cloudformation: CloudFormationClient,
  stackName: string,
): Promise<SiteTarget> {
  const { Stacks } = await cloudformation.send(new DescribeStacksCommand({ StackName: stackName }));
  const stack = Stacks?.[0];
  if (!stack) throw new Error(`stack ${stackName} not found`);
  return siteTargetOf(stack);
}

/** Every file under `dir`, relative and `/`-separated. */
export async function listFiles(dir: string): Promise<string[]> {
  const entries = await readdir(dir, { recursive: true, withFileTypes: true });
  return entries
    .filter((entry) => entry.isFile())
    .map((entry) => path.relative(dir, path.join(entry.parentPath, entry.name)).split(path.sep).join('/'));
}

/** What a publish did, for the summary line. */
export interface PublishResult {
  plan: PublishPlan;
  invalidationId?: string;
}

async function putAll(
  s3: S3Client,
  bucket: string,
  dist: string,
  uploads: readonly PlannedUpload[],
  concurrency: number,
  onUpload: (upload: PlannedUpload) => void,
): Promise<void> {
  let next = 0;
  const worker = async () => {
    while (next < uploads.length) {
      const upload = uploads[next++] as PlannedUpload;
      const body = upload.file === undefined ? upload.body : await readFile(path.join(dist, upload.file));
      await s3.send(
        new PutObjectCommand({
          Bucket: bucket,
          Key: upload.key,
          Body: body,
          ContentType: upload.contentType,
          CacheControl: upload.cacheControl,
        }),
      );
      onUpload(upload);
    }
  };
  await Promise.all(Array.from({ length: Math.min(concurrency, uploads.length) }, worker));
}

/**
 * Uploads a built web app to the target: step by step (assets, other files, index.html, config.json),
 * each step finished before the next starts, then one invalidation of the non-hashed paths.
 */
export async function publishSite(
  clients: PublishClients,
  target: SiteTarget,
  dist: string,
  options: {
    concurrency?: number;
    onUpload?: (upload: PlannedUpload) => void;
    callerReference?: string;
  } = {},
): Promise<PublishResult> {
  const plan = planPublish(await listFiles(dist), target.config);
  const onUpload = options.onUpload ?? (() => undefined);
  for (const step of ['assets', 'files', 'index', 'config'] as const) {
    const uploads = plan.uploads.filter((upload) => upload.step === step);
    await putAll(clients.s3, target.bucket, dist, uploads, options.concurrency ?? 8, onUpload);
  }
  const { Invalidation } = await clients.cloudfront.send(
    new CreateInvalidationCommand({
      DistributionId: target.distributionId,
      InvalidationBatch: {
        CallerReference: options.callerReference ?? `kumo-deploy-web-${Date.now()}`,
        Paths: { Quantity: plan.invalidationPaths.length, Items: plan.invalidationPaths },
      },
    }),
  );
  return { plan, ...(Invalidation?.Id ? { invalidationId: Invalidation.Id } : {}) };
}
