import { createHash } from 'node:crypto';
import { readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import {
  CognitoIdentityProviderClient,
  ListUserPoolsCommand,
} from '@aws-sdk/client-cognito-identity-provider';
import {
  CreateTableCommand,
  DeleteItemCommand,
  DeleteTableCommand,
  DescribeTableCommand,
  DynamoDBClient,
  GetItemCommand,
  ListTablesCommand,
  PutItemCommand,
} from '@aws-sdk/client-dynamodb';
import { KinesisClient, ListStreamsCommand } from '@aws-sdk/client-kinesis';
import { InvokeCommand, LambdaClient, ListFunctionsCommand } from '@aws-sdk/client-lambda';
import {
  CreateBucketCommand,
  DeleteBucketCommand,
  DeleteObjectCommand,
  GetBucketCorsCommand,
  GetBucketEncryptionCommand,
  GetObjectCommand,
  ListBucketsCommand,
  ListObjectsV2Command,
  PutObjectCommand,
  S3Client,
} from '@aws-sdk/client-s3';
import {
  CreateTopicCommand,
  DeleteTopicCommand,
  ListSubscriptionsByTopicCommand,
  ListTopicsCommand,
  PublishCommand,
  SNSClient,
  SubscribeCommand,
} from '@aws-sdk/client-sns';
import {
  CreateQueueCommand,
  DeleteMessageCommand,
  DeleteQueueCommand,
  GetQueueAttributesCommand,
  GetQueueUrlCommand,
  ListQueuesCommand,
  ReceiveMessageCommand,
  SendMessageCommand,
  SQSClient,
} from '@aws-sdk/client-sqs';
import {
  DeleteParameterCommand,
  DescribeParametersCommand,
  GetParameterCommand,
  PutParameterCommand,
  SSMClient,
} from '@aws-sdk/client-ssm';
import { getSignedUrl } from '@aws-sdk/s3-request-presigner';
import { NodeHttpHandler } from '@smithy/node-http-handler';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { LOCAL_CREDENTIALS } from '../../local/runner/lambda-env.js';
import { bucketsFromModel } from '../../local/services/s3/buckets.js';
import {
  type AwsCall,
  AwsCallError,
  type AwsDriver,
  chooseAwsDriver,
  createAwsDriver,
  DUMMY_CREDENTIALS,
} from '../helpers/aws-driver.js';
import { repoRoot } from '../helpers/local-cloud.js';
import { type SharedCloud, sharedCloud } from '../helpers/shared-cloud.js';

// The AWS CLI commands a user runs first against `npm start` (docs/local-cloud.md, "The AWS CLI"):
// with the AWS CLI when it is on PATH, else the same operations with the SDK v3 clients (the title says
// which). Each check reads the shape of the answer, as the CLI prints it or the SDK returns it.

const choice = await chooseAwsDriver();
const suffix = Date.now().toString(36);

describe(`AWS CLI parity, driven by ${choice.description}`, () => {
  let cloud: SharedCloud;
  let driver: AwsDriver;
  let services: Record<string, string>;
  let region: string;
  let account: string;
  let s3: S3Client;
  let sqs: SQSClient;
  let sns: SNSClient;
  let ssm: SSMClient;
  let dynamodb: DynamoDBClient;
  let kinesis: KinesisClient;
  let cognito: CognitoIdentityProviderClient;

  beforeAll(async () => {
    cloud = await sharedCloud();
    services = cloud.endpoints.services;
    region = cloud.model.region;
    account = cloud.model.accountId;
    driver = await createAwsDriver(choice, services, region);
    const config = (key: string) => ({ endpoint: services[key], region, credentials: DUMMY_CREDENTIALS });
    s3 = new S3Client({ ...config('s3'), forcePathStyle: true });
    sqs = new SQSClient(config('sqs'));
    sns = new SNSClient(config('sns'));
    ssm = new SSMClient(config('ssm'));
    dynamodb = new DynamoDBClient(config('dynamodb'));
    // kinesalite speaks HTTP/1.1 only; the SDK's default handler would try HTTP/2 (docs/local-cloud.md).
    kinesis = new KinesisClient({ ...config('kinesis'), requestHandler: new NodeHttpHandler() });
    cognito = new CognitoIdentityProviderClient(config('cognito_identity_provider'));
  }, 120_000);

  const run = <T>(call: AwsCall<T>) => driver.run(call);
  const failure = async (call: AwsCall<unknown>): Promise<AwsCallError> => {
    const error = await run(call).then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(AwsCallError);
    return error as AwsCallError;
  };

  afterAll(async () => {
    for (const c of [s3, sqs, sns, ssm, dynamodb, kinesis, cognito]) c?.destroy();
    await driver?.close();
  });

  describe('s3', () => {
    const bucket = `kumo-cli-${suffix}`;
    let photos: string;
    beforeAll(() => {
      photos = bucketsFromModel(cloud.model).find((b) => b.logicalId === 'PhotosBucket')?.name ?? '';
    });
    const listBuckets = (): AwsCall<string[]> => ({
      endpoint: 's3',
      cli: ['s3', 'ls'],
      // `2026-01-31 12:00:00 <name>` per bucket
      parse: (stdout) =>
        stdout.split('\n').flatMap((line) => /^\S+ \S+ (.+)$/.exec(line.trim())?.slice(1) ?? []),
      sdk: async () => ((await s3.send(new ListBucketsCommand({}))).Buckets ?? []).map((b) => b.Name ?? ''),
    });

    it('s3 ls, mb, cp, ls s3://bucket, get-object, rm, rb: with the dummy credentials', async () => {
      expect(await run(listBuckets())).toContain(photos);

      const made = await run({
        endpoint: 's3',
        cli: ['s3', 'mb', `s3://${bucket}`],
        parse: (stdout) => /make_bucket: (\S+)/.exec(stdout)?.[1],
        sdk: async () => {
          await s3.send(new CreateBucketCommand({ Bucket: bucket }));
          return bucket;
        },
      });
      expect(made).toBe(bucket);

      const file = path.join(driver.workDir, 'hello.txt');
      await writeFile(file, 'hello from the cli\n');
      const uploaded = await run({
        endpoint: 's3',
        cli: ['s3', 'cp', file, `s3://${bucket}/notes/hello.txt`],
        parse: (stdout) => /upload: .* to (s3:\/\/\S+)/.exec(stdout)?.[1],
        sdk: async () => {
          await s3.send(
            new PutObjectCommand({ Bucket: bucket, Key: 'notes/hello.txt', Body: await readFile(file) }),
          );
          return `s3://${bucket}/notes/hello.txt`;
        },
      });
      expect(uploaded).toBe(`s3://${bucket}/notes/hello.txt`);

      const keys = await run({
        endpoint: 's3',
        cli: ['s3', 'ls', `s3://${bucket}/`, '--recursive'],
        parse: (stdout) =>
          stdout.split('\n').flatMap((line) => /^\S+ \S+\s+\d+ (.+)$/.exec(line.trim())?.slice(1) ?? []),
        sdk: async () =>
          ((await s3.send(new ListObjectsV2Command({ Bucket: bucket }))).Contents ?? []).map(
            (o) => o.Key ?? '',
          ),
      });
      expect(keys).toEqual(['notes/hello.txt']);

      const download = path.join(driver.workDir, 'downloaded.txt');
      const object = await run({
        endpoint: 's3',
        cli: ['s3api', 'get-object', '--bucket', bucket, '--key', 'notes/hello.txt', download],
        parse: async (stdout) => {
          const head = JSON.parse(stdout) as { ContentLength: number; ETag: string };
          return {
            contentLength: head.ContentLength,
            eTag: head.ETag,
            body: await readFile(download, 'utf8'),
          };
        },
        sdk: async () => {
          const got = await s3.send(new GetObjectCommand({ Bucket: bucket, Key: 'notes/hello.txt' }));
          return {
            contentLength: got.ContentLength,
            eTag: got.ETag,
            body: await got.Body?.transformToString(),
          };
        },
      });
      expect(object).toEqual({
        contentLength: 19,
        eTag: `"${createHash('md5').update('hello from the cli\n').digest('hex')}"`,
        body: 'hello from the cli\n',
      });

      const removed = await run({
        endpoint: 's3',
        cli: ['s3', 'rm', `s3://${bucket}/notes/hello.txt`],
        parse: (stdout) => /delete: (\S+)/.exec(stdout)?.[1],
        sdk: async () => {
          await s3.send(new DeleteObjectCommand({ Bucket: bucket, Key: 'notes/hello.txt' }));
          return `s3://${bucket}/notes/hello.txt`;
        },
      });
      expect(removed).toBe(`s3://${bucket}/notes/hello.txt`);
      const bucketRemoved = await run({
        endpoint: 's3',
        cli: ['s3', 'rb', `s3://${bucket}`],
        parse: (stdout) => /remove_bucket: (\S+)/.exec(stdout)?.[1],
        sdk: async () => {
          await s3.send(new DeleteBucketCommand({ Bucket: bucket }));
          return bucket;
        },
      });
      expect(bucketRemoved).toBe(bucket);
      expect(await run(listBuckets())).not.toContain(bucket);
    }, 60_000);

    it('s3api get-bucket-cors and get-bucket-encryption: the rules of template.yaml, which the local S3 applies', async () => {
      const cors = await run({
        endpoint: 's3',
        cli: ['s3api', 'get-bucket-cors', '--bucket', photos],
        sdk: () => s3.send(new GetBucketCorsCommand({ Bucket: photos })),
      });
      expect(cors.CORSRules).toEqual([
        {
          AllowedHeaders: ['*'],
          AllowedMethods: ['GET', 'HEAD', 'POST'],
          // WebOrigin: kumo.local.json's ${web}
          AllowedOrigins: [cloud.endpoints.web],
          ExposeHeaders: ['ETag'],
          MaxAgeSeconds: 3000,
        },
      ]);
      const encryption = await run({
        endpoint: 's3',
        cli: ['s3api', 'get-bucket-encryption', '--bucket', photos],
        sdk: () => s3.send(new GetBucketEncryptionCommand({ Bucket: photos })),
      });
      expect(encryption.ServerSideEncryptionConfiguration?.Rules).toEqual([
        { ApplyServerSideEncryptionByDefault: { SSEAlgorithm: 'AES256' }, BucketKeyEnabled: false },
      ]);
    }, 30_000);

    it('s3 presign: a URL signed with the local key works; the CLI v1 default (SigV2) and other keys are refused, saying why', async () => {
      const key = `presign-${suffix}.txt`;
      await s3.send(new PutObjectCommand({ Bucket: photos, Key: key, Body: 'presigned' }));
      const localKey = {
        accessKeyId: LOCAL_CREDENTIALS.AWS_ACCESS_KEY_ID,
        secretAccessKey: LOCAL_CREDENTIALS.AWS_SECRET_ACCESS_KEY,
      };
      // What docs/local-cloud.md tells CLI v1 users to set: SigV4 presigning, and the local key.
      const v4Config = path.join(driver.workDir, 'config-s3v4');
      await writeFile(v4Config, `[default]\nregion = ${region}\ns3 =\n    signature_version = s3v4\n`);
      const presign = (credentials: { accessKeyId: string; secretAccessKey: string }, config?: string) =>
        run({
          endpoint: 's3',
          cli: ['s3', 'presign', `s3://${photos}/${key}`],
          cliEnv: {
            AWS_ACCESS_KEY_ID: credentials.accessKeyId,
            AWS_SECRET_ACCESS_KEY: credentials.secretAccessKey,
            ...(config ? { AWS_CONFIG_FILE: config } : {}),
          },
          parse: (stdout) => stdout.trim(),
          sdk: async () => {
            if (!config) {
              // The SDK signs only SigV4: the URL CLI v1 prints by default, signed as SigV2 (HMAC-SHA1).
              const expires = Math.floor(Date.now() / 1000) + 3600;
              const signature = createHash('sha1')
                .update(`GET\n\n\n${expires}\n/${photos}/${key}`)
                .digest('base64');
              const query = new URLSearchParams({
                AWSAccessKeyId: credentials.accessKeyId,
                Signature: signature,
                Expires: String(expires),
              });
              return `${services.s3}/${photos}/${key}?${query}`;
            }
            const signer = new S3Client({
              endpoint: services.s3,
              region,
              credentials,
              forcePathStyle: true,
            });
            const url = await getSignedUrl(signer, new GetObjectCommand({ Bucket: photos, Key: key }));
            signer.destroy();
            return url;
          },
        });

      const works = await fetch(await presign(localKey, v4Config));
      expect(works.status).toBe(200);
      expect(await works.text()).toBe('presigned');

      const v2 = await presign(localKey);
      expect(v2).toMatch(/[?&]Signature=/);
      const refusedV2 = await fetch(v2);
      expect(refusedV2.status).toBe(400);
      expect(await refusedV2.text()).toContain(
        '<Code>InvalidRequest</Code><Message>The authorization mechanism you have provided is not supported. Please use AWS4-HMAC-SHA256.</Message>',
      );

      const otherKey = await fetch(await presign(DUMMY_CREDENTIALS, v4Config));
      expect(otherKey.status).toBe(403);
      const text = await otherKey.text();
      expect(text).toContain('<Code>InvalidAccessKeyId</Code>');
      expect(text).toContain('<LocalHint>the local S3 checks presigned URLs against the local credentials');
      await s3.send(new DeleteObjectCommand({ Bucket: photos, Key: key }));
    }, 30_000);
  });

  describe('sqs', () => {
    const name = `kumo-cli-queue-${suffix}`;

    it('create-queue, list-queues, send, receive, delete-message (a garbage handle refused), delete-queue', async () => {
      const { QueueUrl } = await run({
        endpoint: 'sqs',
        cli: ['sqs', 'create-queue', '--queue-name', name],
        sdk: () => sqs.send(new CreateQueueCommand({ QueueName: name })),
      });
      expect(QueueUrl).toBe(`${services.sqs}/${account}/${name}`);
      const queueUrl = QueueUrl ?? '';

      const listed = await run({
        endpoint: 'sqs',
        cli: ['sqs', 'list-queues', '--queue-name-prefix', 'kumo-cli-queue-'],
        sdk: () => sqs.send(new ListQueuesCommand({ QueueNamePrefix: 'kumo-cli-queue-' })),
      });
      expect(listed.QueueUrls).toEqual([queueUrl]);

      const sent = await run({
        endpoint: 'sqs',
        cli: ['sqs', 'send-message', '--queue-url', queueUrl, '--message-body', 'hello queue'],
        sdk: () => sqs.send(new SendMessageCommand({ QueueUrl: queueUrl, MessageBody: 'hello queue' })),
      });
      expect(sent.MessageId).toMatch(/^[0-9a-f-]{36}$/);
      expect(sent.MD5OfMessageBody).toBe(createHash('md5').update('hello queue').digest('hex'));

      const received = await run({
        endpoint: 'sqs',
        cli: ['sqs', 'receive-message', '--queue-url', queueUrl, '--wait-time-seconds', '2'],
        sdk: () => sqs.send(new ReceiveMessageCommand({ QueueUrl: queueUrl, WaitTimeSeconds: 2 })),
      });
      expect(received.Messages).toHaveLength(1);
      expect(received.Messages?.[0]).toMatchObject({ MessageId: sent.MessageId, Body: 'hello queue' });
      const handle = received.Messages?.[0]?.ReceiptHandle ?? '';

      const garbage = await failure({
        endpoint: 'sqs',
        cli: ['sqs', 'delete-message', '--queue-url', queueUrl, '--receipt-handle', 'not-a-receipt-handle'],
        sdk: () =>
          sqs.send(new DeleteMessageCommand({ QueueUrl: queueUrl, ReceiptHandle: 'not-a-receipt-handle' })),
      });
      expect(garbage.code).toBe('ReceiptHandleIsInvalid');
      expect(garbage.message).toContain('"not-a-receipt-handle" is not a valid receipt handle');

      await run({
        endpoint: 'sqs',
        cli: ['sqs', 'delete-message', '--queue-url', queueUrl, '--receipt-handle', handle],
        sdk: () => sqs.send(new DeleteMessageCommand({ QueueUrl: queueUrl, ReceiptHandle: handle })),
      });
      const attributes = await sqs.send(
        new GetQueueAttributesCommand({
          QueueUrl: queueUrl,
          AttributeNames: ['ApproximateNumberOfMessages', 'ApproximateNumberOfMessagesNotVisible'],
        }),
      );
      expect(attributes.Attributes).toEqual({
        ApproximateNumberOfMessages: '0',
        ApproximateNumberOfMessagesNotVisible: '0',
      });

      await run({
        endpoint: 'sqs',
        cli: ['sqs', 'delete-queue', '--queue-url', queueUrl],
        sdk: () => sqs.send(new DeleteQueueCommand({ QueueUrl: queueUrl })),
      });
      const gone = await failure({
        endpoint: 'sqs',
        cli: ['sqs', 'get-queue-url', '--queue-name', name],
        sdk: () => sqs.send(new GetQueueUrlCommand({ QueueName: name })),
      });
      // The CLI prints the query-compatible code, the SDK names the JSON error shape.
      expect(['AWS.SimpleQueueService.NonExistentQueue', 'QueueDoesNotExist']).toContain(gone.code);
    }, 60_000);
  });

  describe('sns', () => {
    it('create-topic, list-topics, subscribe two queues (enveloped and raw), publish, delete-topic', async () => {
      const topic = await run({
        endpoint: 'sns',
        cli: ['sns', 'create-topic', '--name', `kumo-cli-topic-${suffix}`],
        sdk: () => sns.send(new CreateTopicCommand({ Name: `kumo-cli-topic-${suffix}` })),
      });
      const topicArn = topic.TopicArn ?? '';
      expect(topicArn).toBe(`arn:aws:sns:${region}:${account}:kumo-cli-topic-${suffix}`);
      const topics = await run({
        endpoint: 'sns',
        cli: ['sns', 'list-topics'],
        sdk: () => sns.send(new ListTopicsCommand({})),
      });
      expect(topics.Topics).toContainEqual({ TopicArn: topicArn });

      const queue = async (label: string) => {
        const { QueueUrl = '' } = await sqs.send(
          new CreateQueueCommand({ QueueName: `kumo-cli-${label}-${suffix}` }),
        );
        const { Attributes } = await sqs.send(
          new GetQueueAttributesCommand({ QueueUrl, AttributeNames: ['QueueArn'] }),
        );
        return { url: QueueUrl, arn: Attributes?.QueueArn ?? '' };
      };
      const enveloped = await queue('enveloped');
      const raw = await queue('raw');
      const subscribe = (endpoint: string, rawDelivery: boolean) =>
        run({
          endpoint: 'sns',
          cli: [
            'sns',
            'subscribe',
            '--topic-arn',
            topicArn,
            '--protocol',
            'sqs',
            '--notification-endpoint',
            endpoint,
            ...(rawDelivery ? ['--attributes', 'RawMessageDelivery=true'] : []),
          ],
          sdk: () =>
            sns.send(
              new SubscribeCommand({
                TopicArn: topicArn,
                Protocol: 'sqs',
                Endpoint: endpoint,
                ...(rawDelivery ? { Attributes: { RawMessageDelivery: 'true' } } : {}),
              }),
            ),
        });
      expect((await subscribe(enveloped.arn, false)).SubscriptionArn).toMatch(
        new RegExp(`^${topicArn}:[0-9a-f-]{36}$`),
      );
      expect((await subscribe(raw.arn, true)).SubscriptionArn).toMatch(
        new RegExp(`^${topicArn}:[0-9a-f-]{36}$`),
      );
      const subscriptions = await run({
        endpoint: 'sns',
        cli: ['sns', 'list-subscriptions-by-topic', '--topic-arn', topicArn],
        sdk: () => sns.send(new ListSubscriptionsByTopicCommand({ TopicArn: topicArn })),
      });
      expect(subscriptions.Subscriptions?.map((s) => [s.Protocol, s.Endpoint])).toEqual([
        ['sqs', enveloped.arn],
        ['sqs', raw.arn],
      ]);

      const published = await run({
        endpoint: 'sns',
        cli: [
          'sns',
          'publish',
          '--topic-arn',
          topicArn,
          '--subject',
          'Greeting',
          '--message',
          'hello subscribers',
          '--message-attributes',
          '{"kind":{"DataType":"String","StringValue":"demo"}}',
        ],
        sdk: () =>
          sns.send(
            new PublishCommand({
              TopicArn: topicArn,
              Subject: 'Greeting',
              Message: 'hello subscribers',
              MessageAttributes: { kind: { DataType: 'String', StringValue: 'demo' } },
            }),
          ),
      });
      expect(published.MessageId).toMatch(/^[0-9a-f-]{36}$/);

      const receive = (url: string) =>
        sqs.send(
          new ReceiveMessageCommand({ QueueUrl: url, WaitTimeSeconds: 5, MessageAttributeNames: ['All'] }),
        );
      const envelope = (await receive(enveloped.url)).Messages?.[0];
      expect(JSON.parse(envelope?.Body ?? '{}')).toMatchObject({
        Type: 'Notification',
        MessageId: published.MessageId,
        TopicArn: topicArn,
        Subject: 'Greeting',
        Message: 'hello subscribers',
        Timestamp: expect.stringMatching(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/),
        SignatureVersion: '1',
        MessageAttributes: { kind: { Type: 'String', Value: 'demo' } },
      });
      const rawMessage = (await receive(raw.url)).Messages?.[0];
      expect(rawMessage?.Body).toBe('hello subscribers');
      expect(rawMessage?.MessageAttributes).toEqual({ kind: { DataType: 'String', StringValue: 'demo' } });

      await run({
        endpoint: 'sns',
        cli: ['sns', 'delete-topic', '--topic-arn', topicArn],
        sdk: () => sns.send(new DeleteTopicCommand({ TopicArn: topicArn })),
      });
      const after = await sns.send(new ListTopicsCommand({}));
      expect(after.Topics).not.toContainEqual({ TopicArn: topicArn });
      for (const q of [enveloped, raw]) await sqs.send(new DeleteQueueCommand({ QueueUrl: q.url }));
    }, 60_000);
  });

  describe('ssm', () => {
    const prefix = `/kumo-cli-${suffix}`;

    it('put-parameter, get-parameter, describe-parameters (by name), delete-parameter', async () => {
      const put = (name: string, type: 'String' | 'SecureString', value: string) =>
        run({
          endpoint: 'ssm',
          cli: ['ssm', 'put-parameter', '--name', name, '--type', type, '--value', value],
          sdk: () => ssm.send(new PutParameterCommand({ Name: name, Type: type, Value: value })),
        });
      expect(await put(`${prefix}/plain`, 'String', 'one')).toEqual({ Version: 1, Tier: 'Standard' });
      expect(await put(`${prefix}/secret`, 'SecureString', 'two')).toEqual({ Version: 1, Tier: 'Standard' });

      const secret = await run({
        endpoint: 'ssm',
        cli: ['ssm', 'get-parameter', '--name', `${prefix}/secret`, '--with-decryption'],
        sdk: () => ssm.send(new GetParameterCommand({ Name: `${prefix}/secret`, WithDecryption: true })),
      });
      expect(secret.Parameter).toMatchObject({
        Name: `${prefix}/secret`,
        Type: 'SecureString',
        Value: 'two',
        Version: 1,
      });

      const described = await run({
        endpoint: 'ssm',
        cli: [
          'ssm',
          'describe-parameters',
          '--parameter-filters',
          `Key=Name,Option=BeginsWith,Values=${prefix}`,
        ],
        sdk: () =>
          ssm.send(
            new DescribeParametersCommand({
              ParameterFilters: [{ Key: 'Name', Option: 'BeginsWith', Values: [prefix] }],
            }),
          ),
      });
      expect(described.Parameters?.map((p) => [p.Name, p.Type, p.Version, p.Tier, p.DataType])).toEqual([
        [`${prefix}/plain`, 'String', 1, 'Standard', 'text'],
        [`${prefix}/secret`, 'SecureString', 1, 'Standard', 'text'],
      ]);
      expect(described.Parameters?.[1]).toMatchObject({
        KeyId: 'alias/aws/ssm',
        ARN: `arn:aws:ssm:${region}:${account}:parameter${prefix}/secret`,
      });
      const exact = await run({
        endpoint: 'ssm',
        cli: ['ssm', 'describe-parameters', '--filters', `Key=Name,Values=${prefix}/plain`],
        sdk: () =>
          ssm.send(
            new DescribeParametersCommand({ Filters: [{ Key: 'Name', Values: [`${prefix}/plain`] }] }),
          ),
      });
      expect(exact.Parameters?.map((p) => p.Name)).toEqual([`${prefix}/plain`]);

      for (const name of [`${prefix}/plain`, `${prefix}/secret`]) {
        await run({
          endpoint: 'ssm',
          cli: ['ssm', 'delete-parameter', '--name', name],
          sdk: () => ssm.send(new DeleteParameterCommand({ Name: name })),
        });
      }
      const gone = await failure({
        endpoint: 'ssm',
        cli: ['ssm', 'get-parameter', '--name', `${prefix}/plain`],
        sdk: () => ssm.send(new GetParameterCommand({ Name: `${prefix}/plain` })),
      });
      expect(gone.code).toBe('ParameterNotFound');
    }, 60_000);
  });

  describe('dynamodb', () => {
    const table = `kumo-cli-table-${suffix}`;

    it('list-tables, describe-table (the template SSE), create-table, put-item, get-item, delete-item, delete-table', async () => {
      const listed = await run({
        endpoint: 'dynamodb',
        cli: ['dynamodb', 'list-tables'],
        sdk: () => dynamodb.send(new ListTablesCommand({})),
      });
      const templateTable = cloud.model.tables[0]?.name ?? '';
      expect(listed.TableNames).toEqual(expect.arrayContaining(cloud.model.tables.map((t) => t.name)));

      const described = await run({
        endpoint: 'dynamodb',
        cli: ['dynamodb', 'describe-table', '--table-name', templateTable],
        sdk: () => dynamodb.send(new DescribeTableCommand({ TableName: templateTable })),
      });
      // template.yaml: SSESpecification.SSEEnabled true on every table (the AWS managed key).
      expect(described.Table?.SSEDescription).toEqual({
        Status: 'ENABLED',
        SSEType: 'KMS',
        KMSMasterKeyArn: expect.stringMatching(
          new RegExp(`^arn:aws:kms:${region}:${account}:key/[0-9a-f-]{36}$`),
        ),
      });

      const created = await run({
        endpoint: 'dynamodb',
        cli: [
          'dynamodb',
          'create-table',
          '--table-name',
          table,
          '--attribute-definitions',
          'AttributeName=id,AttributeType=S',
          '--key-schema',
          'AttributeName=id,KeyType=HASH',
          '--billing-mode',
          'PAY_PER_REQUEST',
        ],
        sdk: () =>
          dynamodb.send(
            new CreateTableCommand({
              TableName: table,
              AttributeDefinitions: [{ AttributeName: 'id', AttributeType: 'S' }],
              KeySchema: [{ AttributeName: 'id', KeyType: 'HASH' }],
              BillingMode: 'PAY_PER_REQUEST',
            }),
          ),
      });
      expect(created.TableDescription).toMatchObject({
        TableName: table,
        KeySchema: [{ AttributeName: 'id', KeyType: 'HASH' }],
        BillingModeSummary: { BillingMode: 'PAY_PER_REQUEST' },
      });
      const item = { id: { S: 'a' }, note: { S: 'from the cli' } };
      await run({
        endpoint: 'dynamodb',
        cli: ['dynamodb', 'put-item', '--table-name', table, '--item', JSON.stringify(item)],
        sdk: () => dynamodb.send(new PutItemCommand({ TableName: table, Item: item })),
      });
      const got = await run({
        endpoint: 'dynamodb',
        cli: ['dynamodb', 'get-item', '--table-name', table, '--key', '{"id":{"S":"a"}}'],
        sdk: () => dynamodb.send(new GetItemCommand({ TableName: table, Key: { id: { S: 'a' } } })),
      });
      expect(got.Item).toEqual(item);
      await run({
        endpoint: 'dynamodb',
        cli: ['dynamodb', 'delete-item', '--table-name', table, '--key', '{"id":{"S":"a"}}'],
        sdk: () => dynamodb.send(new DeleteItemCommand({ TableName: table, Key: { id: { S: 'a' } } })),
      });
      const deleted = await run({
        endpoint: 'dynamodb',
        cli: ['dynamodb', 'delete-table', '--table-name', table],
        sdk: () => dynamodb.send(new DeleteTableCommand({ TableName: table })),
      });
      expect(deleted.TableDescription?.TableName).toBe(table);
    }, 60_000);
  });

  describe('lambda', () => {
    it('list-functions lists the template functions; invoke runs one and answers its payload; an unknown name is ResourceNotFoundException', async () => {
      const lambda = new LambdaClient({ endpoint: services.lambda, region, credentials: DUMMY_CREDENTIALS });
      try {
        const listed = await run({
          endpoint: 'lambda',
          cli: ['lambda', 'list-functions'],
          sdk: () => lambda.send(new ListFunctionsCommand({})),
        });
        const names = (listed.Functions ?? []).map((fn) => fn.FunctionName);
        expect(names).toContain(`${cloud.model.stackName}-HealthApiFunction`);
        expect(listed.Functions?.[0]).toMatchObject({
          FunctionArn: expect.stringMatching(new RegExp(`^arn:aws:lambda:${region}:${account}:function:`)),
          Runtime: 'nodejs22.x',
        });
        const event = await readFile(path.join(repoRoot, 'events/health-api-list-monitors.json'), 'utf8');
        const outFile = path.join(driver.workDir, 'lambda-out.json');
        const invoked = await run({
          endpoint: 'lambda',
          // CLI v1 sends --payload as given (v2 would want --cli-binary-format raw-in-base64-out).
          cli: [
            'lambda',
            'invoke',
            '--function-name',
            `${cloud.model.stackName}-HealthApiFunction`,
            '--payload',
            event,
            outFile,
          ],
          parse: async (stdout) => ({ ...JSON.parse(stdout), Payload: await readFile(outFile, 'utf8') }),
          sdk: async () => {
            const out = await lambda.send(
              new InvokeCommand({
                FunctionName: `${cloud.model.stackName}-HealthApiFunction`,
                Payload: new TextEncoder().encode(event),
              }),
            );
            return { StatusCode: out.StatusCode, Payload: new TextDecoder().decode(out.Payload) };
          },
        });
        expect(invoked.StatusCode).toBe(200);
        expect(JSON.parse(invoked.Payload)).toMatchObject({ statusCode: 200 });
        const missing = await failure({
          endpoint: 'lambda',
          cli: ['lambda', 'invoke', '--function-name', 'no-such-function', outFile],
          sdk: () => lambda.send(new InvokeCommand({ FunctionName: 'no-such-function' })),
        });
        expect(missing.code).toBe('ResourceNotFoundException');
      } finally {
        lambda.destroy();
      }
    }, 60_000);
  });

  describe('kinesis and cognito-idp', () => {
    it('kinesis list-streams and cognito-idp list-user-pools list the template resources', async () => {
      const streams = await run({
        endpoint: 'kinesis',
        cli: ['kinesis', 'list-streams'],
        sdk: () => kinesis.send(new ListStreamsCommand({})),
      });
      expect(streams.StreamNames).toContain(`${cloud.model.stackName}-PostsStream`);
      const pools = await run({
        endpoint: 'cognito_identity_provider',
        cli: ['cognito-idp', 'list-user-pools', '--max-results', '10'],
        sdk: () => cognito.send(new ListUserPoolsCommand({ MaxResults: 10 })),
      });
      expect(pools.UserPools?.length).toBeGreaterThan(0);
      expect(pools.UserPools?.[0]).toMatchObject({
        Id: expect.stringMatching(new RegExp(`^${region}_\\w+$`)),
      });
    }, 30_000);
  });
});
