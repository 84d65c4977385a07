import { createHash } from 'node:crypto';
import { InvalidParameterError, NotFoundError } from './errors.js';
import { parseFilterPolicy } from './filter-policy.js';
import type { Subscription, Topic } from './types.js';

/** Protocols SNS accepts in Subscribe. */
export const PROTOCOLS: ReadonlySet<string> = new Set([
  'http',
  'https',
  'email',
  'email-json',
  'sms',
  'sqs',
  'application',
  'lambda',
  'firehose',
]);

const SUBSCRIPTION_ATTRIBUTES = new Set([
  'DeliveryPolicy',
  'FilterPolicy',
  'FilterPolicyScope',
  'RawMessageDelivery',
  'RedrivePolicy',
  'SubscriptionRoleArn',
  'ReplayPolicy',
]);

const TOPIC_NAME = /^[A-Za-z0-9_-]{1,256}$/;

/** Topics and subscriptions of one running SNS emulator, kept in memory. */
export class TopicRegistry {
  readonly #region: string;
  readonly #accountId: string;
  readonly #topics = new Map<string, Topic>();
  readonly #subscriptions = new Map<string, Subscription>();

  constructor(region: string, accountId: string) {
    this.#region = region;
    this.#accountId = accountId;
  }

  get accountId(): string {
    return this.#accountId;
  }

  /** CreateTopic: idempotent for a name; names as SNS allows them (`.fifo` only for FIFO topics). */
  createTopic(name: string, attributes: Record<string, string> = {}): Topic {
    const fifo = attributes.FifoTopic === 'true';
    const base = fifo ? name.replace(/\.fifo$/, '') : name;
    if (!TOPIC_NAME.test(base) || fifo !== name.endsWith('.fifo'))
      throw new InvalidParameterError('Topic Name');
    return this.addTopic(`arn:aws:sns:${this.#region}:${this.#accountId}:${name}`, attributes);
  }

  /** Adds a topic by ARN (from the template, or an event source's topic); returns the existing one if any. */
  addTopic(arn: string, attributes: Record<string, string> = {}): Topic {
    const existing = this.#topics.get(arn);
    if (existing) return existing;
    const topic: Topic = { arn, name: arn.split(':').at(-1) ?? arn, attributes: { ...attributes } };
    this.#topics.set(arn, topic);
    return topic;
  }

  /** The topic with this ARN, or NotFound as SNS answers. */
  topic(arn: unknown): Topic {
    if (typeof arn !== 'string' || !arn.startsWith('arn:')) throw new InvalidParameterError('TopicArn');
    const topic = this.#topics.get(arn);
    if (!topic) throw new NotFoundError('Topic does not exist');
    return topic;
  }

  topics(): Topic[] {
    return [...this.#topics.values()];
  }

  /** DeleteTopic: its subscriptions go with it; deleting a missing topic is not an error. */
  deleteTopic(arn: string): void {
    this.#topics.delete(arn);
    for (const s of this.#subscriptions.values()) if (s.topicArn === arn) this.#subscriptions.delete(s.arn);
  }

  /**
   * Subscribe: validates protocol, endpoint and attributes; the same topic, protocol and endpoint give
   * the same subscription (SNS refuses it when the attributes differ).
   */
  subscribe(topicArn: string, protocol: string, endpoint: string, attributes: Record<string, string> = {}) {
    const topic = this.topic(topicArn);
    if (!PROTOCOLS.has(protocol)) throw new InvalidParameterError(`Invalid protocol type: ${protocol}`);
    checkEndpoint(protocol, endpoint);
    checkAttributes(attributes);
    const arn = `${topic.arn}:${stableId(topic.arn, protocol, endpoint)}`;
    const existing = this.#subscriptions.get(arn);
    if (existing) {
      if (JSON.stringify(existing.attributes) !== JSON.stringify(attributes)) {
        throw new InvalidParameterError(
          'Attributes Reason: Subscription already exists with different attributes',
        );
      }
      return existing;
    }
    const subscription: Subscription = {
      arn,
      topicArn: topic.arn,
      protocol,
      endpoint,
      owner: this.#accountId,
      attributes,
    };
    this.#subscriptions.set(arn, subscription);
    return subscription;
  }

  subscription(arn: unknown): Subscription {
    if (typeof arn !== 'string' || !arn.startsWith('arn:'))
      throw new InvalidParameterError('SubscriptionArn');
    const subscription = this.#subscriptions.get(arn);
    if (!subscription) throw new NotFoundError('Subscription does not exist');
    return subscription;
  }

  /** Sets one subscription attribute (SetSubscriptionAttributes), validated as Subscribe does. */
  setSubscriptionAttribute(arn: unknown, name: string, value: string): void {
    const subscription = this.subscription(arn);
    const attributes = { ...subscription.attributes, [name]: value };
    checkAttributes(attributes);
    subscription.attributes = attributes;
  }

  unsubscribe(arn: unknown): void {
    this.#subscriptions.delete(this.subscription(arn).arn);
  }

  /** Subscriptions in the order they were made, of one topic or of all. */
  subscriptions(topicArn?: string): Subscription[] {
    const all = [...this.#subscriptions.values()];
    return topicArn === undefined ? all : all.filter((s) => s.topicArn === topicArn);
  }
}

/** A subscription id derived from what identifies it, so ARNs (and UnsubscribeURLs) survive restarts. */
function stableId(...parts: string[]): string {
  const hex = createHash('sha256').update(parts.join('\n')).digest('hex');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20, 32)}`;
}

function checkEndpoint(protocol: string, endpoint: string): void {
  if (!validEndpoint(protocol, endpoint)) {
    throw new InvalidParameterError(`Endpoint Reason: not a valid ${protocol} endpoint: ${endpoint}`);
  }
}

function validEndpoint(protocol: string, endpoint: string): boolean {
  switch (protocol) {
    case 'http':
    case 'https':
      return endpoint.startsWith(`${protocol}://`);
    case 'email':
    case 'email-json':
      return /^[^@\s]+@[^@\s]+$/.test(endpoint);
    case 'sms':
      return /^\+?[0-9]{4,15}$/.test(endpoint.replace(/[\s()-]/g, ''));
    case 'lambda':
    case 'sqs':
    case 'firehose':
      return new RegExp(`^arn:aws[a-z-]*:${protocol}:`).test(endpoint);
    default:
      return endpoint !== '';
  }
}

function checkAttributes(attributes: Record<string, string>): void {
  for (const [name, value] of Object.entries(attributes)) {
    if (!SUBSCRIPTION_ATTRIBUTES.has(name))
      throw new InvalidParameterError(`Attributes Reason: Unknown attribute ${name}`);
    if (name === 'FilterPolicy') parseFilterPolicy(value);
    if (name === 'FilterPolicyScope' && value !== 'MessageAttributes' && value !== 'MessageBody') {
      throw new InvalidParameterError('Attributes Reason: FilterPolicyScope: Invalid value');
    }
    if (name === 'RawMessageDelivery' && value !== 'true' && value !== 'false') {
      throw new InvalidParameterError('Attributes Reason: RawMessageDelivery: Invalid value');
    }
  }
}
