import { createHash } from 'node:crypto';
import type { ServerResponse } from 'node:http';
import { crc32 } from 'node:zlib';
import type { Resolved, TemplateModel } from '../../template/types.js';

/** DescribeTable's `SSEDescription` (dynalite keeps no encryption settings). */
export interface SseDescription {
  Status: 'ENABLED';
  SSEType: 'KMS';
  KMSMasterKeyArn: string;
}

function record(value: Resolved | undefined): Record<string, Resolved> {
  return typeof value === 'object' && value !== null && !Array.isArray(value) ? value : {};
}

/**
 * The SSEDescription of each template table by name, as DynamoDB reports it: `SSEEnabled: true` is
 * KMS with the AWS managed key `aws/dynamodb` (or `KMSMasterKeyId`); a table without it is encrypted
 * with an AWS owned key and DescribeTable shows no SSEDescription.
 */
export function templateSse(model: TemplateModel): Map<string, SseDescription> {
  const byName = new Map<string, SseDescription>();
  for (const table of model.tables) {
    const spec = record(model.resources.get(table.logicalId)?.properties.SSESpecification);
    if (spec.SSEEnabled !== true && spec.SSEEnabled !== 'true') continue;
    byName.set(table.name, {
      Status: 'ENABLED',
      SSEType: 'KMS',
      KMSMasterKeyArn: keyArn(model, spec.KMSMasterKeyId),
    });
  }
  return byName;
}

/** `KMSMasterKeyId` as an ARN: an ARN as is, an alias or key id in the template's account and region. */
function keyArn(model: TemplateModel, keyId: Resolved | undefined): string {
  const prefix = `arn:aws:kms:${model.region}:${model.accountId}`;
  if (typeof keyId !== 'string' || keyId === '') return `${prefix}:key/${managedKeyId(model)}`;
  if (keyId.startsWith('arn:')) return keyId;
  return keyId.startsWith('alias/') ? `${prefix}:${keyId}` : `${prefix}:key/${keyId}`;
}

/** A stable key id for the local `aws/dynamodb` key (one per account and region, as AWS makes it). */
function managedKeyId(model: TemplateModel): string {
  const hex = createHash('sha256').update(`aws/dynamodb:${model.accountId}:${model.region}`).digest('hex');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20, 32)}`;
}

/**
 * Adds the table's SSEDescription to dynalite's DescribeTable answer on its way out, with the
 * `x-amz-crc32` the AWS CLI checks recomputed. dynalite sets its headers, then ends with the body.
 */
export function addSseToDescribeTable(res: ServerResponse, sse: ReadonlyMap<string, SseDescription>): void {
  const end = res.end.bind(res) as (chunk?: unknown) => ServerResponse;
  res.end = ((chunk?: unknown) => {
    if (res.statusCode !== 200 || typeof chunk !== 'string' || res.headersSent) return end(chunk);
    let body: { Table?: { TableName?: string; SSEDescription?: unknown } };
    try {
      body = JSON.parse(chunk);
    } catch {
      return end(chunk);
    }
    const description = body.Table?.TableName ? sse.get(body.Table.TableName) : undefined;
    if (!body.Table || !description) return end(chunk);
    body.Table.SSEDescription = description;
    const text = JSON.stringify(body);
    res.setHeader('Content-Length', Buffer.byteLength(text));
    res.setHeader('x-amz-crc32', crc32(text));
    return end(text);
  }) as ServerResponse['end'];
}
