import { describe, expect, it } from 'vitest';
import { LOCAL_S3_CREDENTIAL } from '../../../local/services/s3/index.js';
import { SigV4Verifier } from '../../../local/services/s3/sigv4.js';

const NOW = new Date('2026-01-31T12:00:00Z');
const AMZ_DATE = '20260131T120000Z';

/** A header-signed request's headers, signed (or not) by `accessKeyId`: the signature is never valid. */
function headers(accessKeyId: string, amzDate = AMZ_DATE) {
  return {
    host: '127.0.0.1:4505',
    'x-amz-date': amzDate,
    'x-amz-content-sha256': 'UNSIGNED-PAYLOAD',
    authorization: `AWS4-HMAC-SHA256 Credential=${accessKeyId}/20260131/us-east-1/s3/aws4_request, SignedHeaders=host;x-amz-content-sha256;x-amz-date, Signature=${'0'.repeat(64)}`,
  };
}

const verifier = (anyHeaderKey: boolean) =>
  new SigV4Verifier([LOCAL_S3_CREDENTIAL], 'us-east-1', () => NOW, { anyHeaderKey });

describe('Class: SigV4Verifier', () => {
  it('accepts a header-signed request of any other key unverified, when asked to (the AWS CLI dummy keys)', () => {
    expect(verifier(true).verifyHeader('GET', '/bucket/key', headers('AKIAIOSFODNN7EXAMPLE'))).toEqual({
      accessKeyId: 'AKIAIOSFODNN7EXAMPLE',
      unverified: true,
    });
    expect(() => verifier(false).verifyHeader('GET', '/bucket/key', headers('AKIAIOSFODNN7EXAMPLE'))).toThrow(
      expect.objectContaining({ code: 'InvalidAccessKeyId' }),
    );
  });

  it('still checks the local key’s signature, and every key’s date and region', () => {
    expect(() =>
      verifier(true).verifyHeader('GET', '/bucket/key', headers(LOCAL_S3_CREDENTIAL.accessKeyId)),
    ).toThrow(expect.objectContaining({ code: 'SignatureDoesNotMatch' }));
    expect(() =>
      verifier(true).verifyHeader('GET', '/bucket/key', headers('AKIAIOSFODNN7EXAMPLE', '20260130T120000Z')),
    ).toThrow(expect.objectContaining({ code: 'RequestTimeTooSkewed' }));
    const otherRegion = headers('AKIAIOSFODNN7EXAMPLE');
    otherRegion.authorization = otherRegion.authorization.replace('us-east-1', 'eu-west-1');
    expect(() => verifier(true).verifyHeader('GET', '/bucket/key', otherRegion)).toThrow(
      expect.objectContaining({ code: 'AuthorizationHeaderMalformed' }),
    );
  });

  it('refuses a presigned URL of another key, with a hint where to read why', () => {
    const query = new URLSearchParams({
      'X-Amz-Algorithm': 'AWS4-HMAC-SHA256',
      'X-Amz-Credential': 'AKIAIOSFODNN7EXAMPLE/20260131/us-east-1/s3/aws4_request',
      'X-Amz-Date': AMZ_DATE,
      'X-Amz-Expires': '900',
      'X-Amz-SignedHeaders': 'host',
      'X-Amz-Signature': '0'.repeat(64),
    });
    expect(() =>
      verifier(true).verifyPresigned('GET', `/bucket/key?${query}`, { host: '127.0.0.1:4505' }),
    ).toThrow(
      expect.objectContaining({
        code: 'InvalidAccessKeyId',
        detail: expect.objectContaining({
          AWSAccessKeyId: 'AKIAIOSFODNN7EXAMPLE',
          LocalHint: expect.stringContaining('docs/local-cloud.md'),
        }),
      }),
    );
  });
});
