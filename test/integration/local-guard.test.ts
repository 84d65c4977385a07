/**
 * The local cloud cannot be driven by a web page (issue 9, part 7): every endpoint the cloud reports
 * refuses a DNS-rebinding Host and a foreign Origin, never answers `Access-Control-Allow-Origin: *`,
 * serves the web app's origin and the tools that send no Origin, and asks for the run's token on /_kumo.
 */
import { execFile } from 'node:child_process';
import { readFile, stat } from 'node:fs/promises';
import { type IncomingHttpHeaders, request } from 'node:http';
import path from 'node:path';
import { promisify } from 'node:util';
import { CloudWatchClient, ListMetricsCommand } from '@aws-sdk/client-cloudwatch';
import {
  CognitoIdentityProviderClient,
  ListUserPoolsCommand,
} from '@aws-sdk/client-cognito-identity-provider';
import { DynamoDBClient, ListTablesCommand } from '@aws-sdk/client-dynamodb';
import { KinesisClient, ListStreamsCommand } from '@aws-sdk/client-kinesis';
import { GetObjectCommand, ListBucketsCommand, PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { ListTopicsCommand, SNSClient } from '@aws-sdk/client-sns';
import { ListQueuesCommand, SQSClient } from '@aws-sdk/client-sqs';
import { GetParameterCommand, SSMClient } from '@aws-sdk/client-ssm';
import { getSignedUrl } from '@aws-sdk/s3-request-presigner';
import { NodeHttpHandler } from '@smithy/node-http-handler';
import type { MetadataBearer, MiddlewareStack } from '@smithy/types';
import { beforeAll, describe, expect, it } from 'vitest';
import { LOCAL_CREDENTIALS } from '../../local/runner/index.js';
import { type PhotoCloud, photoCloud, type TestUser } from '../helpers/photo-cloud.js';
import { type SharedCloud, sharedCloud } from '../helpers/shared-cloud.js';

const run = promisify(execFile);
const region = 'us-east-1';
const credentials = {
  accessKeyId: LOCAL_CREDENTIALS.AWS_ACCESS_KEY_ID,
  secretAccessKey: LOCAL_CREDENTIALS.AWS_SECRET_ACCESS_KEY,
};
const EVIL = 'https://evil.example';
const GUARD_CODES = /ForbiddenHost|ForbiddenOrigin|KumoToken/;

let cloud: SharedCloud;
let webOrigin: string;
/** Every endpoint the cloud reports: web, api, x and each service. */
let endpoints: [string, string][];
/** Every answer any test saw, to check at the end that none said `*`. */
const seen: { what: string; allowOrigin: string | string[] | undefined }[] = [];

interface Answer {
  status: number;
  headers: IncomingHttpHeaders;
  body: string;
}

/** A raw HTTP request (fetch cannot set Host, which is what a rebinding browser sends). */
function send(
  url: string,
  options: { method?: string; path?: string; headers?: Record<string, string>; body?: string } = {},
): Promise<Answer> {
  const target = new URL(options.path ?? '/', url);
  return new Promise((resolve, reject) => {
    const call = request(
      {
        host: target.hostname,
        port: target.port,
        path: `${target.pathname}${target.search}`,
        method: options.method ?? 'GET',
        headers: options.headers,
      },
      (res) => {
        let body = '';
        res.setEncoding('utf8').on('data', (chunk: string) => {
          body += chunk;
        });
        res.on('end', () => {
          seen.push({
            what: `${options.method ?? 'GET'} ${target.href}`,
            allowOrigin: res.headers['access-control-allow-origin'],
          });
          resolve({ status: res.statusCode ?? 0, headers: res.headers, body });
        });
      },
    );
    call.on('error', reject);
    call.end(options.body);
  });
}

/** Makes every request of an SDK client say `Host: <host>`, after signing, as a rebinding page's would. */
function withHost<C extends { middlewareStack: unknown }>(client: C, host: string): C {
  (client.middlewareStack as MiddlewareStack<object, MetadataBearer>).add(
    (next) => async (args) => {
      (args.request as { headers: Record<string, string> }).headers.host = host;
      return next(args);
    },
    { step: 'deserialize', name: 'rebindingHost' },
  );
  return client;
}

beforeAll(async () => {
  cloud = await sharedCloud();
  webOrigin = new URL(cloud.endpoints.web as string).origin;
  endpoints = [
    ['web', cloud.endpoints.web as string],
    ['api', cloud.endpoints.api as string],
    ...(cloud.endpoints.x ? [['x', cloud.endpoints.x] as [string, string]] : []),
    ...Object.entries(cloud.endpoints.services),
  ];
}, 120_000);

describe('every local endpoint', () => {
  it('reports at least the web server, the API, the X API and every AWS service', () => {
    expect(endpoints.map(([key]) => key)).toEqual(
      expect.arrayContaining(['web', 'api', 'x', 'dynamodb', 'kinesis', 'sqs', 'ssm', 'sns', 'cloudwatch']),
    );
    expect(endpoints.map(([key]) => key)).toEqual(
      expect.arrayContaining(['s3', 'cognito_identity_provider', 'rekognition']),
    );
  });

  it('refuses a DNS-rebinding Host with 403 and a one-line error in its own style', async () => {
    for (const [key, url] of endpoints) {
      const { port } = new URL(url);
      for (const host of [`evil.example:${port}`, `evil.localhost:${port}`, `127.0.0.1.nip.io:${port}`]) {
        const answer = await send(url, { headers: { Host: host, Origin: `http://${host}` } });
        expect(answer.status, `${key} ${host}`).toBe(403);
        expect(answer.body.trim().split('\n'), `${key}: ${answer.body}`).toHaveLength(1);
        expect(answer.body, key).toMatch(/ForbiddenHost/);
        expect(answer.headers['access-control-allow-origin'], key).toBeUndefined();
        const type = String(answer.headers['content-type']);
        if (key === 's3') expect(answer.body).toContain('<Code>AccessDenied</Code>');
        else if (['web', 'api', 'x'].includes(key))
          expect(JSON.parse(answer.body)).toMatchObject({ code: 'ForbiddenHost' });
        else expect(type, key).toMatch(/xml|json|cbor/);
      }
      // The right name on the wrong port is another endpoint's name: refused as well.
      const wrongPort = await send(url, { headers: { Host: `127.0.0.1:${Number(port) + 1000}` } });
      expect(wrongPort.status, key).toBe(403);
    }
  });

  it('refuses a foreign Origin, its preflight too, and never answers it with CORS headers', async () => {
    for (const [key, url] of endpoints) {
      const simple = await send(url, { headers: { Origin: EVIL } });
      expect(simple.status, key).toBe(403);
      expect(simple.body, key).toMatch(/ForbiddenOrigin/);
      const preflight = await send(url, {
        method: 'OPTIONS',
        headers: {
          Origin: EVIL,
          'Access-Control-Request-Method': 'POST',
          'Access-Control-Request-Headers': 'content-type',
        },
      });
      expect(preflight.status, key).toBe(403);
      for (const answer of [simple, preflight]) {
        expect(answer.headers['access-control-allow-origin'], key).toBeUndefined();
        expect(answer.headers['access-control-allow-methods'], key).toBeUndefined();
      }
      // A cross-site <img> sends no Origin: its Sec-Fetch-Site and Referer give it away.
      const image = await send(url, {
        headers: { 'Sec-Fetch-Site': 'cross-site', 'Sec-Fetch-Mode': 'no-cors', Referer: `${EVIL}/` },
      });
      expect(image.status, key).toBe(403);
      // A link opens the web app, the API and the X API (their GETs change nothing), never an AWS
      // endpoint, whose query protocol acts on a GET (`?Action=Publish`).
      const link = await send(url, {
        path: '/?Action=ListTopics',
        headers: { 'Sec-Fetch-Site': 'cross-site', 'Sec-Fetch-Mode': 'navigate' },
      });
      if (['web', 'api', 'x'].includes(key)) expect(link.body, key).not.toMatch(GUARD_CODES);
      else expect(link.status, key).toBe(403);
    }
  });

  it("answers the web app's origin and a request without Origin alike, past the guard", async () => {
    for (const [key, url] of endpoints) {
      const tool = await send(url);
      const web = await send(url, { headers: { Origin: webOrigin } });
      for (const answer of [tool, web]) expect(answer.body, key).not.toMatch(GUARD_CODES);
      expect(web.status, key).toBe(tool.status);
      // The web app's page loads (images, links) show its Referer.
      const image = await send(url, {
        headers: { 'Sec-Fetch-Site': 'same-site', Referer: `${webOrigin}/photos` },
      });
      expect(image.body, key).not.toMatch(GUARD_CODES);
    }
  });

  it('asks for the run token on /_kumo/* (401 without, 403 wrong), whatever the Origin; the API has no /_kumo', async () => {
    for (const [key, url] of endpoints) {
      const without = await send(url, { path: '/_kumo/endpoints' });
      if (key === 'api') {
        expect(without.status).toBe(404);
        continue;
      }
      expect(without.status, key).toBe(401);
      expect(JSON.parse(without.body), key).toMatchObject({ code: 'KumoTokenRequired' });
      const wrong = await send(url, {
        path: '/_kumo/endpoints',
        headers: { 'X-Kumo-Token': 'x'.repeat(43) },
      });
      expect(wrong.status, key).toBe(403);
      expect(JSON.parse(wrong.body), key).toMatchObject({ code: 'KumoTokenInvalid' });
      // The token does not open the door to another site.
      const stolen = await send(url, {
        path: '/_kumo/endpoints',
        headers: { 'X-Kumo-Token': cloud.token, Origin: EVIL },
      });
      expect(stolen.status, key).toBe(403);
      const right = await send(url, { path: '/_kumo/endpoints', headers: { 'X-Kumo-Token': cloud.token } });
      expect(right.body, key).not.toMatch(GUARD_CODES);
    }
  });
});

describe('the /_kumo routes', () => {
  const routes = (): [string, string][] => [
    [cloud.endpoints.web as string, '/_kumo/endpoints'],
    [cloud.endpoints.web as string, '/_kumo/traces'],
    [cloud.endpoints.services.cognito_identity_provider as string, '/_kumo/codes'],
    [cloud.endpoints.services.sns as string, '/_kumo/deliveries'],
    [cloud.endpoints.x as string, '/_kumo/x/stats'],
  ];

  it('answer with the token, from a tool or from the web app (with CORS for it), and not without', async () => {
    for (const [url, route] of routes()) {
      expect((await send(url, { path: route })).status, route).toBe(401);
      const tool = await send(url, { path: route, headers: { 'X-Kumo-Token': cloud.token } });
      expect(tool.status, route).toBe(200);
      JSON.parse(tool.body);
      const web = await send(url, {
        path: route,
        headers: { 'X-Kumo-Token': cloud.token, Origin: webOrigin },
      });
      expect(web.status, route).toBe(200);
      expect(web.headers['access-control-allow-origin'], route).toBe(webOrigin);
      // The web app's preflight (its token is a custom header) is answered without the token.
      const preflight = await send(url, {
        method: 'OPTIONS',
        path: route,
        headers: {
          Origin: webOrigin,
          'Access-Control-Request-Method': 'GET',
          'Access-Control-Request-Headers': 'x-kumo-token',
        },
      });
      expect(preflight.status, route).toBe(204);
      expect(preflight.headers['access-control-allow-origin'], route).toBe(webOrigin);
      expect(String(preflight.headers['access-control-allow-headers']), route).toContain('x-kumo-token');
    }
  });

  it('the web app opened as localhost moves to the printed address (the origin WebOrigin names)', async () => {
    const web = cloud.endpoints.web as string;
    const { port } = new URL(web);
    const moved = await send(web, { path: '/photos?mine=true', headers: { Host: `localhost:${port}` } });
    expect(moved.status).toBe(308);
    expect(moved.headers.location).toBe(`${web}/photos?mine=true`);
    const health = await send(web, { path: '/_kumo/health', headers: { Host: `localhost:${port}` } });
    expect(health.status).toBe(200);
  });

  it('/_kumo/health stays open for the CLI and says only that the cloud runs', async () => {
    const health = await send(cloud.endpoints.web as string, { path: '/_kumo/health' });
    expect(health.status).toBe(200);
    expect(Object.keys(JSON.parse(health.body)).sort()).toEqual(['status', 'uptimeSeconds', 'web']);
  });

  it('the token is fresh, in the web app config, and in .kumo/endpoints.json for this user only', async () => {
    expect(cloud.token).toMatch(/^[A-Za-z0-9_-]{43}$/);
    const config = JSON.parse((await send(cloud.endpoints.web as string, { path: '/config.json' })).body);
    expect(config.kumoToken).toBe(cloud.token);
    // Another site cannot read the config that holds it.
    expect(
      (await send(cloud.endpoints.web as string, { path: '/config.json', headers: { Origin: EVIL } })).status,
    ).toBe(403);
    const file = path.join(cloud.dataDir, 'endpoints.json');
    expect(JSON.parse(await readFile(file, 'utf8'))).toMatchObject({
      token: cloud.token,
      web: cloud.endpoints.web,
    });
    expect((await stat(file)).mode & 0o777).toBe(0o600);
  });
});

describe('tools and SDKs', () => {
  const clients = () => {
    const s = cloud.endpoints.services;
    const options = (endpoint: string | undefined) => ({ region, credentials, endpoint, maxAttempts: 1 });
    return {
      dynamodb: [new DynamoDBClient(options(s.dynamodb)), new ListTablesCommand({})],
      sqs: [new SQSClient(options(s.sqs)), new ListQueuesCommand({})],
      sns: [new SNSClient(options(s.sns)), new ListTopicsCommand({})],
      cloudwatch: [new CloudWatchClient(options(s.cloudwatch)), new ListMetricsCommand({})],
      // HTTP/1.1 as the repository's Kinesis clients use it (the default HTTP/2 handler sends no Host).
      kinesis: [
        new KinesisClient({ ...options(s.kinesis), requestHandler: new NodeHttpHandler() }),
        new ListStreamsCommand({}),
      ],
      ssm: [new SSMClient(options(s.ssm)), new GetParameterCommand({ Name: '/kumo/local/x-bearer-token' })],
      s3: [new S3Client({ ...options(s.s3), forcePathStyle: true }), new ListBucketsCommand({})],
    } as const;
  };

  it('the real SDK clients work as before, and get a 403 AccessDenied through a rebinding name', async () => {
    for (const [name, [client, command]] of Object.entries(clients())) {
      const sdk = client as unknown as {
        send(c: unknown): Promise<{ $metadata: { httpStatusCode?: number } }>;
      };
      const ok = await sdk.send(command);
      expect(ok.$metadata.httpStatusCode, name).toBe(200);
      const port = new URL(String(cloud.endpoints.services[name])).port;
      withHost(client, `evil.example:${port}`);
      const refused = await sdk.send(command).then(
        () => undefined,
        (error: { name: string; $metadata?: { httpStatusCode?: number } }) => error,
      );
      expect(refused?.$metadata?.httpStatusCode, name).toBe(403);
      expect(refused?.name, name).toMatch(/AccessDenied/);
      (client as { destroy(): void }).destroy();
    }
  });

  it('the AWS CLI (v1) lists DynamoDB tables and S3 buckets as before', async () => {
    const env = {
      ...process.env,
      AWS_ACCESS_KEY_ID: credentials.accessKeyId,
      AWS_SECRET_ACCESS_KEY: credentials.secretAccessKey,
      AWS_DEFAULT_REGION: region,
      AWS_CONFIG_FILE: '/dev/null',
      AWS_SHARED_CREDENTIALS_FILE: '/dev/null',
    };
    const tables = await run(
      'aws',
      ['--endpoint-url', String(cloud.endpoints.services.dynamodb), 'dynamodb', 'list-tables'],
      { env },
    );
    expect(JSON.parse(tables.stdout).TableNames).toContain('kumo-local-MonitorsTable');
    const buckets = await run('aws', ['--endpoint-url', String(cloud.endpoints.services.s3), 's3', 'ls'], {
      env,
    });
    expect(buckets.stdout).toMatch(/photos/);
  }, 60_000);
});

describe('what the web app does from its origin', () => {
  let photos: PhotoCloud;
  let user: TestUser;

  beforeAll(async () => {
    photos = photoCloud(cloud, cloud.dataDir);
    user = await photos.signUp('guard');
  });

  it('signs in with Cognito (preflight and call), with CORS for the web app only', async () => {
    const cognito = cloud.endpoints.services.cognito_identity_provider as string;
    const preflight = await send(cognito, {
      method: 'OPTIONS',
      headers: {
        Origin: webOrigin,
        'Access-Control-Request-Method': 'POST',
        'Access-Control-Request-Headers': 'content-type,x-amz-target,x-amz-user-agent',
      },
    });
    expect(preflight.status).toBeLessThan(300);
    expect(preflight.headers['access-control-allow-origin']).toBe(webOrigin);
    const signIn = await send(cognito, {
      method: 'POST',
      headers: {
        Origin: webOrigin,
        'Content-Type': 'application/x-amz-json-1.1',
        'X-Amz-Target': 'AWSCognitoIdentityProviderService.InitiateAuth',
      },
      body: JSON.stringify({
        ClientId: photos.clientId,
        AuthFlow: 'USER_PASSWORD_AUTH',
        AuthParameters: { USERNAME: user.email, PASSWORD: 'wrong-Password-1' },
      }),
    });
    // The wrong password is Cognito's answer, readable by the web app: the guard let it through.
    expect(signIn.status).toBe(400);
    expect(signIn.body).toContain('NotAuthorizedException');
    expect(signIn.headers['access-control-allow-origin']).toBe(webOrigin);
    const pools = withHost(
      new CognitoIdentityProviderClient({ region, credentials, endpoint: cognito, maxAttempts: 1 }),
      `evil.example:${new URL(cognito).port}`,
    );
    await expect(pools.send(new ListUserPoolsCommand({ MaxResults: 10 }))).rejects.toMatchObject({
      $metadata: { httpStatusCode: 403 },
    });
  });

  it('calls the API and uploads to S3 with a presigned POST, then reads it with a presigned GET', async () => {
    const api = cloud.endpoints.api as string;
    const preflight = await send(api, {
      method: 'OPTIONS',
      path: '/photos',
      headers: {
        Origin: webOrigin,
        'Access-Control-Request-Method': 'POST',
        'Access-Control-Request-Headers': 'authorization,content-type',
      },
    });
    expect(preflight.status).toBe(200);
    expect(preflight.headers['access-control-allow-origin']).toBe(webOrigin);
    const bytes = await readFile(path.resolve(import.meta.dirname, '../fixtures/images/astronaut.jpg'));
    const created = await send(api, {
      method: 'POST',
      path: '/photos',
      headers: { Origin: webOrigin, Authorization: user.idToken, 'Content-Type': 'application/json' },
      body: JSON.stringify({ contentType: 'image/jpeg', size: bytes.length, fileName: 'guard.jpg' }),
    });
    expect(created.status, created.body).toBe(201);
    // The function says `*`; the local cloud lets only the web app's origin out.
    expect(created.headers['access-control-allow-origin']).toBe(webOrigin);
    const { upload } = JSON.parse(created.body) as {
      upload: { url: string; fields: Record<string, string> };
    };

    const form = new FormData();
    for (const [key, value] of Object.entries(upload.fields)) form.append(key, value);
    form.append('file', new Blob([bytes], { type: 'image/jpeg' }), 'guard.jpg');
    const posted = await fetch(upload.url, { method: 'POST', body: form, headers: { Origin: webOrigin } });
    expect(posted.status, await posted.text()).toBe(204);
    expect(posted.headers.get('access-control-allow-origin')).toBe(webOrigin);
    // The whole photo again: the guard reads a refused body before it answers and closes the connection
    // (answering under a client still sending once ended in EPIPE instead of the 403).
    const refused = await fetch(upload.url, { method: 'POST', body: form, headers: { Origin: EVIL } });
    expect(refused.status).toBe(403);
    expect(refused.headers.get('access-control-allow-origin')).toBeNull();

    await photos.s3.send(
      new PutObjectCommand({
        Bucket: photos.bucket,
        Key: 'guard/probe.txt',
        Body: 'probe',
        ContentType: 'text/plain',
      }),
    );
    const url = await getSignedUrl(
      photos.s3,
      new GetObjectCommand({ Bucket: photos.bucket, Key: 'guard/probe.txt' }),
      {
        expiresIn: 60,
      },
    );
    const read = await send(url, { path: url, headers: { Origin: webOrigin } });
    expect(read.body).toBe('probe');
    expect(read.headers['access-control-allow-origin']).toBe(webOrigin);
    // As an <img> of the web app (no Origin, its Referer) and of another site.
    const image = await send(url, {
      path: url,
      headers: { 'Sec-Fetch-Site': 'same-site', Referer: `${webOrigin}/` },
    });
    expect(image.status).toBe(200);
    const elsewhere = await send(url, {
      path: url,
      headers: { 'Sec-Fetch-Site': 'cross-site', Referer: `${EVIL}/` },
    });
    expect(elsewhere.status).toBe(403);
  });
});

describe('all the answers above', () => {
  it('never said Access-Control-Allow-Origin: *, nor any origin but the web app’s', () => {
    expect(seen.length).toBeGreaterThan(100);
    for (const { what, allowOrigin } of seen) {
      if (allowOrigin === undefined) continue;
      expect(allowOrigin, what).not.toBe('*');
      expect([webOrigin], what).toContain(allowOrigin);
    }
  });
});
