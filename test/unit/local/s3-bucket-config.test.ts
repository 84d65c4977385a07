import { describe, expect, it } from 'vitest';
import { corsXml, encryptionRules, encryptionXml } from '../../../local/services/s3/bucket-config.js';

describe('Function: encryptionRules()', () => {
  it('reads BucketEncryption: SSE-S3, or a KMS key with the bucket key', () => {
    expect(
      encryptionRules({
        ServerSideEncryptionConfiguration: [{ ServerSideEncryptionByDefault: { SSEAlgorithm: 'AES256' } }],
      }),
    ).toEqual([{ algorithm: 'AES256', bucketKeyEnabled: false }]);
    expect(
      encryptionRules({
        ServerSideEncryptionConfiguration: [
          {
            ServerSideEncryptionByDefault: { SSEAlgorithm: 'aws:kms', KMSMasterKeyID: 'alias/photos' },
            BucketKeyEnabled: true,
          },
        ],
      }),
    ).toEqual([{ algorithm: 'aws:kms', kmsMasterKeyId: 'alias/photos', bucketKeyEnabled: true }]);
  });

  it('is undefined without BucketEncryption (the caller answers S3’s default)', () => {
    expect(encryptionRules(undefined)).toBeUndefined();
    expect(encryptionRules({ ServerSideEncryptionConfiguration: [] })).toBeUndefined();
  });
});

describe('Function: encryptionXml() and corsXml()', () => {
  it('write the GetBucketEncryption and GetBucketCors documents, escaped', () => {
    expect(
      encryptionXml([{ algorithm: 'aws:kms', kmsMasterKeyId: 'alias/a&b', bucketKeyEnabled: true }]),
    ).toBe(
      '<?xml version="1.0" encoding="UTF-8"?>\n<ServerSideEncryptionConfiguration xmlns="http://s3.amazonaws.com/doc/2006-03-01/">' +
        '<Rule><ApplyServerSideEncryptionByDefault><SSEAlgorithm>aws:kms</SSEAlgorithm><KMSMasterKeyID>alias/a&amp;b</KMSMasterKeyID>' +
        '</ApplyServerSideEncryptionByDefault><BucketKeyEnabled>true</BucketKeyEnabled></Rule></ServerSideEncryptionConfiguration>',
    );
    expect(
      corsXml([
        {
          allowedOrigins: ['http://127.0.0.1:4500'],
          allowedMethods: ['GET', 'POST'],
          allowedHeaders: ['*'],
          exposedHeaders: ['ETag'],
          maxAge: 3000,
        },
      ]),
    ).toBe(
      '<?xml version="1.0" encoding="UTF-8"?>\n<CORSConfiguration xmlns="http://s3.amazonaws.com/doc/2006-03-01/"><CORSRule>' +
        '<AllowedHeader>*</AllowedHeader><AllowedMethod>GET</AllowedMethod><AllowedMethod>POST</AllowedMethod>' +
        '<AllowedOrigin>http://127.0.0.1:4500</AllowedOrigin><ExposeHeader>ETag</ExposeHeader><MaxAgeSeconds>3000</MaxAgeSeconds>' +
        '</CORSRule></CORSConfiguration>',
    );
  });
});
