import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { parseTemplateText } from '../../../local/template/index.js';

const root = path.resolve(import.meta.dirname, '../../..');

interface Resource {
  Type: string;
  Properties: Record<string, unknown>;
}
let resources: Record<string, Resource>;

beforeAll(async () => {
  const raw = parseTemplateText(await readFile(path.join(root, 'template.yaml'), 'utf8')) as {
    Resources: Record<string, Resource>;
  };
  resources = raw.Resources;
});

const props = (logicalId: string) => resources[logicalId]?.Properties ?? {};
const env = (logicalId: string) =>
  (props(logicalId).Environment as { Variables?: Record<string, unknown> } | undefined)?.Variables ?? {};

describe('template: the health checker fan-out', () => {
  it('sizes slices for the worker’s real timeout, and hides a slice in flight longer than a worker runs', () => {
    const workerTimeout = Number(props('CheckSliceFunction').Timeout);
    expect(Number(env('CheckSitesFunction').SLICE_WORKER_TIMEOUT_SECONDS)).toBe(workerTimeout);
    expect(Number(props('HealthSliceQueue').VisibilityTimeout)).toBeGreaterThanOrEqual(6 * workerTimeout);
  });

  it('encrypts both queues and sends what keeps failing to the dead-letter queue', () => {
    expect(props('HealthSliceQueue').SqsManagedSseEnabled).toBe(true);
    expect(props('HealthSliceDeadLetterQueue').SqsManagedSseEnabled).toBe(true);
    expect(props('HealthSliceQueue').RedrivePolicy).toMatchObject({ maxReceiveCount: 5 });
    expect(Number(props('HealthSliceDeadLetterQueue').MessageRetentionPeriod)).toBeGreaterThan(
      Number(props('HealthSliceQueue').MessageRetentionPeriod),
    );
  });

  it('polls the queue with partial batch responses and a concurrency cap', () => {
    const events = props('CheckSliceFunction').Events as Record<
      string,
      { Type: string; Properties: Record<string, unknown> }
    >;
    expect(events.Slices?.Type).toBe('SQS');
    expect(events.Slices?.Properties).toMatchObject({
      BatchSize: 1,
      MaximumBatchingWindowInSeconds: 0,
      FunctionResponseTypes: ['ReportBatchItemFailures'],
    });
    expect(events.Slices?.Properties.ScalingConfig).toHaveProperty('MaximumConcurrency');
  });

  it('gives the worker no Scan, no PutItem and no DeleteItem, and the scheduler only SendMessage on the queue', () => {
    const worker = JSON.stringify(props('CheckSliceFunction').Policies);
    for (const action of ['dynamodb:Scan', 'dynamodb:PutItem', 'dynamodb:DeleteItem', 'DynamoDBCrudPolicy']) {
      expect(worker).not.toContain(action);
    }
    expect(worker).toContain('SQSPollerPolicy');
    const scheduler = JSON.stringify(props('CheckSitesFunction').Policies);
    expect(scheduler).toContain('SQSSendMessagePolicy');
    expect(scheduler).not.toContain('SQSPollerPolicy');
  });
});
