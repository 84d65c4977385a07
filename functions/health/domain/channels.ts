/**
 * Notification channels: where a user's monitors send their alerts besides the operators' topic. Each
 * channel belongs to one user (its `ownerId`, the Cognito `sub`); like a monitor, only its owner or an
 * operator reads, changes, tests or deletes it, and anyone else gets a 404 (ids leak nothing).
 *
 * Kinds: `email` (the owner's own address, through SNS), `webhook` (a signed JSON POST to any URL that
 * passes the address guard), and `slack`, `discord`, `teams` (their incoming webhooks, whose URLs must
 * be on the service's own host). Slack/Discord/Teams URLs are bearer secrets and a webhook has a signing
 * secret: both are kept sealed (domain/channel-seal.ts), never returned after creation except as a hint.
 */
import * as z from 'zod';
import { NotFoundError, ValidationError } from '../../lib/errors.js';
import { isOperator, type Principal } from './access.js';
import { CHANNEL_ID_PATTERN } from './channel-ids.js';
import { formatIssues, type ParseResult } from './monitor.js';
import { urlSyntaxProblem } from './target-url.js';

/** The kinds of channel. */
export const CHANNEL_KINDS = ['email', 'webhook', 'slack', 'discord', 'teams'] as const;
export type ChannelKind = (typeof CHANNEL_KINDS)[number];

/** The kinds that POST to a URL. */
export type WebhookKind = Exclude<ChannelKind, 'email'>;

/** Channels a user (not an operator) may have. */
export const CHANNEL_QUOTA = 20;

/** The outcome of one delivery attempt (or of the last of its retries). */
export interface DeliveryRecord {
  /** ISO 8601. */
  at: string;
  ok: boolean;
  /** Attempts made, retries included. */
  attempts: number;
  statusCode?: number;
  /** Why it failed (never the target's body beyond a short excerpt). */
  error?: string;
  /** What was delivered: an alert type, or `CHANNEL_TEST`. */
  event: string;
}

/** What a channel delivers to, once opened: kept sealed in storage. */
export interface ChannelTarget {
  /** The webhook kinds' URL. */
  url?: string;
  /** A `webhook` channel's signing secret. */
  secret?: string;
}

/** A channel as the domain uses it, target opened. */
export interface Channel {
  channelId: string;
  ownerId: string;
  kind: ChannelKind;
  name: string;
  /** ISO 8601. */
  createdAt: string;
  /** `email`: the owner's address. */
  address?: string;
  /** `email`: the SNS subscription that filters on this channel's id. */
  subscriptionArn?: string;
  /** What the owner sees of the target: the address, or the URL's scheme, host and the start of its path. */
  targetHint: string;
  target: ChannelTarget;
  lastDelivery?: DeliveryRecord;
  lastFailure?: DeliveryRecord;
  /** Deliveries that failed for good (after their retries), ever. */
  failureCount: number;
}

/** A channel as its owner sees it: no URL, no secret. */
export interface ChannelView {
  channelId: string;
  kind: ChannelKind;
  name: string;
  createdAt: string;
  target: string;
  lastDelivery: DeliveryRecord | null;
  lastFailure: DeliveryRecord | null;
  failureCount: number;
}

/** The view of a channel. */
export function toChannelView(channel: Channel): ChannelView {
  return {
    channelId: channel.channelId,
    kind: channel.kind,
    name: channel.name,
    createdAt: channel.createdAt,
    target: channel.targetHint,
    lastDelivery: channel.lastDelivery ?? null,
    lastFailure: channel.lastFailure ?? null,
    failureCount: channel.failureCount,
  };
}

/**
 * The hosts each chat kind accepts (a URL elsewhere would turn "Slack" into a generic unsigned POST):
 * exact hosts, or suffixes starting with a dot.
 */
export const CHAT_HOSTS: Record<'slack' | 'discord' | 'teams', readonly string[]> = {
  slack: ['hooks.slack.com'],
  discord: ['discord.com', 'discordapp.com', 'ptb.discord.com', 'canary.discord.com'],
  // Office 365 connectors (`<tenant>.webhook.office.com/webhookb2/...`) and the Power Automate
  // "Workflows" that replace them (`prod-NN.<region>.logic.azure.com/workflows/...`,
  // `<env>.environment.api.powerplatform.com/powerautomate/...`).
  teams: ['.webhook.office.com', '.logic.azure.com', '.environment.api.powerplatform.com'],
};

const CHAT_PATHS: Record<'slack' | 'discord' | 'teams', RegExp> = {
  slack: /^\/services\/[A-Za-z0-9_/-]+$/,
  discord: /^\/api\/webhooks\/\d+\/[A-Za-z0-9_-]+\/?$/,
  teams: /^\/(webhookb2|workflows|powerautomate)\//,
};

const CHAT_EXAMPLES: Record<'slack' | 'discord' | 'teams', string> = {
  slack: 'https://hooks.slack.com/services/...',
  discord: 'https://discord.com/api/webhooks/<id>/<token>',
  teams: 'https://<tenant>.webhook.office.com/webhookb2/... or a Power Automate workflow URL',
};

function hostMatches(host: string, allowed: readonly string[]): boolean {
  return allowed.some((entry) => (entry.startsWith('.') ? host.endsWith(entry) : host === entry));
}

/** What is wrong with `value` as the URL of a channel of `kind`, or undefined. */
export function channelUrlProblem(kind: WebhookKind, value: string): string | undefined {
  const syntax = urlSyntaxProblem(value);
  if (syntax !== undefined) return syntax;
  const url = new URL(value);
  if (kind === 'webhook') return undefined;
  if (url.protocol !== 'https:' || url.port !== '' || !hostMatches(url.hostname, CHAT_HOSTS[kind])) {
    return `must be a ${kind} incoming webhook URL (${CHAT_EXAMPLES[kind]})`;
  }
  if (!CHAT_PATHS[kind].test(url.pathname)) {
    return `must be a ${kind} incoming webhook URL (${CHAT_EXAMPLES[kind]})`;
  }
  return undefined;
}

/**
 * What the owner sees of a URL: scheme, host, port and the first path segment, e.g.
 * `https://hooks.slack.com/services/…` — enough to recognise it, not enough to post to it.
 */
export function urlHint(value: string): string {
  const url = new URL(value);
  const first = url.pathname.split('/').filter((part) => part !== '')[0];
  return `${url.protocol}//${url.host}/${first === undefined ? '' : `${first.slice(0, 24)}/…`}`;
}

const nameSchema = z
  .string({ error: 'must be a string' })
  .trim()
  .min(1, { error: 'must not be empty' })
  .max(100, { error: 'must be at most 100 characters' });

const urlSchema = z
  .string({ error: (issue) => (issue.input === undefined ? 'is required' : 'must be a string') })
  .trim()
  .max(2048, { error: 'must be at most 2048 characters' });

/** Body of `POST /channels`. */
export interface ChannelInput {
  kind: ChannelKind;
  name?: string;
  url?: string;
}

/** Body of `PATCH /channels/{channelId}`. */
export interface ChannelPatch {
  name?: string;
  url?: string;
}

const channelInputSchema = z
  .strictObject({
    kind: z.enum(CHANNEL_KINDS, { error: `must be one of ${CHANNEL_KINDS.join(', ')}` }),
    name: nameSchema.optional(),
    url: urlSchema.optional(),
  })
  .superRefine((input, ctx) => {
    if (input.kind === 'email') {
      if (input.url !== undefined) {
        ctx.addIssue({
          code: 'custom',
          path: ['url'],
          message: 'an email channel sends to your own address; it takes no url',
        });
      }
      return;
    }
    if (input.url === undefined) {
      ctx.addIssue({ code: 'custom', path: ['url'], message: 'is required' });
      return;
    }
    const problem = channelUrlProblem(input.kind, input.url);
    if (problem !== undefined) ctx.addIssue({ code: 'custom', path: ['url'], message: problem });
  });

const channelPatchSchema = z.strictObject({ name: nameSchema.optional(), url: urlSchema.optional() });

/** Validate an untrusted `POST /channels` body; `error` names every bad field. */
export function parseChannelInput(body: unknown): ParseResult<ChannelInput> {
  const parsed = channelInputSchema.safeParse(body);
  if (!parsed.success) return { success: false, error: formatIssues(parsed.error.issues) };
  return { success: true, data: parsed.data };
}

/** Validate an untrusted `PATCH /channels/{channelId}` body against the channel it changes. */
export function parseChannelPatch(body: unknown, kind: ChannelKind): ParseResult<ChannelPatch> {
  const parsed = channelPatchSchema.safeParse(body);
  if (!parsed.success) return { success: false, error: formatIssues(parsed.error.issues) };
  if (Object.keys(parsed.data).length === 0) {
    return { success: false, error: 'body: must name at least one field to change' };
  }
  const { url } = parsed.data;
  if (url !== undefined) {
    if (kind === 'email') {
      return { success: false, error: 'url: an email channel sends to your own address; it takes no url' };
    }
    const problem = channelUrlProblem(kind, url);
    if (problem !== undefined) return { success: false, error: `url: ${problem}` };
  }
  return { success: true, data: parsed.data };
}

/** A new channel id from 20 random hex digits. */
export function newChannelId(randomHex: string): string {
  const id = `ch-${randomHex}`;
  if (!CHANNEL_ID_PATTERN.test(id)) throw new Error('randomHex must be 20 hex digits');
  return id;
}

/** Validate a `{channelId}` path parameter. */
export function parseChannelId(value: string | null | undefined): ParseResult<string> {
  if (value === undefined || value === null || value === '') {
    return { success: false, error: 'channelId: is required' };
  }
  if (!CHANNEL_ID_PATTERN.test(value)) {
    return { success: false, error: 'channelId: must be a channel id (ch- and 20 hex digits)' };
  }
  return { success: true, data: value };
}

/** Default names: what a list shows when the owner named nothing. */
export function defaultChannelName(kind: ChannelKind, target: string): string {
  const label = { email: 'E-mail', webhook: 'Webhook', slack: 'Slack', discord: 'Discord', teams: 'Teams' }[
    kind
  ];
  return kind === 'email' ? `${label} ${target}`.slice(0, 100) : label;
}

/** True when `caller` may see and change `channel`. */
export function canManageChannel(channel: Pick<Channel, 'ownerId'>, caller: Principal): boolean {
  return isOperator(caller) || channel.ownerId === caller.sub;
}

/** The 404 of a channel that does not exist or that the caller may not see. */
export function channelNotFound(channelId: string): NotFoundError {
  return new NotFoundError(`Channel ${channelId} not found`);
}

/**
 * The channel if `caller` may manage it.
 *
 * @throws {NotFoundError} when it does not exist or is someone else's (unless the caller is an operator)
 */
export function requireChannelManageable<T extends Pick<Channel, 'ownerId'>>(
  channel: T | undefined,
  channelId: string,
  caller: Principal,
): T {
  if (channel === undefined || !canManageChannel(channel, caller)) throw channelNotFound(channelId);
  return channel;
}

/**
 * The `channelIds` a monitor of `ownerId` may name: each must exist and belong to that owner (an
 * operator editing a user's monitor picks among the user's channels). `found` are the stored channels
 * among `channelIds`.
 *
 * @throws {ValidationError} naming the first id that is missing or someone else's
 */
export function assertMonitorChannels(
  channelIds: readonly string[],
  found: readonly Pick<Channel, 'channelId' | 'ownerId'>[],
  ownerId: string,
): void {
  const owned = new Set(found.filter((c) => c.ownerId === ownerId).map((c) => c.channelId));
  channelIds.forEach((channelId, index) => {
    // Someone else's channel reads as missing, as on every channel route.
    if (!owned.has(channelId)) {
      throw new ValidationError(`channelIds[${index}]: no channel ${channelId} of the monitor's owner`);
    }
  });
}
