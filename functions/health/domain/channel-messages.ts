/**
 * What each kind of channel receives, as the request body its receiver expects:
 *
 * - `webhook`: Kumo's own JSON ({@link WebhookPayload}), signed (domain/channel-signature.ts);
 * - `slack`: an incoming-webhook message, `text` (the notification's fallback) and Block Kit blocks;
 * - `discord`: an execute-webhook body with one embed, mentions disabled (a monitor named
 *   `@everyone` pings no one);
 * - `teams`: a `message` with one Adaptive Card attachment, the format both Office 365 connectors and
 *   Power Automate's "When a Teams webhook request is received" workflows accept.
 *
 * Text that came from the monitor (its name, URL, the reason, which may quote the target) is escaped
 * for each format, so it can neither format the message nor link elsewhere.
 */
import { createHash } from 'node:crypto';
import { alertSubject } from './alert.js';
import type { ChannelKind } from './channels.js';
import type { Alert } from './types.js';

/** What a channel delivers: a monitor's alert, or the owner's "send a test". */
export type ChannelEvent = { kind: 'alert'; alert: Alert } | { kind: 'test'; channelId: string; at: string };

/** The `type` of a test delivery. */
export const TEST_EVENT_TYPE = 'CHANNEL_TEST';

/** The type of an event: the alert's type, or {@link TEST_EVENT_TYPE}. */
export function eventType(event: ChannelEvent): string {
  return event.kind === 'alert' ? event.alert.type : TEST_EVENT_TYPE;
}

/** The body of a `webhook` delivery. */
export interface WebhookPayload {
  /** Stable across retries of one delivery: receivers drop the duplicates. */
  deliveryId: string;
  type: string;
  channelId: string;
  /** ISO 8601: when the event happened (not when this attempt was sent). */
  at: string;
  /** The alert, as on the SNS topic; absent in a test. */
  alert?: Alert;
  test?: true;
}

/** The id of one delivery of `event` to `channelId`: the same for each retry. */
export function deliveryIdOf(channelId: string, event: ChannelEvent): string {
  const key =
    event.kind === 'alert'
      ? `${channelId}\n${event.alert.monitorId}\n${event.alert.type}\n${event.alert.at}`
      : `${channelId}\ntest\n${event.at}`;
  return createHash('sha256').update(key).digest('hex').slice(0, 32);
}

/** The JSON a `webhook` channel receives. */
export function webhookPayload(channelId: string, event: ChannelEvent): WebhookPayload {
  const base = { deliveryId: deliveryIdOf(channelId, event), type: eventType(event), channelId };
  return event.kind === 'alert'
    ? { ...base, at: event.alert.at, alert: event.alert }
    : { ...base, at: event.at, test: true };
}

/** Colour per event: red down, green up, amber certificate, blue test. */
function colourOf(event: ChannelEvent): number {
  if (event.kind === 'test') return 0x2563eb;
  return { MONITOR_DOWN: 0xdc2626, MONITOR_UP: 0x16a34a, CERT_EXPIRING: 0xd97706 }[event.alert.type];
}

/** One line for every format: the SNS subject without its `[Kumo] ` prefix. */
export function headline(event: ChannelEvent): string {
  if (event.kind === 'test') return 'Test notification: this channel works';
  return alertSubject(event.alert).replace(/^\[Kumo\] /, '');
}

interface Detail {
  label: string;
  value: string;
}

function detailsOf(event: ChannelEvent): Detail[] {
  if (event.kind === 'test') {
    return [
      { label: 'Channel', value: event.channelId },
      { label: 'Sent', value: event.at },
    ];
  }
  const { alert } = event;
  const details: Detail[] = [
    { label: 'Monitor', value: alert.name },
    { label: 'URL', value: alert.url },
    { label: 'Status', value: `${alert.previousStatus} → ${alert.status}` },
  ];
  if (alert.reason !== '') details.push({ label: 'Reason', value: alert.reason });
  if (alert.cert !== undefined) {
    details.push({
      label: 'Certificate expires',
      value: `${alert.cert.validTo} (${alert.cert.daysRemaining} days)`,
    });
  }
  details.push({ label: 'At', value: alert.at });
  return details;
}

/** Slack mrkdwn: `&`, `<` and `>` escaped (Slack's own rule), so `<http://x|y>` links cannot be forged. */
export function escapeSlack(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

/**
 * Discord markdown: emphasis, code, spoiler and link characters escaped anywhere, and a heading, quote
 * or list marker at the start of a line (a date's hyphens stay as they are).
 */
export function escapeDiscord(text: string): string {
  return text.replace(/([\\*_~`|[\]])/g, '\\$1').replace(/^(\s*)([#>-])/gm, '$1\\$2');
}

/** Adaptive Card TextBlocks render a subset of markdown (emphasis, links, lists): escaped the same way. */
export function escapeTeams(text: string): string {
  return text.replace(/([\\*_`[\]])/g, '\\$1').replace(/^(\s*)([#>-]|\d+\.)/gm, '$1\\$2');
}

function truncate(text: string, max: number): string {
  return text.length <= max ? text : `${text.slice(0, max - 1)}…`;
}

/** A Slack incoming-webhook message. */
export function slackMessage(event: ChannelEvent) {
  const title = escapeSlack(headline(event));
  const fields = detailsOf(event).map(({ label, value }) => ({
    type: 'mrkdwn',
    text: truncate(`*${label}*\n${escapeSlack(value)}`, 2000),
  }));
  return {
    text: title,
    blocks: [
      { type: 'section', text: { type: 'mrkdwn', text: `*${truncate(title, 2900)}*` } },
      // A section holds at most 10 fields.
      { type: 'section', fields: fields.slice(0, 10) },
      { type: 'context', elements: [{ type: 'mrkdwn', text: 'Sent by Kumo' }] },
    ],
  };
}

/** A Discord execute-webhook body. */
export function discordMessage(event: ChannelEvent) {
  return {
    username: 'Kumo',
    // No @everyone, @here, role or user ping, whatever the monitor's name says.
    allowed_mentions: { parse: [] as string[] },
    embeds: [
      {
        title: truncate(headline(event), 256),
        color: colourOf(event),
        timestamp: event.kind === 'alert' ? event.alert.at : event.at,
        fields: detailsOf(event).map(({ label, value }) => ({
          name: label,
          value: truncate(escapeDiscord(value), 1024),
          inline: false,
        })),
        footer: { text: 'Kumo' },
      },
    ],
  };
}

/** A Teams message with an Adaptive Card. */
export function teamsMessage(event: ChannelEvent) {
  return {
    type: 'message',
    attachments: [
      {
        contentType: 'application/vnd.microsoft.card.adaptive',
        contentUrl: null,
        content: {
          $schema: 'http://adaptivecards.io/schemas/adaptive-card.json',
          type: 'AdaptiveCard',
          version: '1.4',
          body: [
            {
              type: 'TextBlock',
              size: 'Medium',
              weight: 'Bolder',
              wrap: true,
              color:
                event.kind === 'test' ? 'Accent' : event.alert.type === 'MONITOR_UP' ? 'Good' : 'Attention',
              text: escapeTeams(headline(event)),
            },
            {
              type: 'FactSet',
              facts: detailsOf(event).map(({ label, value }) => ({
                title: label,
                value: truncate(escapeTeams(value), 1000),
              })),
            },
          ],
        },
      },
    ],
  };
}

/** The JSON body a channel of `kind` receives for `event` (an `email` channel gets {@link emailText}). */
export function channelBody(
  kind: Exclude<ChannelKind, 'email'>,
  channelId: string,
  event: ChannelEvent,
): string {
  switch (kind) {
    case 'webhook':
      return JSON.stringify(webhookPayload(channelId, event));
    case 'slack':
      return JSON.stringify(slackMessage(event));
    case 'discord':
      return JSON.stringify(discordMessage(event));
    case 'teams':
      return JSON.stringify(teamsMessage(event));
  }
}

/** The e-mail of an `email` channel: the subject as the alerts topic's, a plain-text body. */
export function emailText(event: ChannelEvent): { subject: string; body: string } {
  const subject =
    event.kind === 'alert' ? alertSubject(event.alert) : '[Kumo] Test notification: this channel works';
  const lines = detailsOf(event).map(({ label, value }) => `${label}: ${value}`);
  return { subject, body: `${headline(event)}\n\n${lines.join('\n')}\n\n-- Kumo` };
}
