import type { IncomingHttpHeaders, IncomingMessage, RequestListener, ServerResponse } from 'node:http';
import { Readable } from 'node:stream';

/** A reply captured from kinesalite: status, headers and the raw body. */
export interface BackendReply {
  status: number;
  headers: Record<string, string>;
  body: Buffer;
}

/**
 * Calls kinesalite's request handler in-process with a body already read (and perhaps rewritten), and
 * captures its answer instead of sending it: the proxy can then record metrics from it, amend it, or
 * merge it with records it refused itself. kinesalite touches only `headers`, `method`, `url` and the
 * data/end events of the request, and `statusCode`, `setHeader` and `end` of the response.
 */
export function callKinesalite(
  handler: RequestListener,
  headers: IncomingHttpHeaders,
  body: Buffer,
): Promise<BackendReply> {
  return new Promise((resolve) => {
    const request = Object.assign(Readable.from(body.length > 0 ? [body] : []), {
      headers: { ...headers, 'content-length': String(body.length) },
      method: 'POST',
      url: '/',
    });
    const captured = new CapturedResponse(resolve);
    handler(request as unknown as IncomingMessage, captured as unknown as ServerResponse);
  });
}

/** Just enough of a ServerResponse for kinesalite's send functions. */
class CapturedResponse {
  statusCode = 200;
  /** kinesalite remembers the request's content type here. */
  contentType?: string;
  readonly #headers: Record<string, string> = {};
  readonly #done: (reply: BackendReply) => void;

  constructor(done: (reply: BackendReply) => void) {
    this.#done = done;
  }

  setHeader(name: string, value: string | number): void {
    this.#headers[name.toLowerCase()] = String(value);
  }

  getHeader(name: string): string | undefined {
    return this.#headers[name.toLowerCase()];
  }

  end(body?: string | Buffer | null): void {
    const bytes = body == null ? Buffer.alloc(0) : Buffer.isBuffer(body) ? body : Buffer.from(body, 'utf8');
    this.#done({ status: this.statusCode, headers: this.#headers, body: bytes });
  }
}
