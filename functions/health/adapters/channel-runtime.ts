/**
 * The channel parts of a health function, from its environment: the store (ChannelsTable, targets
 * sealed with the channel key), the sender (guarded webhooks, e-mail through SNS) and the retry queue.
 * SNS and SSM are loaded on first use, not at init: most runs and requests never touch a channel.
 *
 * Environment: `CHANNELS_TABLE` (without it channels are off), `CHANNEL_KEY_PARAMETER`,
 * `CHANNEL_EMAIL_TOPIC_ARN`, `CHANNEL_RETRY_TOPIC_ARN`, `HEALTH_ALLOW_PRIVATE_TARGETS`, `STAGE`.
 */
import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { once } from '../../lib/once.js';
import type { ChannelSender, ChannelStore, RetryQueue } from '../domain/channel-delivery.js';
import { channelKeyFromEnv } from './channel-key.js';
import { createChannelSender } from './channel-sender.js';
import { DynamoChannelStore } from './dynamo-channel-store.js';
import type { SnsEmailChannels } from './sns-channels.js';
import { createWebhookPoster } from './webhook-sender.js';

/** What a function gets. */
export interface ChannelRuntime {
  /** Undefined when the function has no CHANNELS_TABLE. */
  store: ChannelStore | undefined;
  send: ChannelSender;
  /** E-mail channels (subscribe, unsubscribe, publish). */
  email: () => Promise<SnsEmailChannels>;
  retries: RetryQueue;
}

function blank(value: string | undefined): string | undefined {
  return value === undefined || value.trim() === '' ? undefined : value.trim();
}

/** The channel runtime of a function. */
export function createChannelRuntime(
  env: Readonly<Record<string, string | undefined>>,
  documentClient: DynamoDBDocumentClient,
): ChannelRuntime {
  const table = blank(env.CHANNELS_TABLE);
  const emailTopic = blank(env.CHANNEL_EMAIL_TOPIC_ARN);
  const retryTopic = blank(env.CHANNEL_RETRY_TOPIC_ARN);
  const sealKey = channelKeyFromEnv(env, { fallback: `kumo-channel-key:${table ?? 'none'}` });
  const sns = once(async () => {
    const [{ snsClient }, channels] = await Promise.all([
      import('../../lib/clients/sns.js'),
      import('./sns-channels.js'),
    ]);
    return { snsClient, ...channels };
  });
  const email = once(async () => {
    if (emailTopic === undefined) throw new Error('e-mail channels need CHANNEL_EMAIL_TOPIC_ARN');
    const { snsClient, SnsEmailChannels } = await sns();
    return new SnsEmailChannels(snsClient, emailTopic);
  });
  const post = createWebhookPoster({ allowPrivateTargets: env.HEALTH_ALLOW_PRIVATE_TARGETS === 'true' });
  return {
    store: table === undefined ? undefined : new DynamoChannelStore(documentClient, table, sealKey),
    send: createChannelSender({ post, email }),
    email,
    retries: {
      enqueue: async (job) => {
        if (retryTopic === undefined) throw new Error('retries need CHANNEL_RETRY_TOPIC_ARN');
        const { snsClient, SnsRetryQueue } = await sns();
        await new SnsRetryQueue(snsClient, retryTopic).enqueue(job);
      },
    },
  };
}
