import type { KinesisMiddleware } from './types.js';

/** What the template declares about a stream that kinesalite does not keep. */
export interface StreamSettings {
  /** `KMS` with its key when the template asks for server-side encryption (reported, not applied). */
  encryption?: { type: 'KMS'; keyId: string };
  mode: 'PROVISIONED' | 'ON_DEMAND';
}

/**
 * Accepts a `StreamARN` wherever a `StreamName` is expected (newer SDK calls may name streams by ARN;
 * kinesalite knows only names).
 */
export const streamArnToName: KinesisMiddleware = (request, next) => {
  const { StreamARN: arn, StreamName: name } = request.input;
  if (typeof arn !== 'string' || typeof name === 'string') return next(request);
  const { StreamARN: _, ...rest } = request.input;
  return next({ ...request, input: { ...rest, StreamName: arn.slice(arn.indexOf(':stream/') + 8) } });
};

/**
 * Reports what kinesalite cannot hold: the encryption and capacity mode of the template's streams in
 * DescribeStream and DescribeStreamSummary, and StartStreamEncryption/StopStreamEncryption, which
 * change only what is reported (records are not encrypted locally).
 */
export function reportStreamSettings(settings: Map<string, StreamSettings>): KinesisMiddleware {
  return async (request, next) => {
    const name = request.input.StreamName;
    const streamName = typeof name === 'string' ? name : '';
    if (request.operation === 'StartStreamEncryption' || request.operation === 'StopStreamEncryption') {
      const exists = await next({
        ...request,
        operation: 'DescribeStreamSummary',
        input: { StreamName: name },
      });
      if (exists.status !== 200) return exists;
      const current = settings.get(streamName) ?? { mode: 'PROVISIONED' };
      const keyId = request.input.KeyId;
      settings.set(streamName, {
        ...current,
        encryption:
          request.operation === 'StartStreamEncryption'
            ? { type: 'KMS', keyId: typeof keyId === 'string' ? keyId : 'alias/aws/kinesis' }
            : undefined,
      });
      return { status: 200, body: {} };
    }
    const reply = await next(request);
    if (reply.status !== 200) return reply;
    const key =
      request.operation === 'DescribeStream'
        ? 'StreamDescription'
        : request.operation === 'DescribeStreamSummary'
          ? 'StreamDescriptionSummary'
          : undefined;
    const description = key ? reply.body[key] : undefined;
    if (!key || typeof description !== 'object' || description === null) return reply;
    const setting = settings.get(streamName) ?? { mode: 'PROVISIONED' };
    return {
      ...reply,
      body: {
        ...reply.body,
        [key]: {
          ...description,
          EncryptionType: setting.encryption ? 'KMS' : 'NONE',
          ...(setting.encryption ? { KeyId: setting.encryption.keyId } : {}),
          StreamModeDetails: { StreamMode: setting.mode },
        },
      },
    };
  };
}
