import type { FunctionModel } from './types.js';
import { isObject, type Raw } from './values.js';

/** Logical ids named by Ref, GetAtt or Sub anywhere in a raw value. */
function referencedResources(value: unknown, found = new Set<string>()): Set<string> {
  if (Array.isArray(value)) {
    for (const item of value) referencedResources(item, found);
  } else if (isObject(value)) {
    for (const [key, inner] of Object.entries(value)) {
      if (key === 'Ref' && typeof inner === 'string') found.add(inner);
      else if (key === 'Fn::GetAtt') {
        const target = Array.isArray(inner) ? inner[0] : String(inner).split('.')[0];
        if (typeof target === 'string') found.add(target);
      } else if (key === 'Fn::Sub') {
        const text = Array.isArray(inner) ? inner[0] : inner;
        if (typeof text === 'string') {
          for (const m of text.matchAll(/\$\{([A-Za-z0-9]+)(?:\.[^}]*)?\}/g)) found.add(m[1] as string);
        }
        if (Array.isArray(inner)) referencedResources(inner[1], found);
      } else referencedResources(inner, found);
    }
  }
  return found;
}

/**
 * A function whose environment names a resource the local cloud does not emulate would fail at run
 * time: one error per such dependency, so that the local cloud refuses to start.
 */
export function unemulatedDependencies(
  functions: FunctionModel[],
  rawResources: Raw,
  unsupported: ReadonlySet<string>,
): string[] {
  const errors: string[] = [];
  for (const fn of functions) {
    const rawFn = rawResources[fn.logicalId] as Raw;
    const props = isObject(rawFn.Properties) ? rawFn.Properties : {};
    for (const target of referencedResources(props.Environment)) {
      if (!unsupported.has(target)) continue;
      const type = String((rawResources[target] as Raw).Type);
      errors.push(`${fn.logicalId} depends on ${target} (${type}), which the local cloud does not emulate`);
    }
  }
  return errors;
}
