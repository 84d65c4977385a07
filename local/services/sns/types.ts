/** Shapes shared by the SNS emulator's modules. */

/** A message attribute as Publish receives it (BinaryValue in base64, as both protocols carry it). */
export interface MessageAttribute {
  DataType: string;
  StringValue?: string;
  BinaryValue?: string;
}

export type FilterPolicyScope = 'MessageAttributes' | 'MessageBody';

export interface Topic {
  arn: string;
  name: string;
  /** Attributes set by CreateTopic/SetTopicAttributes or the template (DisplayName...). */
  attributes: Record<string, string>;
}

export interface Subscription {
  arn: string;
  topicArn: string;
  protocol: string;
  endpoint: string;
  owner: string;
  /** Attributes as SNS keeps them (FilterPolicy as JSON text, RawMessageDelivery 'true'/'false'...). */
  attributes: Record<string, string>;
}

/** One published message, after validation, before fan-out. */
export interface Notification {
  messageId: string;
  topicArn: string;
  subject?: string;
  message: string;
  /** Per-protocol messages when MessageStructure was `json` (`default` always present). */
  structured?: Record<string, string>;
  messageAttributes: Record<string, MessageAttribute>;
  /** ISO 8601 with milliseconds, as SNS stamps it. */
  timestamp: string;
}

/** A delivery to a protocol the local cloud does not send (email, sms, http...): logged instead. */
export interface DeliveryRecord {
  time: string;
  messageId: string;
  topicArn?: string;
  subscriptionArn?: string;
  protocol: string;
  endpoint: string;
  subject?: string;
  /** What the endpoint would have received: the text for email/sms, the JSON document otherwise. */
  body: string;
}
