import { randomUUID } from 'node:crypto';
import type { Deliverer } from './deliver.js';
import { BatchRequestError, InvalidParameterError, SnsError } from './errors.js';
import { MAX_MESSAGE_BYTES, type MessageContent, parseMessage } from './message.js';
import type { TopicRegistry } from './registry.js';
import type { Notification, Subscription, Topic } from './types.js';

/** An operation's output: strings, numbers, booleans, lists, structures and maps (as `Map`). */
export type Output =
  | string
  | number
  | boolean
  | undefined
  | Output[]
  | Map<string, string>
  | { [key: string]: Output };

/** One SNS action: its input in the JSON protocol's shape, its output for either protocol. */
export type Operation = (input: Record<string, unknown>) => Output;

const PAGE_SIZE = 100;
const BATCH_LIMIT = 10;
const CONFIRMED_PROTOCOLS = new Set(['lambda', 'sqs', 'sms', 'application', 'firehose']);

/** The SNS actions the local cloud serves, by name. */
export function snsOperations(registry: TopicRegistry, deliverer: Deliverer): Record<string, Operation> {
  const notify = (topicArn: string, content: MessageContent): Notification => ({
    ...content,
    messageId: randomUUID(),
    topicArn,
    timestamp: new Date().toISOString(),
  });

  return {
    CreateTopic: (input) => {
      if (typeof input.Name !== 'string') throw new InvalidParameterError('Topic Name');
      return { TopicArn: registry.createTopic(input.Name, stringMap(input.Attributes)).arn };
    },

    DeleteTopic: (input) => {
      if (typeof input.TopicArn !== 'string' || !input.TopicArn.startsWith('arn:')) {
        throw new InvalidParameterError('TopicArn');
      }
      registry.deleteTopic(input.TopicArn);
      return undefined;
    },

    ListTopics: (input) => {
      const { items, next } = page(registry.topics(), input.NextToken);
      return { Topics: items.map((t) => ({ TopicArn: t.arn })), NextToken: next };
    },

    GetTopicAttributes: (input) => ({
      Attributes: topicAttributes(registry.topic(input.TopicArn), registry),
    }),

    SetTopicAttributes: (input) => {
      const topic = registry.topic(input.TopicArn);
      if (typeof input.AttributeName !== 'string') throw new InvalidParameterError('AttributeName');
      topic.attributes[input.AttributeName] = String(input.AttributeValue ?? '');
      return undefined;
    },

    Publish: (input) => {
      const target = input.TopicArn ?? input.TargetArn;
      if (target === undefined && typeof input.PhoneNumber === 'string') {
        const notification = notify('', parseMessage(input));
        deliverer.deliverSms(notification, input.PhoneNumber);
        return { MessageId: notification.messageId };
      }
      if (target === undefined) {
        throw new InvalidParameterError('TopicArn or TargetArn Reason: no value for required parameter');
      }
      const topic = registry.topic(target);
      const notification = notify(topic.arn, parseMessage(input));
      deliverer.deliver(notification, registry.subscriptions(topic.arn));
      return { MessageId: notification.messageId };
    },

    PublishBatch: (input) => {
      const entries = batchEntries(input.PublishBatchRequestEntries);
      const topic = registry.topic(input.TopicArn);
      const successful: Output[] = [];
      const failed: Output[] = [];
      for (const entry of entries) {
        try {
          const notification = notify(topic.arn, parseMessage(entry));
          deliverer.deliver(notification, registry.subscriptions(topic.arn));
          successful.push({ Id: entry.Id as string, MessageId: notification.messageId });
        } catch (error) {
          if (!(error instanceof SnsError)) throw error;
          failed.push({
            Id: entry.Id as string,
            Code: error.code,
            Message: error.message,
            SenderFault: true,
          });
        }
      }
      return { Successful: successful, Failed: failed };
    },

    Subscribe: (input) => {
      if (typeof input.Protocol !== 'string') throw new InvalidParameterError('Protocol');
      if (typeof input.Endpoint !== 'string') throw new InvalidParameterError('Endpoint');
      const subscription = registry.subscribe(
        String(input.TopicArn ?? ''),
        input.Protocol,
        input.Endpoint,
        stringMap(input.Attributes),
      );
      // SNS answers "pending confirmation" until an e-mail or HTTP endpoint confirms; locally every
      // subscription is confirmed at once, but the answer stays what a client expects.
      const pending = !CONFIRMED_PROTOCOLS.has(subscription.protocol);
      const returnArn = input.ReturnSubscriptionArn === true || input.ReturnSubscriptionArn === 'true';
      return { SubscriptionArn: pending && !returnArn ? 'pending confirmation' : subscription.arn };
    },

    Unsubscribe: (input) => {
      registry.unsubscribe(input.SubscriptionArn);
      return undefined;
    },

    ListSubscriptions: (input) => {
      const { items, next } = page(registry.subscriptions(), input.NextToken);
      return { Subscriptions: items.map(subscriptionSummary), NextToken: next };
    },

    ListSubscriptionsByTopic: (input) => {
      const topic = registry.topic(input.TopicArn);
      const { items, next } = page(registry.subscriptions(topic.arn), input.NextToken);
      return { Subscriptions: items.map(subscriptionSummary), NextToken: next };
    },

    GetSubscriptionAttributes: (input) => {
      const s = registry.subscription(input.SubscriptionArn);
      return {
        Attributes: new Map([
          ['SubscriptionArn', s.arn],
          ['TopicArn', s.topicArn],
          ['Owner', s.owner],
          ['Protocol', s.protocol],
          ['Endpoint', s.endpoint],
          ['ConfirmationWasAuthenticated', 'true'],
          ['PendingConfirmation', 'false'],
          ['RawMessageDelivery', 'false'],
          ...Object.entries(s.attributes),
        ]),
      };
    },

    SetSubscriptionAttributes: (input) => {
      if (typeof input.AttributeName !== 'string') throw new InvalidParameterError('AttributeName');
      registry.setSubscriptionAttribute(
        input.SubscriptionArn,
        input.AttributeName,
        String(input.AttributeValue ?? ''),
      );
      return undefined;
    },
  };
}

function subscriptionSummary(s: Subscription): Output {
  return {
    SubscriptionArn: s.arn,
    Owner: s.owner,
    Protocol: s.protocol,
    Endpoint: s.endpoint,
    TopicArn: s.topicArn,
  };
}

function topicAttributes(topic: Topic, registry: TopicRegistry): Map<string, string> {
  const account = topic.arn.split(':')[4];
  const policy = {
    Version: '2008-10-17',
    Id: '__default_policy_ID',
    Statement: [
      {
        Sid: '__default_statement_ID',
        Effect: 'Allow',
        Principal: { AWS: '*' },
        Action: [
          'SNS:Publish',
          'SNS:Subscribe',
          'SNS:Receive',
          'SNS:GetTopicAttributes',
          'SNS:ListSubscriptionsByTopic',
        ],
        Resource: topic.arn,
        Condition: { StringEquals: { 'AWS:SourceOwner': account } },
      },
    ],
  };
  const delivery = {
    http: {
      defaultHealthyRetryPolicy: {
        minDelayTarget: 20,
        maxDelayTarget: 20,
        numRetries: 3,
        numMaxDelayRetries: 0,
        numNoDelayRetries: 0,
        numMinDelayRetries: 0,
        backoffFunction: 'linear',
      },
      disableSubscriptionOverrides: false,
    },
  };
  return new Map([
    ['TopicArn', topic.arn],
    ['Owner', account ?? registry.accountId],
    ['Policy', JSON.stringify(policy)],
    ['DisplayName', ''],
    ['SubscriptionsConfirmed', String(registry.subscriptions(topic.arn).length)],
    ['SubscriptionsPending', '0'],
    ['SubscriptionsDeleted', '0'],
    ['EffectiveDeliveryPolicy', JSON.stringify(delivery)],
    ...Object.entries(topic.attributes),
  ]);
}

/** PublishBatch's request-level checks: 1 to 10 entries, distinct valid ids, 256 KiB in all. */
function batchEntries(value: unknown): Record<string, unknown>[] {
  const entries = Array.isArray(value) ? (value as Record<string, unknown>[]) : [];
  if (entries.length === 0)
    throw new BatchRequestError('EmptyBatchRequest', "The batch request doesn't contain any entries.");
  if (entries.length > BATCH_LIMIT) {
    throw new BatchRequestError(
      'TooManyEntriesInBatchRequest',
      'The batch request contains more entries than permissible.',
    );
  }
  const ids = entries.map((e) => e.Id);
  if (ids.some((id) => typeof id !== 'string' || !/^[A-Za-z0-9_-]{1,80}$/.test(id))) {
    throw new BatchRequestError(
      'InvalidBatchEntryId',
      'A batch entry id can only contain alphanumeric characters, hyphens and underscores. It can be at most 80 letters long.',
    );
  }
  if (new Set(ids).size !== ids.length) {
    throw new BatchRequestError(
      'BatchEntryIdsNotDistinct',
      'Two or more batch entries in the request have the same Id.',
    );
  }
  const total = entries.reduce((sum, e) => sum + Buffer.byteLength(String(e.Message ?? '')), 0);
  if (total > MAX_MESSAGE_BYTES) {
    throw new BatchRequestError(
      'BatchRequestTooLong',
      'The length of all the messages put together is more than the limit.',
    );
  }
  return entries;
}

/** A page of 100 and the token of the next (the offset, as an opaque string). */
function page<T>(all: T[], token: unknown): { items: T[]; next?: string } {
  const start =
    token === undefined || token === '' ? 0 : Number(Buffer.from(String(token), 'base64url').toString());
  if (!Number.isInteger(start) || start < 0) throw new InvalidParameterError('NextToken');
  const end = start + PAGE_SIZE;
  return {
    items: all.slice(start, end),
    next: end < all.length ? Buffer.from(String(end)).toString('base64url') : undefined,
  };
}

function stringMap(value: unknown): Record<string, string> {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return {};
  return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, String(v)]));
}
