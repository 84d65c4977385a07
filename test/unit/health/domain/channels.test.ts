import { describe, expect, it } from 'vitest';
import {
  assertMonitorChannels,
  channelUrlProblem,
  parseChannelId,
  parseChannelInput,
  parseChannelPatch,
  requireChannelManageable,
  toChannelView,
  urlHint,
} from '../../../../functions/health/domain/channels.js';
import { parseMonitorInput, parseMonitorPatch } from '../../../../functions/health/domain/monitor.js';

const ADA = { sub: 'ada-sub', groups: [] };
const BOB = { sub: 'bob-sub', groups: [] };
const OPERATOR = { sub: 'op-sub', groups: ['operators'] };
const id = 'ch-0123456789abcdef0123';

describe('Function: channelUrlProblem()', () => {
  it.each([
    ['slack', 'https://hooks.slack.com/services/T000/B000/XXXX'],
    ['discord', 'https://discord.com/api/webhooks/123456789/abc-DEF_ghi'],
    ['discord', 'https://discordapp.com/api/webhooks/123456789/abc'],
    ['teams', 'https://contoso.webhook.office.com/webhookb2/abc@def/IncomingWebhook/123/456'],
    ['teams', 'https://prod-12.westeurope.logic.azure.com/workflows/abc/triggers/manual/paths/invoke?sig=x'],
    [
      'teams',
      'https://default1234.56.environment.api.powerplatform.com/powerautomate/automations/direct/workflows/x',
    ],
    ['webhook', 'http://hooks.example.com:8080/kumo'],
  ] as const)('accepts a %s URL %s', (kind, url) => {
    expect(channelUrlProblem(kind, url)).toBeUndefined();
  });

  it.each([
    ['slack', 'https://hooks.slack.com.evil.example/services/T000/B000/X', 'slack'],
    ['slack', 'http://hooks.slack.com/services/T000/B000/X', 'slack'],
    ['slack', 'https://hooks.slack.com:8443/services/T000/B000/X', 'slack'],
    ['slack', 'https://hooks.slack.com/api/other', 'slack'],
    ['discord', 'https://discord.com/channels/1/2', 'discord'],
    ['discord', 'https://evil.example/api/webhooks/1/x', 'discord'],
    ['teams', 'https://webhook.office.com.evil.example/webhookb2/x', 'teams'],
    ['teams', 'https://evil-logic.azure.com.example/workflows/x', 'teams'],
  ] as const)('refuses a %s URL %s off its service', (kind, url, name) => {
    expect(channelUrlProblem(kind, url)).toMatch(new RegExp(`^must be a ${name} incoming webhook URL`));
  });

  it('applies the monitor URL rules to every kind', () => {
    expect(channelUrlProblem('webhook', 'ftp://example.com/')).toBe(
      'must be an absolute http:// or https:// URL',
    );
    expect(channelUrlProblem('webhook', 'https://user:pw@example.com/')).toBe(
      'must not contain a user name or password',
    );
  });
});

describe('Function: parseChannelInput()', () => {
  it('needs a URL for the webhook kinds and refuses one for email', () => {
    expect(parseChannelInput({ kind: 'webhook' })).toEqual({ success: false, error: 'url: is required' });
    expect(parseChannelInput({ kind: 'email', url: 'https://x.example/' })).toEqual({
      success: false,
      error: 'url: an email channel sends to your own address; it takes no url',
    });
    expect(parseChannelInput({ kind: 'email' })).toEqual({ success: true, data: { kind: 'email' } });
  });

  it('names every bad field, unknown ones included', () => {
    expect(parseChannelInput({ kind: 'pager', name: '', secret: 'x' })).toEqual({
      success: false,
      error:
        'kind: must be one of email, webhook, slack, discord, teams; name: must not be empty; secret: unknown field',
    });
    expect(parseChannelInput('nope')).toEqual({ success: false, error: 'body: must be a JSON object' });
  });
});

describe('Function: parseChannelPatch()', () => {
  it('checks a new URL against the channel kind', () => {
    expect(parseChannelPatch({ url: 'https://evil.example/services/x' }, 'slack')).toMatchObject({
      success: false,
    });
    expect(parseChannelPatch({ name: 'Alerts' }, 'slack')).toEqual({
      success: true,
      data: { name: 'Alerts' },
    });
    expect(parseChannelPatch({}, 'webhook')).toEqual({
      success: false,
      error: 'body: must name at least one field to change',
    });
    expect(parseChannelPatch({ url: 'https://x.example/' }, 'email')).toMatchObject({ success: false });
  });
});

describe('Function: parseChannelId()', () => {
  it('accepts only the ids the API makes', () => {
    expect(parseChannelId(id)).toEqual({ success: true, data: id });
    expect(parseChannelId('ch-../../x')).toMatchObject({ success: false });
    expect(parseChannelId(undefined)).toEqual({ success: false, error: 'channelId: is required' });
  });
});

describe('owner checks', () => {
  const channel = { channelId: id, ownerId: ADA.sub };

  it('lets the owner and operators manage a channel, and answers 404 to anyone else', () => {
    expect(requireChannelManageable(channel, id, ADA)).toBe(channel);
    expect(requireChannelManageable(channel, id, OPERATOR)).toBe(channel);
    expect(() => requireChannelManageable(channel, id, BOB)).toThrow(`Channel ${id} not found`);
    expect(() => requireChannelManageable(undefined, id, ADA)).toThrow(`Channel ${id} not found`);
  });

  it("lets a monitor name only its owner's channels", () => {
    const other = 'ch-ffffffffffffffffffff';
    expect(() => assertMonitorChannels([id], [channel], ADA.sub)).not.toThrow();
    expect(() => assertMonitorChannels([id], [channel], BOB.sub)).toThrow(
      `channelIds[0]: no channel ${id} of the monitor's owner`,
    );
    expect(() => assertMonitorChannels([id, other], [channel], ADA.sub)).toThrow(
      `channelIds[1]: no channel ${other}`,
    );
  });
});

describe('monitor channelIds', () => {
  it('are optional, deduplicated, at most 10, and may be emptied by a patch', () => {
    expect(parseMonitorInput({ url: 'https://example.com/', channelIds: [id, id] })).toMatchObject({
      success: true,
      data: { channelIds: [id] },
    });
    expect(parseMonitorInput({ url: 'https://example.com/', channelIds: ['x'] })).toEqual({
      success: false,
      error: 'channelIds[0]: must be a channel id (ch- and 20 hex digits)',
    });
    const many = Array.from({ length: 11 }, (_, n) => `ch-${String(n).padStart(20, '0')}`);
    expect(parseMonitorInput({ url: 'https://example.com/', channelIds: many })).toEqual({
      success: false,
      error: 'channelIds: must list at most 10 channels',
    });
    expect(parseMonitorPatch({ channelIds: [] })).toEqual({ success: true, data: { channelIds: [] } });
  });
});

describe('Function: toChannelView() and urlHint()', () => {
  it('shows where a channel goes but never its URL or secret', () => {
    const url = 'https://hooks.slack.com/services/T000/B000/XXXXSECRET';
    expect(urlHint(url)).toBe('https://hooks.slack.com/services/…');
    const view = toChannelView({
      channelId: id,
      ownerId: ADA.sub,
      kind: 'slack',
      name: 'Slack',
      createdAt: '2026-12-06T04:00:00.000Z',
      targetHint: urlHint(url),
      target: { url, secret: 'kumo_whsec_s3cret' },
      failureCount: 0,
    });
    expect(JSON.stringify(view)).not.toMatch(/XXXXSECRET|s3cret|ada-sub/);
    expect(view).toEqual({
      channelId: id,
      kind: 'slack',
      name: 'Slack',
      createdAt: '2026-12-06T04:00:00.000Z',
      target: 'https://hooks.slack.com/services/…',
      lastDelivery: null,
      lastFailure: null,
      failureCount: 0,
    });
  });
});
