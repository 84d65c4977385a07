/**
 * X-Ray identifiers and the `X-Amzn-Trace-Id` / `_X_AMZN_TRACE_ID` header:
 * `Root=1-<8 hex epoch seconds>-<24 hex>;Parent=<16 hex>;Sampled=0|1`.
 */
import { randomBytes } from 'node:crypto';

/** A new trace id, `1-<hex time>-<24 hex>`. */
export function newTraceId(now = Date.now()): string {
  return `1-${Math.floor(now / 1000).toString(16)}-${randomBytes(12).toString('hex')}`;
}

/** A new segment or subsegment id, 16 hex digits. */
export function newSegmentId(): string {
  return randomBytes(8).toString('hex');
}

/** The parts of a trace header. */
export interface TraceHeader {
  root: string;
  parent?: string;
  sampled: boolean;
}

/** Parses `Root=...;Parent=...;Sampled=...`; undefined when there is no valid Root. */
export function parseTraceHeader(text: string | undefined): TraceHeader | undefined {
  if (!text) return undefined;
  const fields = new Map<string, string>();
  for (const part of text.split(';')) {
    const eq = part.indexOf('=');
    if (eq > 0) fields.set(part.slice(0, eq).trim(), part.slice(eq + 1).trim());
  }
  const root = fields.get('Root');
  if (!root || !/^1-[0-9a-f]{8}-[0-9a-f]{24}$/.test(root)) return undefined;
  const parent = fields.get('Parent');
  return {
    root,
    ...(parent && /^[0-9a-f]{16}$/.test(parent) ? { parent } : {}),
    sampled: fields.get('Sampled') !== '0',
  };
}

/** Formats a trace header. */
export function formatTraceHeader({ root, parent, sampled }: TraceHeader): string {
  return `Root=${root}${parent ? `;Parent=${parent}` : ''};Sampled=${sampled ? 1 : 0}`;
}

/** Epoch seconds with fractions, X-Ray's time unit, from epoch milliseconds. */
export function epochSeconds(ms: number): number {
  return Math.round(ms) / 1000;
}
