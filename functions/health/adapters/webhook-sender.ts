/**
 * Sends a channel's message over HTTP(S), through the same address guard as the HTTP probes
 * (adapters/target-guard.ts): an address written in the URL is classified before anything connects, a
 * name is resolved once by the connection's own `lookup`, which refuses it when any address is private
 * and otherwise hands the socket exactly the addresses it checked (DNS rebinding finds nothing to
 * rebind). Redirects are never followed: a 3xx is a failure, so a receiver cannot bounce a delivery,
 * with its signature, to an internal address. TLS certificates are verified (no self-signed, unlike
 * probes: a delivery carries a secret).
 *
 * The request is built with the `ClientRequest` constructor, not `http.request`/`https.request`:
 * Powertools Tracer patches those two (aws-xray-sdk's `captureHTTPsGlobal`), and the subsegment it
 * records keeps the URL's path, which for Slack, Discord and Teams is the credential itself (and it
 * would send an `X-Amzn-Trace-Id` to the receiver). The sender traces the delivery itself, by channel
 * id (adapters/channel-sender.ts).
 */
import type dns from 'node:dns';
import http from 'node:http';
import https from 'node:https';
import { urlToHttpOptions } from 'node:url';
import { type AddressClassifier, classifyAddress } from '../domain/address-policy.js';
import type { DeliveryOutcome } from '../domain/channel-delivery.js';
import { describeRefusal, urlHost } from '../domain/target-url.js';
import { BlockedTargetError, guardedLookup, type HostResolver } from './target-guard.js';

/** How the sender reaches targets. */
export interface WebhookSenderOptions {
  /** `HealthAllowPrivateTargets`, as for monitors. */
  allowPrivateTargets: boolean;
  resolve?: HostResolver;
  classify?: AddressClassifier;
  userAgent?: string;
}

/** One POST. */
export interface WebhookRequest {
  url: string;
  body: string;
  headers?: Record<string, string>;
  signal: AbortSignal;
}

/** What of a failing answer is kept in the error: a short excerpt. */
const MAX_ERROR_BODY = 200;

/** Statuses worth retrying: the receiver is overloaded or briefly down. */
function retryableStatus(status: number): boolean {
  return status === 408 || status === 425 || status === 429 || status >= 500;
}

/** A function that POSTs `body` as JSON to `url` and says how it went; never rejects. */
export type WebhookPoster = (request: WebhookRequest) => Promise<DeliveryOutcome>;

/** A {@link WebhookPoster} behind the address guard. */
export function createWebhookPoster(options: WebhookSenderOptions): WebhookPoster {
  const classify = options.classify ?? classifyAddress;
  const lookup = guardedLookup({
    allowPrivateTargets: options.allowPrivateTargets,
    classify,
    ...(options.resolve === undefined ? {} : { resolve: options.resolve }),
  });
  const userAgent = options.userAgent ?? 'Kumo-Notifications/1.0';

  return (request) =>
    new Promise<DeliveryOutcome>((resolve) => {
      let settled = false;
      let req: http.ClientRequest | undefined;
      const finish = (outcome: DeliveryOutcome): void => {
        if (settled) return;
        settled = true;
        request.signal.removeEventListener('abort', onAbort);
        req?.destroy();
        resolve(outcome);
      };
      const onAbort = (): void => finish({ ok: false, error: 'aborted: no answer in time', retryable: true });

      const url = new URL(request.url);
      if (!options.allowPrivateTargets) {
        const host = urlHost(url);
        if (host.kind === 'address') {
          const verdict = classify(host.address);
          if (!verdict.allowed) {
            finish({ ok: false, error: `refused: ${describeRefusal(verdict)}`, retryable: false });
            return;
          }
        }
      }
      if (request.signal.aborted) {
        onAbort();
        return;
      }
      request.signal.addEventListener('abort', onAbort, { once: true });
      // One connection per delivery (no keep-alive): each goes through the guarded lookup afresh.
      const agent =
        url.protocol === 'https:'
          ? new https.Agent({ keepAlive: false })
          : new http.Agent({ keepAlive: false });
      const body = Buffer.from(request.body, 'utf8');
      req = new http.ClientRequest({
        ...urlToHttpOptions(url),
        method: 'POST',
        agent,
        lookup: lookup as unknown as typeof dns.lookup,
        headers: {
          'Content-Type': 'application/json',
          'Content-Length': String(body.length),
          'User-Agent': userAgent,
          ...request.headers,
        },
      });
      req.on('error', (error) => {
        if (error instanceof BlockedTargetError) {
          finish({ ok: false, error: `refused: ${error.message}`, retryable: false });
          return;
        }
        finish({ ok: false, error: error.message, retryable: true });
      });
      req.on('response', (response) => {
        const status = response.statusCode ?? 0;
        const chunks: Buffer[] = [];
        let size = 0;
        response.on('data', (chunk: Buffer) => {
          if (size < MAX_ERROR_BODY) chunks.push(chunk);
          size += chunk.length;
        });
        response.on('error', () =>
          finish({ ok: false, statusCode: status, error: 'connection reset', retryable: true }),
        );
        response.on('end', () => {
          if (status >= 200 && status < 300) {
            finish({ ok: true, statusCode: status });
            return;
          }
          if (status >= 300 && status < 400) {
            finish({
              ok: false,
              statusCode: status,
              error: `HTTP ${status}: redirects are not followed`,
              retryable: false,
            });
            return;
          }
          const excerpt = Buffer.concat(chunks)
            .toString('utf8')
            .slice(0, MAX_ERROR_BODY)
            .replace(/\s+/g, ' ')
            .trim();
          finish({
            ok: false,
            statusCode: status,
            error: excerpt === '' ? `HTTP ${status}` : `HTTP ${status}: ${excerpt}`,
            retryable: retryableStatus(status),
          });
        });
      });
      req.end(body);
    });
}
