import { setTimeout as sleep } from 'node:timers/promises';
import type { AsyncInvoker } from '../../runner/async-invoke.js';
import type { FunctionModel } from '../../template/types.js';
import type { LocalLogger } from '../../types.js';
import type { DeliveryLog } from './delivery-log.js';
import { matchesFilterPolicy, parseFilterPolicy } from './filter-policy.js';
import { messageFor } from './message.js';
import { notificationDocument, snsLambdaEvent } from './notification.js';
import type { SqsDelivery } from './sqs-delivery.js';
import type { FilterPolicyScope, Notification, Subscription } from './types.js';

/** How long stop() waits for invocations in flight. */
const STOP_GRACE_MS = 2_000;

export interface DelivererDeps {
  /** Lambda's asynchronous invocation (retries, event age, OnFailure destination, dead-letter queue). */
  asyncInvoker: AsyncInvoker;
  log: LocalLogger;
  functions: FunctionModel[];
  deliveryLog: DeliveryLog;
  /** The local SNS endpoint, for the SigningCertURL and UnsubscribeURL of notifications. */
  snsUrl: string;
  /** Delivers `sqs` subscriptions to the local SQS (without one, they are logged like other protocols). */
  sqs?: SqsDelivery;
}

/**
 * Fans a notification out to the subscriptions whose filter policy it passes: functions are invoked
 * asynchronously as Lambda does for SNS (with retries), queues of the local SQS get the message (the
 * JSON envelope, or the raw message with RawMessageDelivery), every other protocol is written to the
 * delivery log and one console line, as "delivered elsewhere".
 */
export class Deliverer {
  readonly #deps: DelivererDeps;
  readonly #inFlight = new Set<Promise<void>>();

  constructor(deps: DelivererDeps) {
    this.#deps = deps;
  }

  /** Starts delivery and returns at once: Publish does not wait for subscribers. */
  deliver(notification: Notification, subscriptions: Subscription[]): void {
    for (const subscription of subscriptions) {
      if (!passesFilter(subscription, notification)) continue;
      this.#track(
        subscription.protocol === 'lambda'
          ? this.#invoke(subscription, notification)
          : subscription.protocol === 'sqs' && this.#deps.sqs?.available
            ? this.#enqueue(subscription, notification)
            : this.#logElsewhere(subscription, notification),
      );
    }
  }

  /** Delivers a Publish to a phone number (no topic): logged like an sms subscription. */
  deliverSms(notification: Notification, phoneNumber: string): void {
    this.#track(this.#record(notification, 'sms', phoneNumber, undefined, messageFor(notification, 'sms')));
  }

  /** Cancels pending retries and waits briefly for deliveries in flight. */
  async stop(): Promise<void> {
    await this.#deps.asyncInvoker.stop();
    await Promise.race([
      Promise.allSettled([...this.#inFlight]),
      sleep(STOP_GRACE_MS, undefined, { ref: false }),
    ]);
    await this.#deps.deliveryLog.flushed();
  }

  #track(work: Promise<void>): void {
    const delivery = work
      .catch((error: unknown) => this.#deps.log.error(`sns delivery failed: ${String(error)}`))
      .finally(() => this.#inFlight.delete(delivery));
    this.#inFlight.add(delivery);
  }

  async #invoke(subscription: Subscription, notification: Notification): Promise<void> {
    const { asyncInvoker, log, functions, snsUrl } = this.#deps;
    const fn = functions.find(
      (f) => subscription.endpoint === f.arn || subscription.endpoint.startsWith(`${f.arn}:`),
    );
    if (!fn) {
      log.warn(
        `sns: ${subscription.endpoint} is not a function of the template; message ${notification.messageId} not delivered`,
      );
      return;
    }
    const event = snsLambdaEvent(notification, subscription.arn, snsUrl);
    await asyncInvoker.invoke(fn.logicalId, event, {
      source: 'sns',
      what: `message ${notification.messageId}`,
    });
  }

  /**
   * An `sqs` subscription: the notification's JSON document (Type, MessageId, TopicArn, Subject, Message,
   * Timestamp, signature fields, MessageAttributes) as the body, or with RawMessageDelivery the message
   * itself with its attributes as SQS message attributes. SNS retries a queue it cannot reach for days;
   * locally a failed send is one error line.
   */
  async #enqueue(subscription: Subscription, notification: Notification): Promise<void> {
    const { endpoint, arn } = subscription;
    const raw = subscription.attributes.RawMessageDelivery === 'true';
    const body = raw
      ? messageFor(notification, 'sqs')
      : JSON.stringify(notificationDocument(notification, 'sqs', arn, this.#deps.snsUrl));
    try {
      await this.#deps.sqs?.send(endpoint, body, raw ? notification.messageAttributes : undefined);
      const summary = notification.subject ?? oneLine(messageFor(notification, 'sqs'));
      this.#deps.log.event('sns', `sqs to ${endpoint.split(':').at(-1)}${raw ? ' (raw)' : ''}: ${summary}`);
    } catch (error) {
      this.#deps.log.error(
        `sns → ${endpoint}: message ${notification.messageId} not delivered (${(error as Error).message})`,
      );
    }
  }

  #logElsewhere(subscription: Subscription, notification: Notification): Promise<void> {
    const { protocol, endpoint, arn } = subscription;
    const raw = subscription.attributes.RawMessageDelivery === 'true';
    const text = messageFor(notification, protocol);
    const body =
      protocol === 'email' || protocol === 'sms' || raw
        ? text
        : JSON.stringify(notificationDocument(notification, protocol, arn, this.#deps.snsUrl));
    return this.#record(notification, protocol, endpoint, arn, body);
  }

  async #record(
    notification: Notification,
    protocol: string,
    endpoint: string,
    subscriptionArn: string | undefined,
    body: string,
  ): Promise<void> {
    // An SMS carries no subject; an e-mail or HTTP notification is best named by its subject.
    const text = oneLine(messageFor(notification, protocol));
    const summary = protocol === 'sms' ? text : (notification.subject ?? text);
    // An e-mail or SMS is an alert a person would get: it stands out on the console.
    const tone =
      protocol === 'email' || protocol === 'email-json' || protocol === 'sms' ? 'alert' : undefined;
    this.#deps.log.event('sns', `${protocol} to ${endpoint}: ${summary}`, tone);
    await this.#deps.deliveryLog.append({
      time: notification.timestamp,
      messageId: notification.messageId,
      topicArn: notification.topicArn || undefined,
      subscriptionArn,
      protocol,
      endpoint,
      subject: notification.subject,
      body,
    });
  }
}

function passesFilter(subscription: Subscription, notification: Notification): boolean {
  const policy = subscription.attributes.FilterPolicy;
  if (policy === undefined) return true;
  const scope = (subscription.attributes.FilterPolicyScope ?? 'MessageAttributes') as FilterPolicyScope;
  return matchesFilterPolicy(parseFilterPolicy(policy), scope, notification);
}

function oneLine(text: string): string {
  const flat = text.replace(/\s+/g, ' ').trim();
  return flat.length > 80 ? `${flat.slice(0, 79)}…` : flat;
}
