import { createHmac } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import {
  CHANNEL_SECRET_PREFIX,
  channelSecretFrom,
  signWebhook,
  verifyWebhookSignature,
} from '../../../../functions/health/domain/channel-signature.js';

const secret = channelSecretFrom(new Uint8Array(32).fill(7));
const body = '{"type":"MONITOR_DOWN","channelId":"ch-0123456789abcdef0123"}';
const at = new Date('2026-12-06T04:00:00.000Z');
const t = Math.floor(at.getTime() / 1000);

describe('Function: signWebhook()', () => {
  it('is t=<seconds>,v1=<hex HMAC-SHA256 of "t.body">, as a receiver recomputes it', () => {
    const expected = createHmac('sha256', secret).update(`${t}.${body}`).digest('hex');
    expect(signWebhook(secret, t, body)).toBe(`t=${t},v1=${expected}`);
    expect(signWebhook(secret, t, body)).toMatch(/^t=\d+,v1=[0-9a-f]{64}$/);
  });

  it('changes with the timestamp, the body and the secret', () => {
    const base = signWebhook(secret, t, body);
    expect(signWebhook(secret, t + 1, body)).not.toBe(base);
    expect(signWebhook(secret, t, `${body} `)).not.toBe(base);
    expect(signWebhook(channelSecretFrom(new Uint8Array(32).fill(8)), t, body)).not.toBe(base);
  });
});

describe('Function: channelSecretFrom()', () => {
  it('prefixes 32 random bytes in base64url', () => {
    expect(secret).toMatch(new RegExp(`^${CHANNEL_SECRET_PREFIX}[A-Za-z0-9_-]{43}$`));
  });

  it('refuses fewer than 32 bytes', () => {
    expect(() => channelSecretFrom(new Uint8Array(16))).toThrow('at least 32 random bytes');
  });
});

describe('Function: verifyWebhookSignature()', () => {
  const header = signWebhook(secret, t, body);

  it('accepts the signature of the body within the tolerance', () => {
    expect(verifyWebhookSignature(header, body, secret, { now: at })).toEqual({ valid: true, timestamp: t });
    expect(
      verifyWebhookSignature(header, body, secret, { now: new Date(at.getTime() + 299_000) }).valid,
    ).toBe(true);
  });

  it('refuses a changed body, another secret, and an old (replayed) delivery', () => {
    expect(verifyWebhookSignature(header, body.replace('DOWN', 'UP'), secret, { now: at })).toEqual({
      valid: false,
      problem: 'mismatch',
    });
    expect(verifyWebhookSignature(header, body, `${secret}x`, { now: at })).toEqual({
      valid: false,
      problem: 'mismatch',
    });
    expect(verifyWebhookSignature(header, body, secret, { now: new Date(at.getTime() + 301_000) })).toEqual({
      valid: false,
      problem: 'expired',
    });
  });

  it('refuses a missing or malformed header', () => {
    for (const bad of [undefined, '', 'v1=abc', `t=${t}`, `t=x,v1=${'0'.repeat(64)}`, `t=${t},v1=zz`]) {
      expect(verifyWebhookSignature(bad, body, secret, { now: at }), String(bad)).toEqual({
        valid: false,
        problem: 'malformed',
      });
    }
  });

  it('accepts any one of several v1 values (a secret rotation) and ignores unknown schemes', () => {
    const v1 = header.split('v1=')[1];
    const rotated = `t=${t},v0=legacy,v1=${'0'.repeat(64)},v1=${v1}`;
    expect(verifyWebhookSignature(rotated, body, secret, { now: at }).valid).toBe(true);
  });
});
