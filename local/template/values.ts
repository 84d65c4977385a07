import { IntrinsicError, NO_VALUE, type ReferenceResolver, resolveValue } from './intrinsics.js';
import type { Resolved } from './types.js';

/** A mapping of the parsed template, before intrinsic functions are resolved. */
export type Raw = Record<string, unknown>;

export function isObject(value: unknown): value is Raw {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** A resolved value as a string (`fallback` for nothing). */
export function str(value: Resolved | undefined, fallback = ''): string {
  return value === undefined || value === null ? fallback : String(value);
}

/** A resolved value as a mapping (empty for anything else). */
export function record(value: Resolved | undefined): Record<string, Resolved> {
  return typeof value === 'object' && value !== null && !Array.isArray(value) ? value : {};
}

/** Runs `fn`; an intrinsic it cannot resolve becomes a warning naming `where`, and undefined. */
export function safe<T>(fn: () => T, warnings: string[], where: string): T | undefined {
  try {
    return fn();
  } catch (error) {
    if (!(error instanceof IntrinsicError)) throw error;
    warnings.push(`${where}: ${error.message}`);
    return undefined;
  }
}

/** Resolves each property of a resource on its own: one that cannot be resolved is a warning, and left out. */
export function resolveProperties(
  logicalId: string,
  value: unknown,
  resolver: ReferenceResolver,
  warnings: string[],
): Record<string, Resolved> {
  if (!isObject(value)) return {};
  const out: Record<string, Resolved> = {};
  for (const [key, raw] of Object.entries(value)) {
    const resolved = safe(() => resolveValue(raw, resolver), warnings, `${logicalId}.${key}`);
    if (resolved !== undefined && resolved !== NO_VALUE) out[key] = resolved;
  }
  return out;
}
