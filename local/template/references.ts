import { IntrinsicError, type ReferenceResolver, resolveValue } from './intrinsics.js';
import { type PhysicalNames, physicalNames } from './physical-names.js';
import type { Resolved } from './types.js';
import { isObject, type Raw } from './values.js';

/** What Ref, GetAtt, conditions and FindInMap may read. */
export interface ReferenceScope {
  stackName: string;
  region: string;
  accountId: string;
  sqsUrl?: string;
  parameters: Record<string, string | string[]>;
  pseudo: Record<string, string>;
  resources: Raw;
  conditions: Raw;
  mappings: Raw;
}

/**
 * The resolver of a template's references (the intrinsic functions themselves are in intrinsics.ts):
 * `Ref` of parameters, pseudo parameters and resources, `GetAtt`, conditions (evaluated once each, a
 * cycle refused) and `FindInMap`; with the physical names it gives the resources.
 */
export function createReferenceResolver(scope: ReferenceScope): {
  resolver: ReferenceResolver;
  names: PhysicalNames;
} {
  const { parameters, pseudo, resources, conditions, mappings } = scope;
  const conditionCache = new Map<string, boolean>();
  const resolving = new Set<string>();

  const names = physicalNames({
    stackName: scope.stackName,
    region: scope.region,
    accountId: scope.accountId,
    ...(scope.sqsUrl === undefined ? {} : { sqsUrl: scope.sqsUrl }),
    // An explicit name property (TableName, TopicName...) may itself hold intrinsics.
    explicitName(logicalId, resource, property) {
      const props = isObject(resource.Properties) ? resource.Properties : {};
      if (props[property] === undefined) return undefined;
      const key = `name:${logicalId}`;
      if (resolving.has(key)) throw new IntrinsicError(`${logicalId}.${property} refers to itself`);
      resolving.add(key);
      try {
        const value = resolveValue(props[property], resolver);
        return typeof value === 'string' ? value : undefined;
      } finally {
        resolving.delete(key);
      }
    },
  });

  const resolver: ReferenceResolver = {
    ref(name) {
      if (name in parameters) return parameters[name] as Resolved;
      if (name in pseudo) return pseudo[name];
      const resource = resources[name];
      if (isObject(resource)) return names.ref(name, resource);
      return undefined;
    },
    getAtt(logicalId, attribute) {
      const resource = resources[logicalId];
      if (!isObject(resource)) return undefined;
      return names.attribute(logicalId, resource, attribute);
    },
    condition(name) {
      const cached = conditionCache.get(name);
      if (cached !== undefined) return cached;
      if (!(name in conditions)) throw new IntrinsicError(`unknown condition "${name}"`);
      if (resolving.has(`condition:${name}`))
        throw new IntrinsicError(`condition "${name}" refers to itself`);
      resolving.add(`condition:${name}`);
      const value = resolveValue(conditions[name], resolver) === true;
      resolving.delete(`condition:${name}`);
      conditionCache.set(name, value);
      return value;
    },
    findInMap(map, top, second) {
      const m = mappings[map];
      if (!isObject(m)) return undefined;
      const t = m[top];
      if (!isObject(t)) return undefined;
      return t[second] as Resolved | undefined;
    },
  };

  return { resolver, names };
}
