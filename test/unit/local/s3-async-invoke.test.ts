import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { asyncFailureRecord, asyncInvokeSettings } from '../../../local/services/s3/async-invoke.js';
import { lifecycleRules, lifecycleXml } from '../../../local/services/s3/lifecycle.js';
import { readTemplate } from '../../../local/template/index.js';
import { fixtureModel } from '../../helpers/service-context.js';

const root = path.resolve(import.meta.dirname, '../../..');

describe('Function: asyncInvokeSettings()', () => {
  it('reads EventInvokeConfig, and applies Lambda’s defaults without one', async () => {
    const model = await fixtureModel('s3.yaml');
    const warnings: string[] = [];
    const resize = asyncInvokeSettings(model, 'ResizeFunction', (m) => warnings.push(m));
    expect(resize).toMatchObject({
      maximumRetryAttempts: 1,
      onFailure: { kind: 'sqs', arn: expect.stringMatching(/^arn:aws:sqs:.*ResizeFailuresQueue$/) },
    });
    expect(asyncInvokeSettings(model, 'LabelFunction', (m) => warnings.push(m))).toEqual({
      functionArn: model.functions.find((f) => f.logicalId === 'LabelFunction')?.arn,
      maximumRetryAttempts: 2,
    });
    expect(warnings).toEqual([]);
  });

  it('gives LabelPhotoFunction of template.yaml its failed-events queue, without warnings', async () => {
    const model = await readTemplate(path.join(root, 'template.yaml'));
    const warnings: string[] = [];
    expect(asyncInvokeSettings(model, 'LabelPhotoFunction', (m) => warnings.push(m))).toMatchObject({
      maximumRetryAttempts: 2,
      onFailure: { kind: 'sqs', arn: expect.stringContaining('LabelPhotoFailedEventsQueue') },
    });
    expect(warnings).toEqual([]);
  });

  it('shapes the record as Lambda sends it to an OnFailure destination', () => {
    const record = asyncFailureRecord({
      requestId: 'r-1',
      functionArn: 'arn:aws:lambda:us-east-1:000000000000:function:f',
      attempts: 3,
      event: { Records: [] },
      error: { errorType: 'Error', errorMessage: 'boom' },
      now: new Date('2025-01-15T12:00:00.000Z'),
    });
    expect(record).toEqual({
      version: '1.0',
      timestamp: '2025-01-15T12:00:00.000Z',
      requestContext: {
        requestId: 'r-1',
        functionArn: 'arn:aws:lambda:us-east-1:000000000000:function:f:$LATEST',
        condition: 'RetriesExhausted',
        approximateInvokeCount: 3,
      },
      requestPayload: { Records: [] },
      responseContext: { statusCode: 200, executedVersion: '$LATEST', functionError: 'Unhandled' },
      responsePayload: { errorType: 'Error', errorMessage: 'boom' },
    });
  });
});

describe('Function: lifecycleRules()', () => {
  it('reads the rules of template.yaml’s PhotosBucket and writes them as S3 answers them', async () => {
    const model = await readTemplate(path.join(root, 'template.yaml'));
    const rules = lifecycleRules(model.resources.get('PhotosBucket')?.properties.LifecycleConfiguration);
    expect(rules).toEqual([
      { id: 'AbortIncompleteMultipartUploads', status: 'Enabled', abortIncompleteMultipartUploadDays: 1 },
      { id: 'ExpireUnprocessedUploads', status: 'Enabled', prefix: 'uploads/', expirationInDays: 1 },
    ]);
    expect(lifecycleXml(rules ?? [])).toContain(
      '<Rule><ID>ExpireUnprocessedUploads</ID><Filter><Prefix>uploads/</Prefix></Filter><Status>Enabled</Status><Expiration><Days>1</Days></Expiration></Rule>',
    );
    expect(lifecycleRules(undefined)).toBeUndefined();
  });
});
