import { randomBytes } from 'node:crypto';
import { messageFor } from './message.js';
import type { Notification } from './types.js';

/** Where a notification says its signing certificate and unsubscribe link are: the local SNS endpoint. */
export function signingCertUrl(snsUrl: string): string {
  return `${snsUrl}/SimpleNotificationService-kumo-local.pem`;
}

/** An UnsubscribeURL that works against the local endpoint (a GET of the query protocol). */
export function unsubscribeUrl(snsUrl: string, subscriptionArn: string): string {
  return `${snsUrl}/?Action=Unsubscribe&SubscriptionArn=${encodeURIComponent(subscriptionArn)}`;
}

/** A signature-shaped value: the local cloud does not sign, and says so nowhere a parser would look. */
function signature(): string {
  return randomBytes(256).toString('base64');
}

function attributesForDelivery(n: Notification) {
  return Object.fromEntries(
    Object.entries(n.messageAttributes).map(([name, a]) => [
      name,
      { Type: a.DataType, Value: a.StringValue ?? a.BinaryValue ?? '' },
    ]),
  );
}

/** The event Lambda receives from an SNS subscription (one record per invocation, as SNS sends). */
export function snsLambdaEvent(n: Notification, subscriptionArn: string, snsUrl: string) {
  return {
    Records: [
      {
        EventSource: 'aws:sns',
        EventVersion: '1.0',
        EventSubscriptionArn: subscriptionArn,
        Sns: {
          Type: 'Notification',
          MessageId: n.messageId,
          TopicArn: n.topicArn,
          Subject: n.subject ?? null,
          Message: messageFor(n, 'lambda'),
          Timestamp: n.timestamp,
          SignatureVersion: '1',
          Signature: signature(),
          SigningCertUrl: signingCertUrl(snsUrl),
          UnsubscribeUrl: unsubscribeUrl(snsUrl, subscriptionArn),
          MessageAttributes: attributesForDelivery(n),
        },
      },
    ],
  };
}

/** The JSON document an http(s), email-json or sqs endpoint receives (note the URL casing differs). */
export function notificationDocument(
  n: Notification,
  protocol: string,
  subscriptionArn: string,
  snsUrl: string,
) {
  const attributes = attributesForDelivery(n);
  return {
    Type: 'Notification',
    MessageId: n.messageId,
    TopicArn: n.topicArn,
    ...(n.subject === undefined ? {} : { Subject: n.subject }),
    Message: messageFor(n, protocol),
    Timestamp: n.timestamp,
    SignatureVersion: '1',
    Signature: signature(),
    SigningCertURL: signingCertUrl(snsUrl),
    UnsubscribeURL: unsubscribeUrl(snsUrl, subscriptionArn),
    ...(Object.keys(attributes).length ? { MessageAttributes: attributes } : {}),
  };
}
