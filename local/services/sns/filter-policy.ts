import { InvalidParameterError } from './errors.js';
import type { FilterPolicyScope, MessageAttribute } from './types.js';

/** A parsed, validated filter policy: keys to condition lists (or nested policies for MessageBody scope). */
export type FilterPolicy = { [key: string]: FilterPolicy | Condition[] | FilterPolicy[] };

type Scalar = string | number | boolean | null;
type Condition = Scalar | { [operator: string]: unknown };

/** The values a message has for one key; undefined when the key is absent. */
type Values = Scalar[] | undefined;

const OPERATORS = new Set(['prefix', 'suffix', 'equals-ignore-case', 'anything-but', 'numeric', 'exists']);
const NUMERIC_OPERATORS = new Set(['=', '<', '<=', '>', '>=']);

/**
 * Parses a FilterPolicy (JSON text from Subscribe, or an object from the template) and checks that it
 * uses only what the local cloud evaluates: exact strings and numbers, prefix, suffix,
 * equals-ignore-case, anything-but, numeric ranges, exists and `$or`.
 */
export function parseFilterPolicy(value: unknown): FilterPolicy {
  let policy = value;
  if (typeof value === 'string') {
    try {
      policy = JSON.parse(value);
    } catch {
      throw new InvalidParameterError('FilterPolicy: failed to parse JSON');
    }
  }
  checkPolicy(policy, 'FilterPolicy');
  return policy as FilterPolicy;
}

/** True when the message passes the policy, evaluated on its attributes or on its JSON body. */
export function matchesFilterPolicy(
  policy: FilterPolicy,
  scope: FilterPolicyScope,
  message: { message: string; messageAttributes: Record<string, MessageAttribute> },
): boolean {
  if (scope === 'MessageBody') {
    const body = parseBody(message.message);
    return body !== undefined && matchPolicy(policy, (key) => body[key]);
  }
  return matchPolicy(policy, (key) => {
    const attribute = message.messageAttributes[key];
    return attribute === undefined ? undefined : attributeValues(attribute);
  });
}

/** Every key must match; a key matches when any of its conditions does. */
function matchPolicy(policy: FilterPolicy, lookup: (key: string) => unknown): boolean {
  return Object.entries(policy).every(([key, rule]) => {
    if (key === '$or') return (rule as FilterPolicy[]).some((branch) => matchPolicy(branch, lookup));
    const value = lookup(key);
    if (!Array.isArray(rule)) {
      // A nested policy (MessageBody scope) applies to the nested object.
      const nested = typeof value === 'object' && value !== null && !Array.isArray(value) ? value : undefined;
      return nested !== undefined && matchPolicy(rule, (k) => (nested as Record<string, unknown>)[k]);
    }
    const values = value === undefined ? undefined : scalars(value);
    return (rule as Condition[]).some((condition) => matchCondition(condition, values));
  });
}

function matchCondition(condition: Condition, values: Values): boolean {
  if (condition === null || typeof condition !== 'object') {
    return values?.some((v) => v === condition) ?? false;
  }
  const [operator, operand] = Object.entries(condition)[0] ?? [];
  if (operator === 'exists') return operand === (values !== undefined);
  if (values === undefined) return false;
  switch (operator) {
    case 'prefix':
      return values.some((v) => typeof v === 'string' && v.startsWith(String(operand)));
    case 'suffix':
      return values.some((v) => typeof v === 'string' && v.endsWith(String(operand)));
    case 'equals-ignore-case':
      return values.some((v) => typeof v === 'string' && v.toLowerCase() === String(operand).toLowerCase());
    case 'anything-but':
      return values.some((v) => !matchesAnyOf(operand, v));
    case 'numeric':
      return values.some((v) => typeof v === 'number' && inRange(operand as (string | number)[], v));
    default:
      return false;
  }
}

/** The `anything-but` operand: a value, a list of values, or a prefix/suffix pattern. */
function matchesAnyOf(operand: unknown, value: Scalar): boolean {
  if (Array.isArray(operand)) return operand.some((o) => o === value);
  if (typeof operand === 'object' && operand !== null) return matchCondition(operand as Condition, [value]);
  return operand === value;
}

function inRange(spec: (string | number)[], value: number): boolean {
  for (let i = 0; i < spec.length; i += 2) {
    if (!compare(String(spec[i]), value, Number(spec[i + 1]))) return false;
  }
  return true;
}

function compare(operator: string, value: number, bound: number): boolean {
  switch (operator) {
    case '=':
      return value === bound;
    case '<':
      return value < bound;
    case '<=':
      return value <= bound;
    case '>':
      return value > bound;
    case '>=':
      return value >= bound;
    default:
      return false;
  }
}

/** Attribute values by type: String as text, Number as a number, String.Array as its elements. */
function attributeValues(attribute: MessageAttribute): Scalar[] {
  const type = attribute.DataType.split('.')[0];
  const text = attribute.StringValue ?? '';
  if (attribute.DataType === 'String.Array') {
    try {
      return scalars(JSON.parse(text));
    } catch {
      return [];
    }
  }
  if (type === 'Number') return [Number(text)];
  if (type === 'String') return [text];
  return []; // Binary attributes are never matched.
}

function scalars(value: unknown): Scalar[] {
  const list = Array.isArray(value) ? value : [value];
  return list.filter((v): v is Scalar => v === null || ['string', 'number', 'boolean'].includes(typeof v));
}

function parseBody(text: string): Record<string, unknown> | undefined {
  try {
    const body: unknown = JSON.parse(text);
    return typeof body === 'object' && body !== null && !Array.isArray(body)
      ? (body as Record<string, unknown>)
      : undefined;
  } catch {
    return undefined;
  }
}

function checkPolicy(policy: unknown, where: string): void {
  if (typeof policy !== 'object' || policy === null || Array.isArray(policy)) {
    throw new InvalidParameterError(`${where}: must be a JSON object`);
  }
  for (const [key, rule] of Object.entries(policy)) {
    if (key === '$or') {
      if (!Array.isArray(rule) || rule.length < 2) {
        throw new InvalidParameterError(`${where}: $or must be an array of at least two policies`);
      }
      for (const branch of rule) checkPolicy(branch, where);
    } else if (Array.isArray(rule)) {
      for (const condition of rule) checkCondition(condition, `${where}: ${key}`);
    } else {
      checkPolicy(rule, `${where}: ${key}`);
    }
  }
}

function checkCondition(condition: unknown, where: string): void {
  if (condition === null || ['string', 'number', 'boolean'].includes(typeof condition)) return;
  if (typeof condition !== 'object' || Array.isArray(condition)) {
    throw new InvalidParameterError(`${where}: unsupported condition ${JSON.stringify(condition)}`);
  }
  const entries = Object.entries(condition);
  const [operator, operand] = entries[0] ?? [];
  if (entries.length !== 1 || operator === undefined || !OPERATORS.has(operator)) {
    throw new InvalidParameterError(`${where}: unrecognized match type ${operator ?? '(none)'}`);
  }
  if (operator === 'exists' && typeof operand !== 'boolean') {
    throw new InvalidParameterError(`${where}: exists match pattern must be either true or false`);
  }
  if (operator === 'numeric') checkNumeric(operand, where);
}

function checkNumeric(operand: unknown, where: string): void {
  const valid =
    Array.isArray(operand) &&
    (operand.length === 2 || operand.length === 4) &&
    operand.every((part, i) =>
      i % 2 === 0 ? NUMERIC_OPERATORS.has(String(part)) : typeof part === 'number' && Number.isFinite(part),
    );
  if (!valid) throw new InvalidParameterError(`${where}: invalid numeric match ${JSON.stringify(operand)}`);
}
