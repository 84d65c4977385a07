/**
 * The {@link ChannelSender} of the channel functions: webhook kinds POST their message through the
 * guarded poster (adapters/webhook-sender.ts), a `webhook` signed with its secret at each attempt (so
 * a retry carries a fresh timestamp); an `email` channel publishes to the channel e-mail topic.
 */
import { traceSpan } from '../../lib/tracing.js';
import type { ChannelSender, DeliveryOutcome } from '../domain/channel-delivery.js';
import {
  type ChannelEvent,
  channelBody,
  deliveryIdOf,
  emailText,
  eventType,
} from '../domain/channel-messages.js';
import { SIGNATURE_HEADER, signWebhook } from '../domain/channel-signature.js';
import type { Channel } from '../domain/channels.js';
import type { WebhookPoster } from './webhook-sender.js';

/** Sends the e-mail of an `email` channel. */
export interface ChannelEmailPublisher {
  publish(channel: Channel, subject: string, body: string): Promise<void>;
}

function errorMessage(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

/** The headers and body of a webhook kind's request for `event`, signed at `now` when it has a secret. */
export function webhookRequestOf(channel: Channel, event: ChannelEvent, now: Date) {
  if (channel.kind === 'email') throw new Error(`channel ${channel.channelId} is an email channel`);
  const body = channelBody(channel.kind, channel.channelId, event);
  const headers: Record<string, string> = {};
  if (channel.kind === 'webhook') {
    headers['X-Kumo-Event'] = eventType(event);
    headers['X-Kumo-Delivery'] = deliveryIdOf(channel.channelId, event);
    if (channel.target.secret !== undefined) {
      headers[SIGNATURE_HEADER] = signWebhook(channel.target.secret, Math.floor(now.getTime() / 1000), body);
    }
  }
  return { body, headers };
}

/** A sender over `post` (webhook kinds) and `email` (e-mail channels). */
export function createChannelSender(deps: {
  post: WebhookPoster;
  email: () => Promise<ChannelEmailPublisher>;
  clock?: () => Date;
}): ChannelSender {
  const clock = deps.clock ?? (() => new Date());
  return async (channel, event, signal): Promise<DeliveryOutcome> => {
    if (channel.kind === 'email') {
      const { subject, body } = emailText(event);
      try {
        await (await deps.email()).publish(channel, subject, body);
        return { ok: true };
      } catch (error) {
        return { ok: false, error: `e-mail not sent: ${errorMessage(error)}`, retryable: true };
      }
    }
    const url = channel.target.url;
    // A target that does not open (the channel key was replaced) is never sent unsigned.
    if (url === undefined || (channel.kind === 'webhook' && channel.target.secret === undefined)) {
      return {
        ok: false,
        error: 'the channel target cannot be read (was the channel key changed?)',
        retryable: false,
      };
    }
    const { body, headers } = webhookRequestOf(channel, event, clock());
    // Traced by channel id: never by URL, which may be the credential (adapters/webhook-sender.ts).
    return traceSpan('channel delivery', { channelId: channel.channelId }, () =>
      deps.post({ url, body, headers, signal }),
    );
  };
}
