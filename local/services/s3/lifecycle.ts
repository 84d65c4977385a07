import type { Resolved } from '../../template/types.js';
import { escapeXml } from './errors.js';

/** A lifecycle rule of the template (`LifecycleConfiguration.Rules`), as far as S3 reports it back. */
export interface LifecycleRule {
  id?: string;
  status: 'Enabled' | 'Disabled';
  prefix?: string;
  expirationInDays?: number;
  abortIncompleteMultipartUploadDays?: number;
  noncurrentVersionExpirationInDays?: number;
}

function record(value: Resolved | undefined): Record<string, Resolved> {
  return typeof value === 'object' && value !== null && !Array.isArray(value) ? value : {};
}

function days(value: Resolved | undefined): number | undefined {
  const n = Number(value);
  return value === undefined || !Number.isInteger(n) ? undefined : n;
}

/** The rules of an `AWS::S3::Bucket`'s `LifecycleConfiguration`, or undefined when it has none. */
export function lifecycleRules(value: Resolved | undefined): LifecycleRule[] | undefined {
  const rules = record(value).Rules;
  if (!Array.isArray(rules) || rules.length === 0) return undefined;
  return rules.map((raw) => {
    const rule = record(raw);
    const prefix = rule.Prefix ?? record(rule.Filter).Prefix;
    const parsed: LifecycleRule = { status: rule.Status === 'Disabled' ? 'Disabled' : 'Enabled' };
    if (rule.Id !== undefined) parsed.id = String(rule.Id);
    if (prefix !== undefined) parsed.prefix = String(prefix);
    const expiration = days(rule.ExpirationInDays);
    if (expiration !== undefined) parsed.expirationInDays = expiration;
    const abort = days(record(rule.AbortIncompleteMultipartUpload).DaysAfterInitiation);
    if (abort !== undefined) parsed.abortIncompleteMultipartUploadDays = abort;
    const noncurrent = days(
      record(rule.NoncurrentVersionExpiration).NoncurrentDays ?? rule.NoncurrentVersionExpirationInDays,
    );
    if (noncurrent !== undefined) parsed.noncurrentVersionExpirationInDays = noncurrent;
    return parsed;
  });
}

/** The GetBucketLifecycleConfiguration answer for these rules. */
export function lifecycleXml(rules: readonly LifecycleRule[]): string {
  const body = rules
    .map((rule) => {
      const parts = [
        rule.id === undefined ? '' : `<ID>${escapeXml(rule.id)}</ID>`,
        `<Filter>${rule.prefix === undefined ? '' : `<Prefix>${escapeXml(rule.prefix)}</Prefix>`}</Filter>`,
        `<Status>${rule.status}</Status>`,
        rule.expirationInDays === undefined
          ? ''
          : `<Expiration><Days>${rule.expirationInDays}</Days></Expiration>`,
        rule.noncurrentVersionExpirationInDays === undefined
          ? ''
          : `<NoncurrentVersionExpiration><NoncurrentDays>${rule.noncurrentVersionExpirationInDays}</NoncurrentDays></NoncurrentVersionExpiration>`,
        rule.abortIncompleteMultipartUploadDays === undefined
          ? ''
          : `<AbortIncompleteMultipartUpload><DaysAfterInitiation>${rule.abortIncompleteMultipartUploadDays}</DaysAfterInitiation></AbortIncompleteMultipartUpload>`,
      ];
      return `<Rule>${parts.join('')}</Rule>`;
    })
    .join('');
  return `<?xml version="1.0" encoding="UTF-8"?>\n<LifecycleConfiguration xmlns="http://s3.amazonaws.com/doc/2006-03-01/">${body}</LifecycleConfiguration>`;
}
