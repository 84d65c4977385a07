import type { Resolved } from './types.js';

/** Resolves one reference target: a parameter, a pseudo parameter or a resource. */
export interface ReferenceResolver {
  ref(name: string): Resolved | undefined;
  getAtt(logicalId: string, attribute: string): Resolved | undefined;
  condition(name: string): boolean;
  findInMap(map: string, top: string, second: string): Resolved | undefined;
}

/** Marker for `AWS::NoValue`: properties that resolve to it are dropped. */
export const NO_VALUE = Symbol('AWS::NoValue');

export class IntrinsicError extends Error {
  override readonly name = 'IntrinsicError';
}

type Raw = unknown;

function isObject(value: Raw): value is Record<string, Raw> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function asList(value: Raw, fn: string, length?: number): Raw[] {
  if (!Array.isArray(value) || (length !== undefined && value.length !== length)) {
    throw new IntrinsicError(`${fn} expects a list${length === undefined ? '' : ` of ${length}`}`);
  }
  return value;
}

function stringify(value: Resolved | typeof NO_VALUE, fn: string): string {
  if (typeof value === 'string') return value;
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  throw new IntrinsicError(
    `${fn} cannot put a ${Array.isArray(value) ? 'list' : typeof value} into a string`,
  );
}

/**
 * Resolves CloudFormation intrinsic functions in a value, depth first.
 * Returns NO_VALUE for `!Ref AWS::NoValue` so that callers drop the property.
 */
export function resolveValue(value: Raw, resolver: ReferenceResolver): Resolved | typeof NO_VALUE {
  if (Array.isArray(value)) {
    const out: Resolved[] = [];
    for (const item of value) {
      const resolved = resolveValue(item, resolver);
      if (resolved !== NO_VALUE) out.push(resolved);
    }
    return out;
  }
  if (!isObject(value)) {
    if (value === undefined) return null;
    return value as Resolved;
  }
  const keys = Object.keys(value);
  const only = keys.length === 1 ? keys[0] : undefined;
  if (only === 'Ref' || (only?.startsWith('Fn::') ?? false) || only === 'Condition') {
    // `Condition` as a key inside Fn::If/And/Or is a condition reference; elsewhere it is a property.
    if (only === 'Condition' && typeof value.Condition === 'string' && keys.length === 1) {
      return resolver.condition(value.Condition);
    }
    return resolveFunction(only as string, value[only as string], resolver);
  }
  const out: Record<string, Resolved> = {};
  for (const key of keys) {
    const resolved = resolveValue(value[key], resolver);
    if (resolved !== NO_VALUE) out[key] = resolved;
  }
  return out;
}

function resolveFunction(fn: string, arg: Raw, resolver: ReferenceResolver): Resolved | typeof NO_VALUE {
  switch (fn) {
    case 'Ref': {
      if (arg === 'AWS::NoValue') return NO_VALUE;
      if (typeof arg !== 'string') throw new IntrinsicError('Ref expects a name');
      const resolved = resolver.ref(arg);
      if (resolved === undefined) throw new IntrinsicError(`Ref to unknown name "${arg}"`);
      return resolved;
    }
    case 'Fn::GetAtt': {
      const [logicalId, attribute] =
        typeof arg === 'string'
          ? splitOnce(arg)
          : (asList(arg, fn, 2).map((a) => req(a, fn)) as [string, string]);
      const resolved = resolver.getAtt(logicalId, attribute);
      if (resolved === undefined) throw new IntrinsicError(`GetAtt ${logicalId}.${attribute} is not known`);
      return resolved;
    }
    case 'Fn::Sub': {
      let text: string;
      let vars: Record<string, Raw> = {};
      if (typeof arg === 'string') text = arg;
      else {
        const [t, v] = asList(arg, fn, 2);
        text = req(t, fn);
        if (!isObject(v)) throw new IntrinsicError('Fn::Sub variables must be a map');
        vars = v;
      }
      return text.replace(/\$\{([^}]+)\}/g, (whole, name: string) => {
        if (name.startsWith('!')) return `\${${name.slice(1)}}`;
        if (name in vars) return stringify(resolveValue(vars[name], resolver), fn);
        const dot = name.indexOf('.');
        if (dot > 0 && !name.startsWith('AWS::')) {
          const att = resolver.getAtt(name.slice(0, dot), name.slice(dot + 1));
          if (att === undefined) throw new IntrinsicError(`Fn::Sub: ${whole} is not known`);
          return stringify(att, fn);
        }
        const ref = resolver.ref(name);
        if (ref === undefined) throw new IntrinsicError(`Fn::Sub: ${whole} is not known`);
        return stringify(ref, fn);
      });
    }
    case 'Fn::Join': {
      const [sep, list] = asList(arg, fn, 2);
      const items = resolveValue(list, resolver);
      if (!Array.isArray(items)) throw new IntrinsicError('Fn::Join expects a list to join');
      return items.map((item) => stringify(item, fn)).join(req(sep, fn));
    }
    case 'Fn::If': {
      const [name, whenTrue, whenFalse] = asList(arg, fn, 3);
      return resolveValue(resolver.condition(req(name, fn)) ? whenTrue : whenFalse, resolver);
    }
    case 'Fn::Select': {
      const [index, list] = asList(arg, fn, 2);
      const items = resolveValue(list, resolver);
      const i = Number(resolveValue(index, resolver));
      if (!Array.isArray(items) || !Number.isInteger(i) || i < 0 || i >= items.length) {
        throw new IntrinsicError('Fn::Select index out of range');
      }
      return items[i] as Resolved;
    }
    case 'Fn::Split': {
      const [sep, source] = asList(arg, fn, 2);
      return stringify(resolveValue(source, resolver), fn).split(req(sep, fn));
    }
    case 'Fn::Equals': {
      const [a, b] = asList(arg, fn, 2).map((x) => resolveValue(x, resolver));
      return JSON.stringify(a) === JSON.stringify(b);
    }
    case 'Fn::Not': {
      const [a] = asList(arg, fn, 1);
      return !resolveValue(a, resolver);
    }
    case 'Fn::And':
      return asList(arg, fn).every((x) => resolveValue(x, resolver) === true);
    case 'Fn::Or':
      return asList(arg, fn).some((x) => resolveValue(x, resolver) === true);
    case 'Fn::FindInMap': {
      const [map, top, second] = asList(arg, fn, 3).map((x) => stringify(resolveValue(x, resolver), fn));
      const found = resolver.findInMap(map as string, top as string, second as string);
      if (found === undefined) throw new IntrinsicError(`Fn::FindInMap ${map}.${top}.${second} is not known`);
      return found;
    }
    case 'Fn::Base64':
      return Buffer.from(stringify(resolveValue(arg, resolver), fn)).toString('base64');
    case 'Fn::GetAZs': {
      const region = stringify(resolver.ref('AWS::Region') ?? 'us-east-1', fn);
      return ['a', 'b', 'c'].map((z) => `${region}${z}`);
    }
    case 'Fn::ToJsonString':
      return JSON.stringify(resolveValue(arg, resolver));
    case 'Fn::Length': {
      const items = resolveValue(arg, resolver);
      if (!Array.isArray(items)) throw new IntrinsicError('Fn::Length expects a list');
      return items.length;
    }
    default:
      throw new IntrinsicError(`${fn} is not supported by the local cloud`);
  }
}

function req(value: Raw, fn: string): string {
  if (typeof value !== 'string') throw new IntrinsicError(`${fn} expects a string`);
  return value;
}

function splitOnce(text: string): [string, string] {
  const dot = text.indexOf('.');
  if (dot < 0) throw new IntrinsicError(`GetAtt "${text}" needs Resource.Attribute`);
  return [text.slice(0, dot), text.slice(dot + 1)];
}
