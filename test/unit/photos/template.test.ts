import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { parseTemplateText, readTemplate, type TemplateModel } from '../../../local/template/index.js';

const root = path.resolve(import.meta.dirname, '../../..');

interface Statement {
  Effect: string;
  Action: string | string[];
  Resource: unknown;
  Condition?: unknown;
}
interface Resource {
  Type: string;
  Properties: Record<string, unknown>;
}

let model: TemplateModel;
let resources: Record<string, Resource>;

beforeAll(async () => {
  const text = await readFile(path.join(root, 'template.yaml'), 'utf8');
  resources = (parseTemplateText(text) as { Resources: Record<string, Resource> }).Resources;
  model = await readTemplate(path.join(root, 'template.yaml'));
});

/** The inline statements of a function's Policies. */
function statementsOf(logicalId: string): Statement[] {
  const policies = (resources[logicalId]?.Properties.Policies ?? []) as Record<string, unknown>[];
  return policies.flatMap((policy) => (policy.Statement ?? []) as Statement[]);
}

/** The S3 resources (as written, `!Sub` text) a function may use `action` on. */
function s3Resources(logicalId: string, action: string): string[] {
  return statementsOf(logicalId)
    .filter((statement) => statement.Effect === 'Allow' && [statement.Action].flat().includes(action))
    .flatMap((statement) => [statement.Resource].flat())
    .map((resource) => JSON.stringify(resource));
}

/** The object prefixes of resources: `.../uploads/*` → `uploads/`. */
const prefixes = (arns: string[]) =>
  arns.map((arn) => /\/([a-z]+\/)\*"?\}?$/.exec(arn)?.[1] ?? `bucket:${arn}`).sort();

describe('template.yaml: photos cannot be swapped', () => {
  it('lets the API sign POSTs only for uploads/ and GETs only for photos/ and thumbnails/', () => {
    expect(prefixes(s3Resources('PhotosApiFunction', 's3:PutObject'))).toEqual(['uploads/']);
    expect(prefixes(s3Resources('PhotosApiFunction', 's3:GetObject'))).toEqual(['photos/', 'thumbnails/']);
    expect(prefixes(s3Resources('PhotosApiFunction', 's3:DeleteObject'))).toEqual([
      'photos/',
      'thumbnails/',
      'uploads/',
    ]);
    const policies = JSON.stringify(resources.PhotosApiFunction?.Properties.Policies);
    expect(policies).not.toMatch(/S3(Read|Write|Crud|FullAccess)Policy/);
  });

  it('lets the labeler read and delete uploads, and write only photos/ and thumbnails/', () => {
    expect(prefixes(s3Resources('LabelPhotoFunction', 's3:GetObject'))).toEqual(['uploads/']);
    expect(prefixes(s3Resources('LabelPhotoFunction', 's3:PutObject'))).toEqual(['photos/', 'thumbnails/']);
    expect(prefixes(s3Resources('LabelPhotoFunction', 's3:DeleteObject'))).toEqual([
      'photos/',
      'thumbnails/',
      'uploads/',
    ]);
    const policies = JSON.stringify(resources.LabelPhotoFunction?.Properties.Policies);
    expect(policies).not.toMatch(/S3(Read|Write|Crud|FullAccess)Policy/);
  });

  it('invokes the labeler for uploads/ only, so its own writes never trigger it', () => {
    const fn = model.functions.find((f) => f.logicalId === 'LabelPhotoFunction');
    const s3Events = fn?.events.filter((event) => event.type === 'S3') ?? [];
    expect(s3Events).toHaveLength(1);
    expect(s3Events[0]).toMatchObject({ filter: { prefix: 'uploads/' }, events: ['s3:ObjectCreated:*'] });
  });

  it('expires unprocessed uploads after a day, next to the incomplete-multipart rule', () => {
    const lifecycle = resources.PhotosBucket?.Properties.LifecycleConfiguration as
      | { Rules: unknown[] }
      | undefined;
    const rules = lifecycle?.Rules;
    expect(rules).toContainEqual({
      Id: 'ExpireUnprocessedUploads',
      Status: 'Enabled',
      Prefix: 'uploads/',
      ExpirationInDays: 1,
    });
    expect(rules).toContainEqual(
      expect.objectContaining({ AbortIncompleteMultipartUpload: { DaysAfterInitiation: 1 } }),
    );
  });

  it('sends the events the labeler gave up on to an encrypted queue that keeps them 14 days', () => {
    const config = resources.LabelPhotoFunction?.Properties.EventInvokeConfig as Record<string, unknown>;
    expect(config).toMatchObject({
      MaximumRetryAttempts: 2,
      DestinationConfig: {
        OnFailure: { Type: 'SQS', Destination: { 'Fn::GetAtt': ['LabelPhotoFailedEventsQueue', 'Arn'] } },
      },
    });
    expect(resources.LabelPhotoFailedEventsQueue).toMatchObject({
      Type: 'AWS::SQS::Queue',
      Properties: { SqsManagedSseEnabled: true, MessageRetentionPeriod: 1209600 },
    });
    expect(JSON.stringify(resources.LabelPhotoFunction?.Properties.Policies)).toContain(
      'LabelPhotoFailedEventsQueue',
    );
  });
});
