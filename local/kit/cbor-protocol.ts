import type { IncomingMessage } from 'node:http';
import { cbor, tag } from '@smithy/core/cbor';
import type { AwsError } from './errors.js';
import { isRecord } from './http.js';

/** Smithy RPC v2 CBOR: `POST /service/<service>/operation/<Operation>`, `smithy-protocol: rpc-v2-cbor`. */
export interface CborProtocol {
  /** The service name in the path (`GraniteServiceVersion20100801` for CloudWatch). */
  service: string;
}

/** True when a request speaks RPC v2 CBOR (by its header, or its path). */
export function isCborRequest(req: IncomingMessage, url: URL, protocol: CborProtocol): boolean {
  return req.headers['smithy-protocol'] === 'rpc-v2-cbor' || cborOperation(url, protocol) !== undefined;
}

/** The operation a CBOR request's path names, or undefined. */
export function cborOperation(url: URL, protocol: CborProtocol): string | undefined {
  const prefix = `/service/${protocol.service}/operation/`;
  if (!url.pathname.startsWith(prefix)) return undefined;
  const operation = url.pathname.slice(prefix.length);
  return /^[A-Za-z]+$/.test(operation) ? operation : undefined;
}

/** A CBOR body as the operation's input: epoch-seconds tags become Dates, 64-bit integers numbers. */
export function parseCborInput(
  body: Buffer,
  malformed: (message: string) => AwsError,
): Record<string, unknown> {
  let input: unknown;
  try {
    input = body.length > 0 ? fromCbor(cbor.deserialize(body)) : {};
  } catch {
    throw malformed('The request body is not valid CBOR.');
  }
  if (!isRecord(input)) throw malformed('The request body is not an object.');
  return input;
}

/** A value encoded as CBOR (Dates as epoch-seconds tags, Maps as maps, undefined members dropped). */
export function encodeCbor(value: unknown): Buffer {
  return Buffer.from(cbor.serialize(toCbor(value)));
}

function fromCbor(value: unknown): unknown {
  if (typeof value === 'bigint') return Number(value);
  if (Array.isArray(value)) return value.map(fromCbor);
  if (value instanceof Uint8Array || value instanceof Date) return value;
  if (typeof value === 'object' && value !== null) {
    const tagged = value as { tag?: unknown; value?: unknown };
    if ('tag' in tagged && 'value' in tagged && Number(tagged.tag) === 1) {
      return new Date(Number(tagged.value) * 1000);
    }
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, fromCbor(v)]));
  }
  return value;
}

function toCbor(value: unknown): unknown {
  if (value instanceof Date) return tag({ tag: 1, value: value.getTime() / 1000 });
  if (value instanceof Map) return toCbor(Object.fromEntries(value));
  if (Array.isArray(value)) return value.map(toCbor);
  if (typeof value === 'object' && value !== null && !(value instanceof Uint8Array)) {
    return Object.fromEntries(
      Object.entries(value)
        .filter(([, v]) => v !== undefined)
        .map(([k, v]) => [k, toCbor(v)]),
    );
  }
  return value;
}
