import { describe, expect, it } from 'vitest';
import {
  type ChannelEvent,
  channelBody,
  deliveryIdOf,
  discordMessage,
  emailText,
  escapeDiscord,
  escapeSlack,
  escapeTeams,
  slackMessage,
  teamsMessage,
  webhookPayload,
} from '../../../../functions/health/domain/channel-messages.js';
import type { Alert } from '../../../../functions/health/domain/types.js';

const alert: Alert = {
  type: 'MONITOR_DOWN',
  monitorId: 'example-com-0123456789abcdef',
  name: '<!channel> *Shop* @everyone',
  url: 'https://shop.example.com/health',
  status: 'DOWN',
  previousStatus: 'UP',
  reason: 'HTTP 503',
  at: '2026-12-06T04:00:00.000Z',
};
const down: ChannelEvent = { kind: 'alert', alert };
const test: ChannelEvent = {
  kind: 'test',
  channelId: 'ch-0123456789abcdef0123',
  at: '2026-12-06T04:01:00.000Z',
};
const channelId = 'ch-0123456789abcdef0123';

describe('Function: webhookPayload()', () => {
  it('carries the alert as on the topic, its type, channel and a delivery id', () => {
    expect(webhookPayload(channelId, down)).toEqual({
      deliveryId: deliveryIdOf(channelId, down),
      type: 'MONITOR_DOWN',
      channelId,
      at: alert.at,
      alert,
    });
    expect(webhookPayload(channelId, test)).toMatchObject({ type: 'CHANNEL_TEST', test: true, at: test.at });
  });

  it('gives one delivery id per channel and event, the same on every retry', () => {
    expect(deliveryIdOf(channelId, down)).toBe(
      deliveryIdOf(channelId, { kind: 'alert', alert: { ...alert } }),
    );
    expect(deliveryIdOf(channelId, down)).toMatch(/^[0-9a-f]{32}$/);
    expect(deliveryIdOf('ch-ffffffffffffffffffff', down)).not.toBe(deliveryIdOf(channelId, down));
    expect(deliveryIdOf(channelId, { kind: 'alert', alert: { ...alert, type: 'MONITOR_UP' } })).not.toBe(
      deliveryIdOf(channelId, down),
    );
  });
});

describe('Function: slackMessage()', () => {
  it('has a fallback text and Block Kit sections, with the monitor text escaped', () => {
    const message = slackMessage(down);
    expect(message.text).toBe('DOWN: &lt;!channel&gt; *Shop* @everyone - HTTP 503');
    expect(message.blocks[0]).toEqual({
      type: 'section',
      text: { type: 'mrkdwn', text: `*${message.text}*` },
    });
    expect(message.blocks[1]).toMatchObject({
      type: 'section',
      fields: expect.arrayContaining([
        { type: 'mrkdwn', text: '*URL*\nhttps://shop.example.com/health' },
        { type: 'mrkdwn', text: '*Status*\nUP → DOWN' },
      ]),
    });
    // No unescaped control sequence survives: <!channel> would notify the whole channel.
    expect(JSON.stringify(message)).not.toContain('<!channel>');
  });

  it('escapes &, < and > only', () => {
    expect(escapeSlack('a & <b> *c*')).toBe('a &amp; &lt;b&gt; *c*');
  });
});

describe('Function: discordMessage()', () => {
  it('is one embed, coloured by the event, with every mention disabled', () => {
    const message = discordMessage(down);
    expect(message.username).toBe('Kumo');
    expect(message.allowed_mentions).toEqual({ parse: [] });
    const [embed] = message.embeds;
    expect(embed).toMatchObject({ color: 0xdc2626, timestamp: alert.at, footer: { text: 'Kumo' } });
    expect(embed?.title.startsWith('DOWN: ')).toBe(true);
    expect(embed?.fields).toContainEqual({
      name: 'Monitor',
      value: '<!channel> \\*Shop\\* @everyone',
      inline: false,
    });
    expect(
      discordMessage({ kind: 'alert', alert: { ...alert, type: 'MONITOR_UP', status: 'UP' } }).embeds[0]
        ?.color,
    ).toBe(0x16a34a);
  });
});

describe('Function: teamsMessage()', () => {
  it('is a message with one Adaptive Card attachment (connectors and Power Automate workflows)', () => {
    const message = teamsMessage(down);
    expect(message.type).toBe('message');
    expect(message.attachments).toHaveLength(1);
    const [attachment] = message.attachments;
    expect(attachment?.contentType).toBe('application/vnd.microsoft.card.adaptive');
    expect(attachment?.content).toMatchObject({ type: 'AdaptiveCard', version: '1.4' });
    const [title, facts] = attachment?.content.body ?? [];
    expect(title).toMatchObject({ type: 'TextBlock', color: 'Attention', wrap: true });
    expect(facts).toMatchObject({ type: 'FactSet' });
    expect(JSON.stringify(facts)).toContain('\\\\*Shop\\\\*');
  });
});

describe('Function: channelBody()', () => {
  it('is the JSON of each kind', () => {
    expect(JSON.parse(channelBody('webhook', channelId, down))).toMatchObject({ type: 'MONITOR_DOWN' });
    expect(JSON.parse(channelBody('slack', channelId, down))).toHaveProperty('blocks');
    expect(JSON.parse(channelBody('discord', channelId, down))).toHaveProperty('embeds');
    expect(JSON.parse(channelBody('teams', channelId, down))).toHaveProperty('attachments');
  });
});

describe('Function: emailText()', () => {
  it('has the topic subject and a plain-text body', () => {
    const mail = emailText(down);
    expect(mail.subject.startsWith('[Kumo] DOWN: ')).toBe(true);
    expect(mail.body).toContain('URL: https://shop.example.com/health');
    expect(emailText(test).subject).toBe('[Kumo] Test notification: this channel works');
  });
});

describe('Functions: escapeDiscord() and escapeTeams()', () => {
  it('escape emphasis and links anywhere, markers only at the start of a line', () => {
    expect(escapeDiscord('[x](http://evil) *b* ||s|| 2026-12-06')).toBe(
      '\\[x\\](http://evil) \\*b\\* \\|\\|s\\|\\| 2026-12-06',
    );
    expect(escapeDiscord('# big\n> quote\n- item')).toBe('\\# big\n\\> quote\n\\- item');
    expect(escapeTeams('[x](http://evil) _i_ 2026-12-06')).toBe('\\[x\\](http://evil) \\_i\\_ 2026-12-06');
    expect(escapeTeams('1. first\n- second')).toBe('\\1. first\n\\- second');
  });
});
