import { PublishCommand, SNSClient } from '@aws-sdk/client-sns';
import type { LocalLogger } from '../../types.js';
import type { AlarmRecord } from './alarm-definition.js';
import { alarmNotification } from './alarm-notification.js';
import type { AlarmStore } from './alarm-store.js';
import type { AlarmStateValue } from './constants.js';

/** What the actions need: where SNS is (read when an action fires: it may start later), who we are. */
export interface AlarmActionsDeps {
  snsUrl: () => string | undefined;
  region: string;
  accountId: string;
  log: LocalLogger;
  alarms: AlarmStore;
}

const SNS_ARN = /^arn:aws[a-z-]*:sns:/;

/**
 * Carries out an alarm's actions on a state change, as CloudWatch does when ActionsEnabled: the
 * notification (alarm-notification.ts) published to every SNS topic among AlarmActions, OKActions or
 * InsufficientDataActions (by the new state), through the local SNS with the SDK's SNS client — so a
 * subscribed function gets a real SNS event. Other actions (Auto Scaling, EC2, Systems Manager, Lambda)
 * are not emulated: each is reported once.
 */
export class AlarmActions {
  readonly #deps: AlarmActionsDeps;
  readonly #inFlight = new Set<Promise<void>>();
  readonly #warned = new Set<string>();
  #client?: { url: string; client: SNSClient };

  constructor(deps: AlarmActionsDeps) {
    this.#deps = deps;
  }

  /** Starts the actions for `record`'s new state (changed from `oldState`); returns at once. */
  fire(record: AlarmRecord, oldState: AlarmStateValue): void {
    const d = record.definition;
    if (!d.actionsEnabled) return;
    const arns =
      record.state.value === 'ALARM'
        ? d.alarmActions
        : record.state.value === 'OK'
          ? d.okActions
          : d.insufficientDataActions;
    if (arns.length === 0) return;
    const notification = alarmNotification(record, oldState, this.#deps.region, this.#deps.accountId);
    for (const arn of arns) {
      if (!SNS_ARN.test(arn)) {
        this.#warnOnce(
          arn,
          `cloudwatch: ${d.alarmName}: action ${arn} is not emulated (only SNS topics are)`,
        );
        continue;
      }
      const work = this.#publish(d.alarmName, arn, notification.subject, notification.message)
        .catch((error: unknown) => {
          this.#deps.log.warn(`cloudwatch: ${d.alarmName}: could not publish to ${arn}: ${String(error)}`);
          this.#deps.alarms.recordAction(d.alarmName, Date.now(), `Failed to execute action ${arn}`, {
            actionState: 'Failed',
            notificationResource: arn,
            error: String(error),
          });
        })
        .finally(() => this.#inFlight.delete(work));
      this.#inFlight.add(work);
    }
  }

  /** Waits for publications in flight and closes the SNS client. */
  async stop(): Promise<void> {
    await Promise.allSettled([...this.#inFlight]);
    this.#client?.client.destroy();
  }

  async #publish(alarmName: string, topicArn: string, subject: string, message: string): Promise<void> {
    const client = this.#sns();
    if (!client) {
      this.#warnOnce(
        'sns',
        `cloudwatch: ${alarmName}: no local SNS is running; notifications to ${topicArn} dropped`,
      );
      return;
    }
    const { MessageId } = await client.send(
      new PublishCommand({ TopicArn: topicArn, Subject: subject, Message: message }),
    );
    this.#deps.alarms.recordAction(alarmName, Date.now(), `Successfully executed action ${topicArn}`, {
      actionState: 'Succeeded',
      notificationResource: topicArn,
      publishedMessage: { messageId: MessageId },
    });
  }

  #sns(): SNSClient | undefined {
    const url = this.#deps.snsUrl();
    if (!url) return undefined;
    if (this.#client?.url !== url) {
      this.#client?.client.destroy();
      this.#client = {
        url,
        client: new SNSClient({
          endpoint: url,
          region: this.#deps.region,
          credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
          maxAttempts: 2,
        }),
      };
    }
    return this.#client.client;
  }

  #warnOnce(key: string, message: string): void {
    if (this.#warned.has(key)) return;
    this.#warned.add(key);
    this.#deps.log.warn(message);
  }
}
