import { Readable } from 'node:stream';
import {
  DeleteObjectCommand,
  GetBucketCorsCommand,
  GetBucketEncryptionCommand,
  GetBucketLifecycleConfigurationCommand,
  GetObjectCommand,
  PutBucketCorsCommand,
  PutObjectCommand,
  S3Client,
  S3ServiceException,
} from '@aws-sdk/client-s3';
import { ReceiveMessageCommand, SQSClient } from '@aws-sdk/client-sqs';
import { createPresignedPost, type PresignedPost } from '@aws-sdk/s3-presigned-post';
import { getSignedUrl } from '@aws-sdk/s3-request-presigner';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { LOCAL_CREDENTIALS } from '../../../local/runner/lambda-env.js';
import { createS3Service, type S3Service } from '../../../local/services/s3/index.js';
import { createSqsService, type SqsService } from '../../../local/services/sqs/index.js';
import type { TemplateModel } from '../../../local/template/index.js';
import {
  createRecordingInvoker,
  fixtureModel,
  type InvokeCall,
  tempDataRoot,
  testContext,
} from '../../helpers/service-context.js';

const ORIGIN = 'http://127.0.0.1:4500';
const MAX_BYTES = 1000;

interface S3Record {
  eventVersion: string;
  eventSource: string;
  awsRegion: string;
  eventName: string;
  userIdentity: { principalId: string };
  requestParameters: { sourceIPAddress: string };
  responseElements: Record<string, string>;
  s3: {
    s3SchemaVersion: string;
    configurationId: string;
    bucket: { name: string; arn: string; ownerIdentity: { principalId: string } };
    object: { key: string; size?: number; eTag?: string; sequencer: string };
  };
}

const recordOf = (call: InvokeCall) => (call.event as { Records: S3Record[] }).Records[0] as S3Record;

function clientFor(
  url: string,
  credentials: Record<keyof typeof LOCAL_CREDENTIALS, string> = LOCAL_CREDENTIALS,
) {
  return new S3Client({
    endpoint: url,
    region: 'us-east-1',
    forcePathStyle: true,
    credentials: {
      accessKeyId: credentials.AWS_ACCESS_KEY_ID,
      secretAccessKey: credentials.AWS_SECRET_ACCESS_KEY,
      sessionToken: credentials.AWS_SESSION_TOKEN,
    },
  });
}

/** A browser's form upload: the presigned fields (some overridden), then the file. */
function postForm(post: PresignedPost, file: Buffer, override: Record<string, string> = {}): FormData {
  const form = new FormData();
  for (const [name, value] of Object.entries({ ...post.fields, ...override })) form.append(name, value);
  form.append('file', new Blob([file]), 'photo.jpg');
  return form;
}

async function waitFor<T>(probe: () => T | undefined, timeoutMs = 3000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = probe();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error('timed out');
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

describe('Service: s3', () => {
  let model: TemplateModel;
  let service: S3Service;
  let client: S3Client;
  let bucket: string;
  const invoker = createRecordingInvoker();

  const presignPost = (key: string, options: { expires?: number; type?: string } = {}) =>
    createPresignedPost(client, {
      Bucket: bucket,
      Key: key,
      Conditions: [
        ['content-length-range', 1, MAX_BYTES],
        ['eq', '$Content-Type', options.type ?? 'image/jpeg'],
      ],
      Fields: { 'Content-Type': options.type ?? 'image/jpeg' },
      Expires: options.expires ?? 60,
    });

  beforeAll(async () => {
    model = await fixtureModel('s3.yaml');
    const { ctx } = testContext(model, await tempDataRoot(), { fresh: true, invoker });
    service = (await createS3Service({ retryDelaysMs: [10, 10] }).start(ctx)) as S3Service;
    client = clientFor(service.url);
    bucket = service.buckets.UploadsBucket as string;
  });

  afterAll(async () => {
    client.destroy();
    await service.stop();
  });

  beforeEach(() => {
    invoker.calls.length = 0;
  });

  it('creates the template buckets with the names the template reader gives them', () => {
    expect(service.buckets).toEqual({
      UploadsBucket: 'kumo-local-uploadsbucket',
      NamedBucket: 'kumo-local-named-us-east-1',
    });
    const fn = model.functions.find((f) => f.logicalId === 'LabelFunction');
    expect(fn?.environment).toMatchObject({
      BUCKET: 'kumo-local-uploadsbucket',
      BUCKET_ARN: 'arn:aws:s3:::kumo-local-uploadsbucket',
      BUCKET_DOMAIN: 'kumo-local-uploadsbucket.s3.us-east-1.amazonaws.com',
    });
  });

  it('stores and reads objects through the SDK, signed with the local credentials', async () => {
    await client.send(
      new PutObjectCommand({ Bucket: bucket, Key: 'notes/a.txt', Body: 'hello', ContentType: 'text/plain' }),
    );
    const object = await client.send(new GetObjectCommand({ Bucket: bucket, Key: 'notes/a.txt' }));
    expect(await object.Body?.transformToString()).toBe('hello');
    expect(object.ContentType).toBe('text/plain');
  });

  it('stores stream bodies, which the SDK sends aws-chunked with a checksum trailer, without the framing', async () => {
    await client.send(
      new PutObjectCommand({
        Bucket: bucket,
        Key: 'notes/stream.txt',
        Body: Readable.from([Buffer.from('streamed '), Buffer.from('body')]),
        ContentLength: 13,
      }),
    );
    const object = await client.send(new GetObjectCommand({ Bucket: bucket, Key: 'notes/stream.txt' }));
    expect(await object.Body?.transformToString()).toBe('streamed body');
  });

  it('refuses requests signed with another secret, or with none', async () => {
    const wrong = clientFor(service.url, { ...LOCAL_CREDENTIALS, AWS_SECRET_ACCESS_KEY: 'not-the-secret' });
    const error = await wrong
      .send(new GetObjectCommand({ Bucket: bucket, Key: 'notes/a.txt' }))
      .catch((e) => e);
    wrong.destroy();
    expect(error).toBeInstanceOf(S3ServiceException);
    expect(error.name).toBe('SignatureDoesNotMatch');
    const anonymous = await fetch(`${service.url}/${bucket}/notes/a.txt`);
    expect(anonymous.status).toBe(403);
    expect(await anonymous.text()).toContain('<Code>AccessDenied</Code>');
  });

  it('accepts header-signed requests with any access key, as every other local service (the AWS CLI dummy keys)', async () => {
    const dummy = clientFor(service.url, {
      AWS_ACCESS_KEY_ID: 'AKIAIOSFODNN7EXAMPLE',
      AWS_SECRET_ACCESS_KEY: 'wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY',
      AWS_SESSION_TOKEN: '',
    });
    await dummy.send(new PutObjectCommand({ Bucket: bucket, Key: 'notes/dummy.txt', Body: 'any key' }));
    const object = await dummy.send(new GetObjectCommand({ Bucket: bucket, Key: 'notes/dummy.txt' }));
    expect(await object.Body?.transformToString()).toBe('any key');
    dummy.destroy();
  });

  it('checks presigned URLs and POST policies against the local key only: another key, or SigV2, is refused', async () => {
    const dummy = clientFor(service.url, {
      AWS_ACCESS_KEY_ID: 'AKIAIOSFODNN7EXAMPLE',
      AWS_SECRET_ACCESS_KEY: 'wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY',
      AWS_SESSION_TOKEN: '',
    });
    await client.send(new PutObjectCommand({ Bucket: bucket, Key: 'notes/b.txt', Body: 'b' }));
    const url = await getSignedUrl(dummy, new GetObjectCommand({ Bucket: bucket, Key: 'notes/b.txt' }));
    const presigned = await fetch(url);
    expect(presigned.status).toBe(403);
    const text = await presigned.text();
    expect(text).toContain(
      '<Code>InvalidAccessKeyId</Code><Message>The AWS Access Key Id you provided does not exist in our records.</Message><AWSAccessKeyId>AKIAIOSFODNN7EXAMPLE</AWSAccessKeyId>',
    );
    expect(text).toContain('<LocalHint>');

    // A policy anyone could sign with a key of their own would let a form write any key: refused.
    const forgedPost = await createPresignedPost(dummy, {
      Bucket: bucket,
      Key: 'private/someone-else/photo.jpg',
      Conditions: [['content-length-range', 1, MAX_BYTES]],
      Expires: 60,
    });
    const posted = await fetch(forgedPost.url, {
      method: 'POST',
      body: postForm(forgedPost, Buffer.alloc(10)),
    });
    expect(posted.status).toBe(403);
    expect(await posted.text()).toContain('<Code>InvalidAccessKeyId</Code>');
    expect(invoker.calls).toEqual([]);

    const v2 = await fetch(
      `${service.url}/${bucket}/notes/b.txt?AWSAccessKeyId=AKIAIOSFODNN7EXAMPLE&Signature=abc%3D&Expires=${Math.floor(Date.now() / 1000) + 60}`,
    );
    expect(v2.status).toBe(400);
    expect(await v2.text()).toContain(
      '<Code>InvalidRequest</Code><Message>The authorization mechanism you have provided is not supported. Please use AWS4-HMAC-SHA256.</Message>',
    );
    dummy.destroy();
  });

  it('reports the template bucket CORS rules and default encryption, which only template.yaml sets', async () => {
    const cors = await client.send(new GetBucketCorsCommand({ Bucket: bucket }));
    expect(cors.CORSRules).toEqual([
      {
        AllowedHeaders: ['*'],
        AllowedMethods: ['GET', 'HEAD', 'POST', 'PUT'],
        AllowedOrigins: [ORIGIN],
        ExposeHeaders: ['ETag'],
        MaxAgeSeconds: 3000,
      },
    ]);
    const named = service.buckets.NamedBucket as string;
    const none = await client.send(new GetBucketCorsCommand({ Bucket: named })).catch((e) => e);
    expect(none.name).toBe('NoSuchCORSConfiguration');

    // No BucketEncryption: SSE-S3, as every S3 bucket since 2023; NamedBucket declares a KMS key.
    const plain = await client.send(new GetBucketEncryptionCommand({ Bucket: bucket }));
    expect(plain.ServerSideEncryptionConfiguration?.Rules).toEqual([
      { ApplyServerSideEncryptionByDefault: { SSEAlgorithm: 'AES256' }, BucketKeyEnabled: false },
    ]);
    const kms = await client.send(new GetBucketEncryptionCommand({ Bucket: named }));
    expect(kms.ServerSideEncryptionConfiguration?.Rules).toEqual([
      {
        ApplyServerSideEncryptionByDefault: { SSEAlgorithm: 'aws:kms', KMSMasterKeyID: 'alias/kumo-photos' },
        BucketKeyEnabled: true,
      },
    ]);

    const put = await client
      .send(
        new PutBucketCorsCommand({
          Bucket: bucket,
          CORSConfiguration: { CORSRules: [{ AllowedMethods: ['GET'], AllowedOrigins: ['*'] }] },
        }),
      )
      .catch((e) => e);
    expect(put.name).toBe('NotImplemented');
    expect(
      (await client.send(new GetBucketCorsCommand({ Bucket: bucket }))).CORSRules?.[0]?.AllowedOrigins,
    ).toEqual([ORIGIN]);
  });

  it('answers CORS preflights from the web origin as the bucket rules say, and refuses others', async () => {
    const allowed = await fetch(`${service.url}/${bucket}`, {
      method: 'OPTIONS',
      headers: {
        Origin: ORIGIN,
        'Access-Control-Request-Method': 'POST',
        'Access-Control-Request-Headers': 'content-type',
      },
    });
    expect(allowed.status).toBe(200);
    expect(allowed.headers.get('access-control-allow-origin')).toBe(ORIGIN);
    expect(allowed.headers.get('access-control-allow-methods')).toBe('GET, HEAD, POST, PUT');
    expect(allowed.headers.get('access-control-allow-headers')).toBe('content-type');
    expect(allowed.headers.get('access-control-expose-headers')).toBe('ETag');
    expect(allowed.headers.get('access-control-max-age')).toBe('3000');

    // Another spelling of the web app passes the local guard, but not this bucket's rules.
    const otherOrigin = await fetch(`${service.url}/${bucket}`, {
      method: 'OPTIONS',
      headers: { Origin: 'http://localhost:4500', 'Access-Control-Request-Method': 'POST' },
    });
    expect(otherOrigin.status).toBe(403);
    expect(await otherOrigin.text()).toContain('<Code>AccessForbidden</Code>');
    // Another site does not even reach the bucket: the local guard refuses it.
    const otherSite = await fetch(`${service.url}/${bucket}`, {
      method: 'OPTIONS',
      headers: { Origin: 'http://evil.example', 'Access-Control-Request-Method': 'POST' },
    });
    expect(otherSite.status).toBe(403);
    expect(await otherSite.text()).toContain('<Code>AccessDenied</Code>');
    expect(otherSite.headers.get('access-control-allow-origin')).toBeNull();
    const noCors = await fetch(`${service.url}/${service.buckets.NamedBucket}`, {
      method: 'OPTIONS',
      headers: { Origin: ORIGIN, 'Access-Control-Request-Method': 'POST' },
    });
    expect(await noCors.text()).toContain('CORS is not enabled for this bucket');
  });

  it('accepts a presigned POST within its conditions and notifies the function with the exact S3 event', async () => {
    const post = await presignPost('private/user 1/photo:1.jpg');
    const response = await fetch(post.url, {
      method: 'POST',
      body: postForm(post, Buffer.alloc(500, 7)),
      headers: { Origin: ORIGIN },
    });
    expect(response.status).toBe(204);
    expect(response.headers.get('access-control-allow-origin')).toBe(ORIGIN);

    const call = await waitFor(() => invoker.calls.find((c) => c.logicalId === 'LabelFunction'));
    expect(call.options?.source).toBe('s3');
    const record = recordOf(call);
    expect(record).toMatchObject({
      eventVersion: '2.1',
      eventSource: 'aws:s3',
      awsRegion: 'us-east-1',
      eventName: 'ObjectCreated:Post',
      userIdentity: { principalId: `AWS:${LOCAL_CREDENTIALS.AWS_ACCESS_KEY_ID}` },
      requestParameters: { sourceIPAddress: expect.stringContaining('127.0.0.1') },
      s3: {
        s3SchemaVersion: '1.0',
        bucket: { name: bucket, arn: `arn:aws:s3:::${bucket}` },
        // URL-encoded as S3 encodes keys in notifications: spaces as +, slashes kept.
        object: { key: 'private/user+1/photo%3A1.jpg', size: 500 },
      },
    });
    expect(record.s3.object.eTag).toMatch(/^[0-9a-f]{32}$/);
    expect(record.s3.object.sequencer).toMatch(/^[0-9A-F]{16}$/);
    expect(Object.keys(record.responseElements)).toEqual(['x-amz-request-id', 'x-amz-id-2']);

    const stored = await client.send(
      new GetObjectCommand({ Bucket: bucket, Key: 'private/user 1/photo:1.jpg' }),
    );
    expect(stored.ContentType).toBe('image/jpeg');
    expect(stored.ContentLength).toBe(500);
  });

  it('refuses a presigned POST that is too large with EntityTooLarge', async () => {
    const post = await presignPost('private/u/too-large.jpg');
    const response = await fetch(post.url, {
      method: 'POST',
      body: postForm(post, Buffer.alloc(MAX_BYTES + 1)),
      headers: { Origin: ORIGIN },
    });
    expect(response.status).toBe(400);
    expect(response.headers.get('access-control-allow-origin')).toBe(ORIGIN);
    const text = await response.text();
    expect(text).toContain('<Code>EntityTooLarge</Code>');
    expect(text).toContain('<Message>Your proposed upload exceeds the maximum allowed size</Message>');
    expect(text).toContain(
      `<ProposedSize>${MAX_BYTES + 1}</ProposedSize><MaxSizeAllowed>${MAX_BYTES}</MaxSizeAllowed>`,
    );
  });

  it('refuses a presigned POST with another content type', async () => {
    const post = await presignPost('private/u/wrong-type.jpg');
    const response = await fetch(post.url, {
      method: 'POST',
      body: postForm(post, Buffer.alloc(10), { 'Content-Type': 'text/html' }),
    });
    expect(response.status).toBe(403);
    const text = await response.text();
    expect(text).toContain('<Code>AccessDenied</Code>');
    expect(text).toContain(
      'Invalid according to Policy: Policy Condition failed: [&quot;eq&quot;, &quot;$Content-Type&quot;, &quot;image/jpeg&quot;]',
    );
  });

  it('refuses an expired presigned POST', async () => {
    const post = await presignPost('private/u/late.jpg', { expires: 1 });
    await new Promise((resolve) => setTimeout(resolve, 2100));
    const response = await fetch(post.url, { method: 'POST', body: postForm(post, Buffer.alloc(10)) });
    expect(response.status).toBe(403);
    expect(await response.text()).toContain(
      '<Message>Invalid according to Policy: Policy expired.</Message>',
    );
  });

  it('refuses a presigned POST whose signature or key does not match its policy', async () => {
    const post = await presignPost('private/u/signed.jpg');
    const forged = await fetch(post.url, {
      method: 'POST',
      body: postForm(post, Buffer.alloc(10), { 'X-Amz-Signature': '0'.repeat(64) }),
    });
    expect(forged.status).toBe(403);
    expect(await forged.text()).toContain('<Code>SignatureDoesNotMatch</Code>');

    const otherKey = await fetch(post.url, {
      method: 'POST',
      body: postForm(post, Buffer.alloc(10), { key: 'private/someone-else/photo.jpg' }),
    });
    expect(otherKey.status).toBe(403);
    expect(await otherKey.text()).toContain('Policy Condition failed: [&quot;eq&quot;, &quot;$key&quot;');
    expect(invoker.calls).toEqual([]);
  });

  it('verifies presigned PUT URLs: signed content type and expiry', async () => {
    const url = await getSignedUrl(
      client,
      new PutObjectCommand({ Bucket: bucket, Key: 'private/u/put.png', ContentType: 'image/png' }),
      { expiresIn: 60, signableHeaders: new Set(['content-type']) },
    );
    const ok = await fetch(url, {
      method: 'PUT',
      body: Buffer.alloc(20),
      headers: { 'Content-Type': 'image/png' },
    });
    expect(ok.status).toBe(200);
    const wrongType = await fetch(url, {
      method: 'PUT',
      body: Buffer.alloc(20),
      headers: { 'Content-Type': 'image/gif' },
    });
    expect(wrongType.status).toBe(403);
    expect(await wrongType.text()).toContain('<Code>SignatureDoesNotMatch</Code>');

    const expired = new URL(url);
    expired.searchParams.set('X-Amz-Date', '20200101T000000Z');
    const late = await fetch(expired, {
      method: 'PUT',
      body: Buffer.alloc(20),
      headers: { 'Content-Type': 'image/png' },
    });
    expect(late.status).toBe(403);
    expect(await late.text()).toContain('<Message>Request has expired</Message>');
  });

  it('honours prefix and suffix filters and event types', async () => {
    await client.send(new PutObjectCommand({ Bucket: bucket, Key: 'public/x.jpg', Body: 'x' }));
    await client.send(new PutObjectCommand({ Bucket: bucket, Key: 'private/y.txt', Body: 'y' }));
    await client.send(new DeleteObjectCommand({ Bucket: bucket, Key: 'public/x.jpg' }));
    await client.send(new DeleteObjectCommand({ Bucket: bucket, Key: 'private/y.txt' }));
    await waitFor(() => (invoker.calls.length >= 2 ? true : undefined));
    await new Promise((resolve) => setTimeout(resolve, 100));
    const seen = invoker.calls.map((c) => [c.logicalId, recordOf(c).eventName, recordOf(c).s3.object.key]);
    expect(seen).toEqual([
      // LabelFunction: ObjectCreated:* under private/; CleanupFunction: ObjectRemoved:* of *.jpg.
      ['LabelFunction', 'ObjectCreated:Put', 'private/y.txt'],
      ['CleanupFunction', 'ObjectRemoved:Delete', 'public/x.jpg'],
    ]);
    expect(recordOf(invoker.calls[1] as InvokeCall).s3.object).not.toHaveProperty('size');
  });
});

describe('Service: s3 (delivery retries)', () => {
  it('retries a failed invocation twice, as Lambda does for asynchronous invocations', async () => {
    const model = await fixtureModel('s3.yaml');
    const invoker = createRecordingInvoker(() => ({
      ok: false,
      error: { errorType: 'Error', errorMessage: 'boom' },
    }));
    const { ctx, log } = testContext(model, await tempDataRoot(), { fresh: true, invoker });
    const service = (await createS3Service({ retryDelaysMs: [10, 10] }).start(ctx)) as S3Service;
    const client = clientFor(service.url);
    try {
      await client.send(
        new PutObjectCommand({ Bucket: service.buckets.UploadsBucket, Key: 'private/r.jpg', Body: 'r' }),
      );
      await waitFor(() => (log.lines.some((l) => l.includes('failed 3 times')) ? true : undefined));
      expect(invoker.calls.map((c) => c.logicalId)).toEqual([
        'LabelFunction',
        'LabelFunction',
        'LabelFunction',
      ]);
    } finally {
      client.destroy();
      await service.stop();
    }
  });
});

describe('Service: s3 (lifecycle rules)', () => {
  it('reports the template’s lifecycle rules (GetBucketLifecycleConfiguration), and their absence', async () => {
    const model = await fixtureModel('s3.yaml');
    const { ctx } = testContext(model, await tempDataRoot(), { fresh: true });
    const service = (await createS3Service().start(ctx)) as S3Service;
    const client = clientFor(service.url);
    try {
      const { Rules } = await client.send(
        new GetBucketLifecycleConfigurationCommand({ Bucket: service.buckets.UploadsBucket }),
      );
      expect(Rules).toEqual([
        {
          ID: 'AbortIncompleteMultipartUploads',
          Filter: {},
          Status: 'Enabled',
          AbortIncompleteMultipartUpload: { DaysAfterInitiation: 1 },
        },
        {
          ID: 'ExpireUnprocessed',
          Filter: { Prefix: 'private/' },
          Status: 'Enabled',
          Expiration: { Days: 1 },
        },
      ]);
      await expect(
        client.send(new GetBucketLifecycleConfigurationCommand({ Bucket: service.buckets.NamedBucket })),
      ).rejects.toMatchObject({ name: 'NoSuchLifecycleConfiguration', $metadata: { httpStatusCode: 404 } });
    } finally {
      client.destroy();
      await service.stop();
    }
  });
});

describe('Service: s3 (OnFailure destination of asynchronous invocations)', () => {
  it('retries as EventInvokeConfig says, then sends Lambda’s invocation record to the queue', async () => {
    const model = await fixtureModel('s3.yaml');
    const invoker = createRecordingInvoker(() => ({
      ok: false,
      error: { errorType: 'ResizeError', errorMessage: 'cannot resize' },
    }));
    const dataRoot = await tempDataRoot();
    const { ctx, log } = testContext(model, dataRoot, { fresh: true, invoker });
    const sqs = (await createSqsService().start(ctx)) as SqsService;
    ctx.endpoints = { sqs: sqs.url };
    const service = (await createS3Service({ retryDelaysMs: [10, 10] }).start(ctx)) as S3Service;
    const client = clientFor(service.url);
    const queue = new SQSClient({
      endpoint: sqs.url,
      region: 'us-east-1',
      credentials: { accessKeyId: 'x', secretAccessKey: 'x' },
    });
    try {
      await client.send(
        new PutObjectCommand({ Bucket: service.buckets.UploadsBucket, Key: 'resize/big.jpg', Body: 'r' }),
      );
      await waitFor(() => (log.lines.some((l) => l.includes('sent to OnFailure')) ? true : undefined));
      // MaximumRetryAttempts 1: two attempts in all.
      expect(invoker.calls.map((c) => c.logicalId)).toEqual(['ResizeFunction', 'ResizeFunction']);
      const { Messages = [] } = await queue.send(
        new ReceiveMessageCommand({
          QueueUrl: sqs.queueUrl(`${model.stackName}-ResizeFailuresQueue`),
          MaxNumberOfMessages: 10,
        }),
      );
      expect(Messages).toHaveLength(1);
      const failure = JSON.parse(Messages[0]?.Body ?? '{}') as Record<string, unknown>;
      expect(failure).toMatchObject({
        version: '1.0',
        requestContext: {
          condition: 'RetriesExhausted',
          approximateInvokeCount: 2,
          functionArn: expect.stringMatching(/:function:.*ResizeFunction.*:\$LATEST$/),
        },
        responseContext: { functionError: 'Unhandled' },
        responsePayload: { errorType: 'ResizeError', errorMessage: 'cannot resize' },
      });
      expect(failure.requestPayload).toEqual(invoker.calls[0]?.event);
    } finally {
      client.destroy();
      queue.destroy();
      await service.stop();
      await sqs.stop();
    }
  });
});
