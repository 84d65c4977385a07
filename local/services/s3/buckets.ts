import { localBucketName } from '../../template/physical-ids.js';
import type { Resolved, S3Event, TemplateModel } from '../../template/types.js';
import { type EncryptionRule, encryptionRules } from './bucket-config.js';
import type { CorsRule } from './cors.js';
import { type LifecycleRule, lifecycleRules } from './lifecycle.js';

/** A bucket of the template, with what the local S3 enforces for it. */
export interface BucketModel {
  logicalId: string;
  name: string;
  cors?: CorsRule[];
  /** `LifecycleConfiguration.Rules`, reported by GetBucketLifecycleConfiguration (not enforced). */
  lifecycle?: LifecycleRule[];
  /** `BucketEncryption`, reported by GetBucketEncryption (objects are not encrypted on disk). */
  encryption?: EncryptionRule[];
}

/** A function subscribed to a bucket's notifications (a SAM `S3` event). */
export interface BucketSubscription {
  functionLogicalId: string;
  event: S3Event;
}

/** Every `AWS::S3::Bucket` of the template, named as the template reader names it, with its CORS rules. */
export function bucketsFromModel(model: TemplateModel): BucketModel[] {
  const buckets: BucketModel[] = [];
  for (const resource of model.resources.values()) {
    if (resource.type !== 'AWS::S3::Bucket') continue;
    const p = resource.properties;
    const name =
      typeof p.BucketName === 'string' ? p.BucketName : localBucketName(model.stackName, resource.logicalId);
    buckets.push({
      logicalId: resource.logicalId,
      name,
      cors: corsRules(p.CorsConfiguration),
      lifecycle: lifecycleRules(p.LifecycleConfiguration),
      encryption: encryptionRules(p.BucketEncryption),
    });
  }
  return buckets;
}

/** The S3 event sources of every function, in template order. */
export function subscriptionsFromModel(model: TemplateModel): BucketSubscription[] {
  return model.functions.flatMap((fn) =>
    fn.events.flatMap((event) => (event.type === 'S3' ? [{ functionLogicalId: fn.logicalId, event }] : [])),
  );
}

function corsRules(value: Resolved | undefined): CorsRule[] | undefined {
  const rules = record(value).CorsRules;
  if (!Array.isArray(rules)) return undefined;
  return rules.map((raw) => {
    const rule = record(raw);
    const maxAge = Number(rule.MaxAge);
    return {
      allowedOrigins: strings(rule.AllowedOrigins),
      allowedMethods: strings(rule.AllowedMethods).map((m) => m.toUpperCase()),
      allowedHeaders: strings(rule.AllowedHeaders),
      exposedHeaders: strings(rule.ExposedHeaders),
      maxAge: rule.MaxAge === undefined || Number.isNaN(maxAge) ? undefined : maxAge,
    };
  });
}

function record(value: Resolved | undefined): Record<string, Resolved> {
  return typeof value === 'object' && value !== null && !Array.isArray(value) ? value : {};
}

function strings(value: Resolved | undefined): string[] {
  if (Array.isArray(value)) return value.map(String);
  return value === undefined || value === null ? [] : [String(value)];
}

/** True when the template has a bucket or an `S3` event source: the local S3 is needed. */
export function usesS3(model: TemplateModel): boolean {
  return bucketsFromModel(model).length > 0 || subscriptionsFromModel(model).length > 0;
}
