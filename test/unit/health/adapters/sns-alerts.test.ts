import { PublishCommand, SNSClient } from '@aws-sdk/client-sns';
import { mockClient } from 'aws-sdk-client-mock';
import { beforeEach, describe, expect, it, vi } from 'vitest';
import { LogAlertPublisher, SnsAlertPublisher } from '../../../../functions/health/adapters/sns-alerts.js';
import type { Alert } from '../../../../functions/health/domain/types.js';

const sns = mockClient(SNSClient);
const topicArn = 'arn:aws:sns:us-east-1:123456789012:kumo-dev-HealthAlertsTopic-AbC123';
const alert: Alert = {
  type: 'CERT_EXPIRING',
  monitorId: 'example-com-337fd4f452ae2bb2',
  name: 'Example',
  url: 'https://example.com/health',
  status: 'UP',
  previousStatus: 'UP',
  reason: 'TLS certificate expires in 3 days (2025-01-18T13:00:00.000Z)',
  at: '2025-01-15T12:00:00.000Z',
  cert: { validTo: '2025-01-18T13:00:00.000Z', daysRemaining: 3, warningDays: 7 },
};

beforeEach(() => sns.reset());

describe('Class: SnsAlertPublisher', () => {
  it('publishes the alert as JSON with a subject and a type attribute', async () => {
    sns.on(PublishCommand).resolves({ MessageId: 'm-1' });
    await new SnsAlertPublisher(new SNSClient({ region: 'us-east-1' }), topicArn).publish(alert);
    const input = sns.commandCalls(PublishCommand)[0]?.args[0].input;
    expect(input).toEqual({
      TopicArn: topicArn,
      Subject: '[Kumo] CERT: Example certificate expires in 3 days',
      Message: JSON.stringify(alert),
      MessageAttributes: { type: { DataType: 'String', StringValue: 'CERT_EXPIRING' } },
    });
    expect(JSON.parse(input?.Message ?? '')).toEqual(alert);
  });

  it('lets a failure reach the caller', async () => {
    sns.on(PublishCommand).rejects(new Error('AuthorizationError'));
    await expect(
      new SnsAlertPublisher(new SNSClient({ region: 'us-east-1' }), topicArn).publish(alert),
    ).rejects.toThrow('AuthorizationError');
  });
});

describe('Class: LogAlertPublisher', () => {
  it('logs the alert instead of publishing', async () => {
    const logger = { info: vi.fn(), warn: vi.fn(), error: vi.fn() };
    await new LogAlertPublisher(logger).publish(alert);
    expect(logger.warn).toHaveBeenCalledWith('Alert not published: no ALERTS_TOPIC_ARN', { alert });
  });
});
