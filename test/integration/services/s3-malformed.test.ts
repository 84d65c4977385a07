import http from 'node:http';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { LOCAL_CREDENTIALS } from '../../../local/runner/lambda-env.js';
import { createS3Service, type S3Service } from '../../../local/services/s3/index.js';
import { fixtureModel, tempDataRoot, testContext } from '../../helpers/service-context.js';

/** How a junk request is signed: not at all, with a dummy key (checked for all but the signature), with the local key but a wrong signature. */
type Auth = 'anonymous' | 'dummy' | 'local';

interface Answer {
  status: number;
  body: string;
}

/** Sends a raw request target, unnormalised (fetch would resolve `..` and re-encode `%`). */
function send(base: string, method: string, target: string, auth: Auth): Promise<Answer> {
  const url = new URL(base);
  const now = new Date();
  const amzDate = now
    .toISOString()
    .replace(/[-:]/g, '')
    .replace(/\.\d{3}/, '');
  const day = amzDate.slice(0, 8);
  const key = auth === 'local' ? LOCAL_CREDENTIALS.AWS_ACCESS_KEY_ID : 'AKIAIOSFODNN7EXAMPLE';
  const headers: Record<string, string> =
    auth === 'anonymous'
      ? {}
      : {
          authorization:
            `AWS4-HMAC-SHA256 Credential=${key}/${day}/us-east-1/s3/aws4_request, ` +
            `SignedHeaders=host;x-amz-content-sha256;x-amz-date, Signature=${'0'.repeat(64)}`,
          'x-amz-date': amzDate,
          'x-amz-content-sha256': 'UNSIGNED-PAYLOAD',
          ...(auth === 'local' ? { 'x-amz-security-token': LOCAL_CREDENTIALS.AWS_SESSION_TOKEN } : {}),
        };
  return new Promise((resolve, reject) => {
    const req = http.request(
      {
        host: url.hostname,
        port: url.port,
        method,
        path: target,
        headers: { ...headers, 'content-length': '0' },
      },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (chunk: Buffer) => chunks.push(chunk));
        res.on('end', () =>
          resolve({ status: res.statusCode ?? 0, body: Buffer.concat(chunks).toString('utf8') }),
        );
      },
    );
    req.on('error', reject);
    req.end();
  });
}

/** What is wrong with an answer S3 could not give (a 5xx, a 4xx without S3's `<Error>`, a stack trace). */
function unlikeS3(answer: Answer, method: string): string | undefined {
  // 501 NotImplemented is S3's own answer to what a bucket does not support.
  if (
    answer.status >= 500 &&
    !(answer.status === 501 && (method === 'HEAD' || answer.body.includes('<Code>NotImplemented</Code>')))
  )
    return `${answer.status} ${answer.body}`;
  if (/ at .*\.(ts|js):\d+/.test(answer.body)) return `a stack trace: ${answer.body}`;
  if (answer.status >= 400 && method !== 'HEAD' && !/<Error><Code>[A-Za-z]+<\/Code>/.test(answer.body))
    return `${answer.status} without an S3 error: ${answer.body}`;
  return undefined;
}

describe('Service: s3 (malformed paths)', () => {
  let service: S3Service;
  let bucket: string;

  beforeAll(async () => {
    const model = await fixtureModel('s3.yaml');
    const { ctx } = testContext(model, await tempDataRoot(), { fresh: true });
    service = (await createS3Service().start(ctx)) as S3Service;
    bucket = service.buckets.UploadsBucket as string;
  });

  afterAll(async () => {
    await service.stop();
  });

  it('answers GET /% with 400 InvalidURI, as S3 does, however the request is signed', async () => {
    for (const auth of ['anonymous', 'dummy', 'local'] as const) {
      const answer = await send(service.url, 'GET', '/%', auth);
      expect(answer.status, auth).toBe(400);
      expect(answer.body).toContain(
        '<Code>InvalidURI</Code><Message>Couldn&apos;t parse the specified URI.</Message>',
      );
    }
  });

  it('answers a table of junk paths with a 4xx S3 error or a normal answer, never a 5xx', async () => {
    const b = () => bucket;
    const paths = [
      '/%',
      '/%%',
      '/%zz',
      '/%E0%A4%A',
      '/%C0%AF',
      '/%FF',
      `/${b()}/%`,
      `/${b()}/a%2`,
      `/${b()}/%ED%A0%80`,
      `/${b()}/a%00b`,
      '/%00',
      `/${b()}/a//b`,
      `/${b()}/${'k'.repeat(300)}/x`,
      `/${b()}/${encodeURIComponent('é'.repeat(600))}`,
      '//',
      '///x',
      `/${b()}//x`,
      `/${b()}/../x`,
      `/${b()}/./x`,
      `/${b()}/${'k'.repeat(1100)}`,
      `/${'b'.repeat(300)}`,
      '/NOT_A_VALID_BUCKET!',
      `/${b()}?%`,
      `/${b()}?cors&%zz`,
      `/${b()}?lifecycle=%`,
      `/${b()}/x?uploadId=%`,
      `/${b()}/x?partNumber=-1&uploadId=zz`,
      `/${b()}?list-type=2&max-keys=-5`,
      `/${b()}?list-type=2&continuation-token=%`,
      `/${b()}?delete`,
      '/?%',
      '/*',
      'http://[oops/x',
      'http://localhost/%',
      '*',
    ];
    const wrong: string[] = [];
    for (const path of paths) {
      for (const method of ['GET', 'HEAD', 'PUT', 'DELETE', 'POST']) {
        for (const auth of ['anonymous', 'dummy', 'local'] as const) {
          const problem = unlikeS3(await send(service.url, method, path, auth), method);
          if (problem) wrong.push(`${method} ${path} (${auth}): ${problem}`);
        }
      }
    }
    expect(wrong).toEqual([]);
  });

  it('never answers a generated path with a 5xx (fast-check)', async () => {
    const segment = fc.stringMatching(
      /^(?:[A-Za-z0-9._~!$&'()*+,;=:@-]|%[0-9A-Fa-f]{0,2}|%[G-Zg-z]{2}|\.\.)*$/,
    );
    await fc.assert(
      fc.asyncProperty(
        fc.array(segment, { minLength: 1, maxLength: 4 }),
        fc.boolean(),
        fc.constantFrom('GET', 'HEAD', 'PUT', 'DELETE'),
        fc.constantFrom<Auth>('anonymous', 'dummy'),
        async (segments, inBucket, method, auth) => {
          const path = `/${[...(inBucket ? [bucket] : []), ...segments].join('/')}`;
          expect(
            unlikeS3(await send(service.url, method, path, auth), method),
            `${method} ${path}`,
          ).toBeUndefined();
        },
      ),
      { numRuns: 150 },
    );
  });
});
