import { InvalidParameterValueError, MissingParameterError } from './errors.js';

/**
 * Readers of operation inputs in the JSON protocol's shape, lenient about how each protocol spells a
 * value: the query protocol sends every scalar as text ('60', 'true', ISO 8601 times) and an empty list
 * as '', JSON sends numbers and epoch seconds, CBOR epoch-seconds tags (decoded to Date).
 */

export type Input = Record<string, unknown>;

/** A CloudWatch dimension as the API spells it. */
export interface Dimension {
  Name: string;
  Value: string;
}

export function optionalString(input: Input, name: string): string | undefined {
  const value = input[name];
  if (value === undefined || value === null) return undefined;
  if (typeof value !== 'string')
    throw new InvalidParameterValueError(`The parameter ${name} must be a string.`);
  return value;
}

/** A string that must be there; `shown` names it in the error (`Dimensions.member.1.Name`). */
export function requiredString(input: Input, name: string, shown = name): string {
  const value = optionalString(input, name);
  if (value === undefined || value === '') throw new MissingParameterError(shown);
  return value;
}

export function optionalNumber(input: Input, name: string): number | undefined {
  const value = input[name];
  if (value === undefined || value === null || value === '') return undefined;
  const number = typeof value === 'bigint' ? Number(value) : Number(value);
  if (
    (typeof value !== 'number' && typeof value !== 'string' && typeof value !== 'bigint') ||
    Number.isNaN(number)
  ) {
    throw new InvalidParameterValueError(`The parameter ${name} must be a number.`);
  }
  return number;
}

export function requiredNumber(input: Input, name: string): number {
  const value = optionalNumber(input, name);
  if (value === undefined) throw new MissingParameterError(name);
  return value;
}

export function optionalInteger(
  input: Input,
  name: string,
  min = Number.NEGATIVE_INFINITY,
): number | undefined {
  const value = optionalNumber(input, name);
  if (value === undefined) return undefined;
  if (!Number.isInteger(value) || value < min) {
    throw new InvalidParameterValueError(
      `The value ${value} for parameter ${name} is invalid: it must be a whole number of at least ${min}.`,
    );
  }
  return value;
}

export function optionalBoolean(input: Input, name: string): boolean | undefined {
  const value = input[name];
  if (value === undefined || value === null || value === '') return undefined;
  if (value === true || value === 'true') return true;
  if (value === false || value === 'false') return false;
  throw new InvalidParameterValueError(`The parameter ${name} must be a boolean.`);
}

/** A list; the query protocol's empty list (`Name=`) and an absent one are both empty. */
export function list(input: Input, name: string): unknown[] {
  const value = input[name];
  if (value === undefined || value === null || value === '') return [];
  if (!Array.isArray(value)) throw new InvalidParameterValueError(`The parameter ${name} must be a list.`);
  return value;
}

export function stringList(input: Input, name: string): string[] {
  return list(input, name).map((item) => {
    if (typeof item !== 'string')
      throw new InvalidParameterValueError(`The parameter ${name} must be a list of strings.`);
    return item;
  });
}

export function structure(value: unknown, name: string): Input {
  if (typeof value !== 'object' || value === null || Array.isArray(value) || value instanceof Date) {
    throw new InvalidParameterValueError(`The parameter ${name} must be a structure.`);
  }
  return value as Input;
}

/** Dimensions `[{Name, Value}]`: at most 30, names and values non-empty, no name twice. */
export function dimensions(input: Input, name = 'Dimensions', valueRequired = true): Dimension[] {
  const items = list(input, name).map((item, i) => {
    const d = structure(item, `${name}.member.${i + 1}`);
    const dimensionName = requiredString(d, 'Name', `${name}.member.${i + 1}.Name`);
    const value = valueRequired
      ? requiredString(d, 'Value', `${name}.member.${i + 1}.Value`)
      : optionalString(d, 'Value');
    return { Name: dimensionName, Value: value as string };
  });
  if (items.length > 30)
    throw new InvalidParameterValueError(`The collection ${name} must not have more than 30 members.`);
  if (new Set(items.map((d) => d.Name)).size !== items.length) {
    throw new InvalidParameterValueError(`No metric may have duplicate dimensions (${name}).`);
  }
  return items;
}

/** Dimensions as the metric store keys them. */
export function dimensionRecord(list: readonly Dimension[]): Record<string, string> {
  return Object.fromEntries(list.map((d) => [d.Name, d.Value]));
}

/** A timestamp in ms: a Date, epoch seconds (JSON, CBOR), or text — ISO 8601 or epoch seconds (query). */
export function optionalTime(input: Input, name: string): number | undefined {
  const value = input[name];
  if (value === undefined || value === null || value === '') return undefined;
  let ms = Number.NaN;
  if (value instanceof Date) ms = value.getTime();
  else if (typeof value === 'number') ms = value * 1000;
  else if (typeof value === 'string')
    ms = /^-?\d+(\.\d+)?$/.test(value) ? Number(value) * 1000 : Date.parse(value);
  if (Number.isNaN(ms)) throw new InvalidParameterValueError(`The parameter ${name} must be a timestamp.`);
  return ms;
}

export function requiredTime(input: Input, name: string): number {
  const value = optionalTime(input, name);
  if (value === undefined) throw new MissingParameterError(name);
  return value;
}

/** One of `allowed`, or InvalidParameterValue naming the parameter. */
export function oneOf<T extends string>(value: string, allowed: readonly T[], name: string): T {
  if (!(allowed as readonly string[]).includes(value)) {
    throw new InvalidParameterValueError(
      `The value ${value} for parameter ${name} is invalid. Valid values are: ${allowed.join(', ')}.`,
    );
  }
  return value as T;
}
