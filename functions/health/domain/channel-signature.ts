/**
 * The signature of a webhook delivery: `X-Kumo-Signature: t=<unix seconds>,v1=<hex HMAC-SHA256>` over
 * `<t>.<raw body>`, keyed with the channel's secret (the scheme Stripe and others use, so receivers
 * know it). The timestamp is inside the MAC, so a captured delivery replayed later is refused by a
 * receiver that checks the age ({@link verifyWebhookSignature}, default tolerance 5 minutes).
 */
import { createHmac, timingSafeEqual } from 'node:crypto';

/** The header a webhook delivery carries. */
export const SIGNATURE_HEADER = 'X-Kumo-Signature';

/** Prefix of every channel secret: a secret found in a log or a repository says what it is. */
export const CHANNEL_SECRET_PREFIX = 'kumo_whsec_';

/** Default age a receiver accepts: 5 minutes either way (clock skew included). */
export const DEFAULT_TOLERANCE_SECONDS = 300;

/** A new channel secret from 32 random bytes (the handler's CSPRNG). */
export function channelSecretFrom(random: Uint8Array): string {
  if (random.length < 32) throw new Error('a channel secret needs at least 32 random bytes');
  return `${CHANNEL_SECRET_PREFIX}${Buffer.from(random).toString('base64url')}`;
}

function mac(secret: string, timestamp: number, body: string): string {
  return createHmac('sha256', secret).update(`${timestamp}.${body}`).digest('hex');
}

/** The `X-Kumo-Signature` value of `body` sent at `timestamp` (unix seconds). */
export function signWebhook(secret: string, timestamp: number, body: string): string {
  return `t=${timestamp},v1=${mac(secret, timestamp, body)}`;
}

/** Why a signature was refused. */
export type SignatureProblem = 'malformed' | 'expired' | 'mismatch';

/** Outcome of {@link verifyWebhookSignature}. */
export type SignatureCheck = { valid: true; timestamp: number } | { valid: false; problem: SignatureProblem };

/**
 * Verify a delivery as a receiver would: parse the header, refuse a timestamp further than `tolerance`
 * seconds from `now`, and compare every `v1` (several during a secret rotation) in constant time.
 */
export function verifyWebhookSignature(
  header: string | undefined,
  body: string,
  secret: string,
  options: { now?: Date; toleranceSeconds?: number } = {},
): SignatureCheck {
  if (header === undefined) return { valid: false, problem: 'malformed' };
  let timestamp: number | undefined;
  const signatures: string[] = [];
  for (const part of header.split(',')) {
    const [key, value] = part.trim().split('=', 2);
    if (key === 't' && value !== undefined && /^\d{1,12}$/.test(value)) timestamp = Number(value);
    else if (key === 'v1' && value !== undefined && /^[0-9a-f]{64}$/.test(value)) signatures.push(value);
  }
  if (timestamp === undefined || signatures.length === 0) return { valid: false, problem: 'malformed' };
  const nowSeconds = Math.floor((options.now ?? new Date()).getTime() / 1000);
  if (Math.abs(nowSeconds - timestamp) > (options.toleranceSeconds ?? DEFAULT_TOLERANCE_SECONDS)) {
    return { valid: false, problem: 'expired' };
  }
  const expected = Buffer.from(mac(secret, timestamp, body), 'hex');
  const matches = signatures.some((signature) => timingSafeEqual(Buffer.from(signature, 'hex'), expected));
  return matches ? { valid: true, timestamp } : { valid: false, problem: 'mismatch' };
}
