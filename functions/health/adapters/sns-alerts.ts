/**
 * Alerts on the SNS topic, as docs/health-api.md describes: the message is the alert as JSON, the
 * subject a one-line summary, and the message attribute `type` lets subscribers filter.
 */
import { PublishCommand, type SNSClient } from '@aws-sdk/client-sns';
import { alertSubject } from '../domain/alert.js';
import type { AlertPublisher, DomainLogger } from '../domain/ports.js';
import type { Alert } from '../domain/types.js';

/** {@link AlertPublisher} over an SNS topic. */
export class SnsAlertPublisher implements AlertPublisher {
  public constructor(
    private readonly client: SNSClient,
    private readonly topicArn: string,
  ) {}

  public async publish(alert: Alert): Promise<void> {
    await this.client.send(
      new PublishCommand({
        TopicArn: this.topicArn,
        Subject: alertSubject(alert),
        Message: JSON.stringify(alert),
        MessageAttributes: { type: { DataType: 'String', StringValue: alert.type } },
      }),
    );
  }
}

/** {@link AlertPublisher} for a function without a topic: the alert is only logged. */
export class LogAlertPublisher implements AlertPublisher {
  public constructor(private readonly logger: DomainLogger) {}

  public async publish(alert: Alert): Promise<void> {
    this.logger.warn('Alert not published: no ALERTS_TOPIC_ARN', { alert });
  }
}
