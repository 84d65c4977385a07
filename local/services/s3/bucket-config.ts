import type { Resolved } from '../../template/types.js';
import type { CorsRule } from './cors.js';
import { escapeXml } from './errors.js';

/** A default encryption rule of a bucket (`BucketEncryption.ServerSideEncryptionConfiguration[]`). */
export interface EncryptionRule {
  algorithm: 'AES256' | 'aws:kms' | 'aws:kms:dsse';
  kmsMasterKeyId?: string;
  bucketKeyEnabled: boolean;
}

/**
 * Since January 2023 every S3 bucket encrypts new objects with SSE-S3 unless told otherwise: what
 * GetBucketEncryption answers for a bucket that declares no `BucketEncryption`.
 */
export const DEFAULT_ENCRYPTION: readonly EncryptionRule[] = [
  { algorithm: 'AES256', bucketKeyEnabled: false },
];

const XMLNS = 'http://s3.amazonaws.com/doc/2006-03-01/';

function record(value: Resolved | undefined): Record<string, Resolved> {
  return typeof value === 'object' && value !== null && !Array.isArray(value) ? value : {};
}

/** The rules of an `AWS::S3::Bucket`'s `BucketEncryption`, or undefined when it declares none. */
export function encryptionRules(value: Resolved | undefined): EncryptionRule[] | undefined {
  const rules = record(value).ServerSideEncryptionConfiguration;
  if (!Array.isArray(rules) || rules.length === 0) return undefined;
  return rules.map((raw) => {
    const rule = record(raw);
    const byDefault = record(rule.ServerSideEncryptionByDefault);
    const algorithm =
      byDefault.SSEAlgorithm === 'aws:kms' || byDefault.SSEAlgorithm === 'aws:kms:dsse'
        ? byDefault.SSEAlgorithm
        : 'AES256';
    return {
      algorithm,
      ...(byDefault.KMSMasterKeyID === undefined ? {} : { kmsMasterKeyId: String(byDefault.KMSMasterKeyID) }),
      bucketKeyEnabled: rule.BucketKeyEnabled === true || rule.BucketKeyEnabled === 'true',
    };
  });
}

/** The GetBucketEncryption answer for these rules. */
export function encryptionXml(rules: readonly EncryptionRule[]): string {
  const body = rules
    .map((rule) => {
      const key =
        rule.kmsMasterKeyId === undefined
          ? ''
          : `<KMSMasterKeyID>${escapeXml(rule.kmsMasterKeyId)}</KMSMasterKeyID>`;
      return (
        `<Rule><ApplyServerSideEncryptionByDefault><SSEAlgorithm>${rule.algorithm}</SSEAlgorithm>${key}` +
        `</ApplyServerSideEncryptionByDefault><BucketKeyEnabled>${rule.bucketKeyEnabled}</BucketKeyEnabled></Rule>`
      );
    })
    .join('');
  return `<?xml version="1.0" encoding="UTF-8"?>\n<ServerSideEncryptionConfiguration xmlns="${XMLNS}">${body}</ServerSideEncryptionConfiguration>`;
}

/** The GetBucketCors answer for the bucket's rules (the ones the local S3 enforces). */
export function corsXml(rules: readonly CorsRule[]): string {
  const all = (tag: string, values: readonly string[]) =>
    values.map((value) => `<${tag}>${escapeXml(value)}</${tag}>`).join('');
  const body = rules
    .map(
      (rule) =>
        `<CORSRule>${all('AllowedHeader', rule.allowedHeaders)}${all('AllowedMethod', rule.allowedMethods)}` +
        `${all('AllowedOrigin', rule.allowedOrigins)}${all('ExposeHeader', rule.exposedHeaders)}` +
        `${rule.maxAge === undefined ? '' : `<MaxAgeSeconds>${rule.maxAge}</MaxAgeSeconds>`}</CORSRule>`,
    )
    .join('');
  return `<?xml version="1.0" encoding="UTF-8"?>\n<CORSConfiguration xmlns="${XMLNS}">${body}</CORSConfiguration>`;
}
