/**
 * The channel routes of HealthApiFunction (docs/health-api.yaml): `GET/POST /channels`,
 * `GET/PATCH/DELETE /channels/{channelId}` and `POST /channels/{channelId}/test`. All behind the
 * Cognito authorizer; the caller is checked again here, and a channel that is someone else's answers
 * 404 like a missing one (operators manage every channel). Every URL passes the address guard at
 * input, and again at each connection (adapters/webhook-sender.ts).
 */
import { randomBytes } from 'node:crypto';
import type { APIGatewayProxyEvent } from 'aws-lambda';
import { callerOf } from '../../lib/caller.js';
import { AppError, ValidationError } from '../../lib/errors.js';
import { empty, json, parseJsonBody } from '../../lib/http.js';
import type { Route } from '../../lib/router.js';
import { annotate } from '../../lib/tracing.js';
import { assertTargetAllowed } from '../adapters/target-guard.js';
import { isOperator } from '../domain/access.js';
import {
  attemptDelivery,
  type ChannelSender,
  type ChannelStore,
  deliveryRecord,
} from '../domain/channel-delivery.js';
import { channelSecretFrom } from '../domain/channel-signature.js';
import {
  CHANNEL_QUOTA,
  type Channel,
  channelNotFound,
  defaultChannelName,
  newChannelId,
  parseChannelId,
  parseChannelInput,
  parseChannelPatch,
  requireChannelManageable,
  toChannelView,
  urlHint,
} from '../domain/channels.js';

/** How long "send a test" waits for the target (inside the API's 10-second timeout). */
export const TEST_TIMEOUT_MS = 5_000;

/** E-mail subscriptions of e-mail channels. */
export interface ChannelSubscriptions {
  subscribe(address: string, channelId: string): Promise<string>;
  unsubscribe(subscriptionArn: string): Promise<void>;
}

/** What the channel routes need. */
export interface ChannelRouteDependencies {
  channels: ChannelStore;
  send: ChannelSender;
  subscriptions: () => Promise<ChannelSubscriptions>;
  allowPrivateTargets: boolean;
  /** Warn-level log of what the caller is not told (an unsubscribe that failed). */
  warn: (message: string, extra: Record<string, unknown>) => void;
}

/** 409 `QuotaExceeded`: the caller has as many channels as a user may have. */
export class ChannelQuotaError extends AppError {
  public constructor(quota: number) {
    super(
      `Channel quota reached: a user may have at most ${quota} channels. Delete one to add another.`,
      'QuotaExceeded',
      409,
    );
    this.name = 'ChannelQuotaError';
  }
}

function channelIdOf(event: APIGatewayProxyEvent): string {
  const channelId = parseChannelId(event.pathParameters?.channelId);
  if (!channelId.success) throw new ValidationError(channelId.error);
  annotate({ channelId: channelId.data });
  return channelId.data;
}

/** The channel routes over `deps`. */
export function channelRoutes(deps: ChannelRouteDependencies): Route[] {
  const manageable = async (event: APIGatewayProxyEvent) => {
    const caller = callerOf(event);
    const channelId = channelIdOf(event);
    return {
      caller,
      channel: requireChannelManageable(await deps.channels.get(channelId), channelId, caller),
    };
  };

  return [
    {
      method: 'GET',
      resource: '/channels',
      access: 'authenticated',
      handler: async ({ event }) => {
        const caller = callerOf(event);
        const channels = await deps.channels.listByOwner(caller.sub);
        channels.sort(
          (a, b) => a.createdAt.localeCompare(b.createdAt) || a.channelId.localeCompare(b.channelId),
        );
        return json(200, { channels: channels.map(toChannelView) });
      },
    },
    {
      method: 'POST',
      resource: '/channels',
      access: 'authenticated',
      handler: async ({ event }) => {
        const caller = callerOf(event);
        const input = parseChannelInput(parseJsonBody(event));
        if (!input.success) throw new ValidationError(input.error);
        const { kind, url } = input.data;
        if (kind === 'email' && caller.email === undefined) {
          throw new ValidationError(
            'kind: email needs the e-mail address of your sign-in, and your token has none',
          );
        }
        if (url !== undefined) {
          await assertTargetAllowed(url, { allowPrivateTargets: deps.allowPrivateTargets });
        }
        if (!isOperator(caller) && (await deps.channels.listByOwner(caller.sub)).length >= CHANNEL_QUOTA) {
          throw new ChannelQuotaError(CHANNEL_QUOTA);
        }
        const channelId = newChannelId(randomBytes(10).toString('hex'));
        annotate({ channelId });
        const secret = kind === 'webhook' ? channelSecretFrom(randomBytes(32)) : undefined;
        const targetHint = url === undefined ? (caller.email ?? '') : urlHint(url);
        const channel: Channel = {
          channelId,
          ownerId: caller.sub,
          kind,
          name: input.data.name ?? defaultChannelName(kind, targetHint),
          createdAt: new Date().toISOString(),
          targetHint,
          target: { ...(url === undefined ? {} : { url }), ...(secret === undefined ? {} : { secret }) },
          failureCount: 0,
        };
        if (kind === 'email' && caller.email !== undefined) {
          channel.address = caller.email;
          channel.subscriptionArn = await (await deps.subscriptions()).subscribe(caller.email, channelId);
        }
        try {
          await deps.channels.create(channel);
        } catch (error) {
          // No channel, so no subscription either: nothing would ever remove it.
          if (channel.subscriptionArn !== undefined) {
            await (await deps.subscriptions()).unsubscribe(channel.subscriptionArn).catch(() => undefined);
          }
          throw error;
        }
        // The secret is shown here once: it is stored sealed and never answered again.
        return json(201, { channel: toChannelView(channel), ...(secret === undefined ? {} : { secret }) });
      },
    },
    {
      method: 'GET',
      resource: '/channels/{channelId}',
      access: 'authenticated',
      handler: async ({ event }) => {
        const { channel } = await manageable(event);
        return json(200, { channel: toChannelView(channel) });
      },
    },
    {
      method: 'PATCH',
      resource: '/channels/{channelId}',
      access: 'authenticated',
      handler: async ({ event }) => {
        const body = parseJsonBody(event);
        const { caller, channel } = await manageable(event);
        const patch = parseChannelPatch(body, channel.kind);
        if (!patch.success) throw new ValidationError(patch.error);
        const next: Channel = { ...channel, name: patch.data.name ?? channel.name };
        if (patch.data.url !== undefined) {
          await assertTargetAllowed(patch.data.url, { allowPrivateTargets: deps.allowPrivateTargets });
          next.target = { ...channel.target, url: patch.data.url };
          next.targetHint = urlHint(patch.data.url);
        }
        const owner = isOperator(caller) ? channel.ownerId : caller.sub;
        if (!(await deps.channels.update(next, owner))) throw channelNotFound(channel.channelId);
        return json(200, { channel: toChannelView(next) });
      },
    },
    {
      method: 'DELETE',
      resource: '/channels/{channelId}',
      access: 'authenticated',
      handler: async ({ event }) => {
        const { caller, channel } = await manageable(event);
        const owner = isOperator(caller) ? channel.ownerId : caller.sub;
        if (!(await deps.channels.remove(channel.channelId, owner))) throw channelNotFound(channel.channelId);
        if (channel.subscriptionArn !== undefined) {
          try {
            await (await deps.subscriptions()).unsubscribe(channel.subscriptionArn);
          } catch (error) {
            // The channel is gone; its filter policy matches no message any more, so nothing leaks.
            deps.warn('Could not remove the e-mail subscription of a deleted channel', {
              channelId: channel.channelId,
              error: (error as Error).message,
            });
          }
        }
        return empty(204);
      },
    },
    {
      method: 'POST',
      resource: '/channels/{channelId}/test',
      access: 'authenticated',
      handler: async ({ event }) => {
        const { channel } = await manageable(event);
        const now = new Date();
        const testEvent = { kind: 'test', channelId: channel.channelId, at: now.toISOString() } as const;
        const started = performance.now();
        const outcome = await attemptDelivery(deps.send, channel, testEvent, TEST_TIMEOUT_MS);
        const record = deliveryRecord(testEvent, { outcome, attempts: 1 }, now);
        await deps.channels.recordDelivery(channel.channelId, record);
        return json(200, {
          delivery: { ...record, durationMs: Math.round(performance.now() - started) },
        });
      },
    },
  ];
}
