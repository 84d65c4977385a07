import type { Resolved, TemplateModel } from '../../template/types.js';
import type { LocalLogger } from '../../types.js';
import { SnsError } from './errors.js';
import { TopicRegistry } from './registry.js';

/**
 * The registry as the template declares it: every AWS::SNS::Topic with its subscriptions (inline and
 * AWS::SNS::Subscription), and a lambda subscription for every SNS event source of a function, with
 * its FilterPolicy. A subscription SNS would refuse is reported and skipped.
 */
export function registryFromModel(model: TemplateModel, log: LocalLogger): TopicRegistry {
  const registry = new TopicRegistry(model.region, model.accountId);
  const subscribe = (
    where: string,
    topicArn: string,
    protocol: string,
    endpoint: string,
    attributes: Record<string, string>,
  ) => {
    try {
      registry.subscribe(topicArn, protocol, endpoint, attributes);
    } catch (error) {
      if (!(error instanceof SnsError)) throw error;
      log.warn(`${where}: ${error.message}; subscription skipped`);
    }
  };

  for (const topic of model.topics) {
    const properties = model.resources.get(topic.logicalId)?.properties ?? {};
    const attributes: Record<string, string> = {};
    if (typeof properties.DisplayName === 'string') attributes.DisplayName = properties.DisplayName;
    if (typeof properties.KmsMasterKeyId === 'string') attributes.KmsMasterKeyId = properties.KmsMasterKeyId;
    if (properties.FifoTopic === true || properties.FifoTopic === 'true') attributes.FifoTopic = 'true';
    registry.addTopic(topic.arn, attributes);
    for (const s of topic.subscriptions) {
      const subscriptionAttributes: Record<string, string> = {};
      if (s.filterPolicy !== undefined) subscriptionAttributes.FilterPolicy = policyText(s.filterPolicy);
      if (s.rawMessageDelivery) subscriptionAttributes.RawMessageDelivery = 'true';
      subscribe(topic.logicalId, topic.arn, s.protocol, s.endpoint, subscriptionAttributes);
    }
  }

  for (const fn of model.functions) {
    for (const event of fn.events) {
      if (event.type !== 'SNS') continue;
      if (!registry.topics().some((t) => t.arn === event.topicArn)) {
        log.warn(
          `${fn.logicalId}: event ${event.name} subscribes to ${event.topicArn}, not a topic of the template; created locally`,
        );
        registry.addTopic(event.topicArn);
      }
      const attributes: Record<string, string> = {};
      if (event.filterPolicy !== undefined) attributes.FilterPolicy = policyText(event.filterPolicy);
      const scope = model.resources.get(fn.logicalId)?.properties.Events;
      const filterScope = eventProperty(scope, event.name, 'FilterPolicyScope');
      if (typeof filterScope === 'string') attributes.FilterPolicyScope = filterScope;
      subscribe(`${fn.logicalId}.${event.name}`, event.topicArn, 'lambda', fn.arn, attributes);
    }
  }
  return registry;
}

function policyText(policy: Resolved): string {
  return typeof policy === 'string' ? policy : JSON.stringify(policy);
}

/** `Events.<name>.Properties.<property>` of a function resource, where the model does not carry it. */
function eventProperty(events: Resolved | undefined, name: string, property: string): Resolved | undefined {
  const event =
    typeof events === 'object' && events !== null && !Array.isArray(events) ? events[name] : undefined;
  const props =
    typeof event === 'object' && event !== null && !Array.isArray(event) ? event.Properties : undefined;
  return typeof props === 'object' && props !== null && !Array.isArray(props) ? props[property] : undefined;
}
