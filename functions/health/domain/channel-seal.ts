/**
 * Sealing a channel's target (its URL and signing secret) for storage: AES-256-GCM under a key derived
 * (HKDF-SHA256) from the channel key, an SSM SecureString only the channel functions may read
 * (adapters/channel-key.ts). The channel id and owner are the additional authenticated data, so a sealed
 * target copied onto another channel's item does not open. DynamoDB's own encryption at rest stays
 * underneath; this layer keeps the targets unreadable to anything that can read the table (a backup, an
 * export, a role with table read) but not the parameter.
 */
import { createCipheriv, createDecipheriv, hkdfSync, randomBytes } from 'node:crypto';
import type { ChannelTarget } from './channels.js';

/** Version prefix of a sealed value: a new scheme can come beside it. */
const VERSION = 'v1';

/** The AES key of `channelKey` (the parameter's text). */
export function deriveSealKey(channelKey: string): Buffer {
  return Buffer.from(hkdfSync('sha256', channelKey, 'kumo-channels', 'channel-target-v1', 32));
}

function aad(channelId: string, ownerId: string): Buffer {
  return Buffer.from(`${channelId}\n${ownerId}`);
}

/** `v1.<iv>.<ciphertext>.<tag>` (base64url) of the target's JSON. */
export function sealTarget(key: Buffer, channelId: string, ownerId: string, target: ChannelTarget): string {
  const iv = randomBytes(12);
  const cipher = createCipheriv('aes-256-gcm', key, iv);
  cipher.setAAD(aad(channelId, ownerId));
  const data = Buffer.concat([cipher.update(JSON.stringify(target), 'utf8'), cipher.final()]);
  return [VERSION, iv, data, cipher.getAuthTag()]
    .map((part) => (typeof part === 'string' ? part : part.toString('base64url')))
    .join('.');
}

/** The sealed value cannot be opened: another key, another channel's, or altered. */
export class SealError extends Error {
  public constructor(message: string) {
    super(message);
    this.name = 'SealError';
  }
}

/**
 * Open a value of {@link sealTarget}.
 *
 * @throws {SealError} when it was sealed with another key, for another channel, or altered
 */
export function openTarget(key: Buffer, channelId: string, ownerId: string, sealed: string): ChannelTarget {
  const [version, iv, data, tag] = sealed.split('.');
  if (version !== VERSION || iv === undefined || data === undefined || tag === undefined) {
    throw new SealError(`channel ${channelId}: not a sealed target`);
  }
  try {
    const decipher = createDecipheriv('aes-256-gcm', key, Buffer.from(iv, 'base64url'));
    decipher.setAAD(aad(channelId, ownerId));
    decipher.setAuthTag(Buffer.from(tag, 'base64url'));
    const text = Buffer.concat([decipher.update(Buffer.from(data, 'base64url')), decipher.final()]).toString(
      'utf8',
    );
    return JSON.parse(text) as ChannelTarget;
  } catch {
    throw new SealError(`channel ${channelId}: its target does not open with this channel key`);
  }
}
