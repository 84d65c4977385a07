import type { ResourceModel, TopicModel } from './types.js';
import { record, str } from './values.js';

/** An `AWS::SNS::Topic` with its inline subscriptions. */
export function topicModel(resource: ResourceModel, name: string, arn: string): TopicModel {
  const subs = Array.isArray(resource.properties.Subscription)
    ? resource.properties.Subscription.map(record)
    : [];
  return {
    logicalId: resource.logicalId,
    name,
    arn,
    subscriptions: subs.map((s) => ({ protocol: str(s.Protocol), endpoint: str(s.Endpoint) })),
  };
}

/** `AWS::SNS::Subscription` resources attach to their topic; one to a topic not in the template is a warning. */
export function attachSubscriptions(
  resources: Iterable<ResourceModel>,
  topics: TopicModel[],
  warnings: string[],
): void {
  for (const resource of resources) {
    if (resource.type !== 'AWS::SNS::Subscription') continue;
    const p = resource.properties;
    const topic = topics.find((t) => t.arn === p.TopicArn);
    if (!topic) {
      warnings.push(
        `${resource.logicalId}: subscription to a topic not in this template (${String(p.TopicArn)})`,
      );
      continue;
    }
    topic.subscriptions.push({
      protocol: String(p.Protocol),
      endpoint: String(p.Endpoint),
      filterPolicy: p.FilterPolicy,
      rawMessageDelivery: p.RawMessageDelivery === true || p.RawMessageDelivery === 'true',
    });
  }
}
