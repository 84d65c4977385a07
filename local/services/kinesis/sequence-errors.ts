import type { KinesisMiddleware } from './types.js';

/**
 * GetShardIterator with a StartingSequenceNumber kinesalite reads as its oldest layout (a small number
 * such as `0`) answered 500 InternalFailure, which the SDKs and the CLI retry four times before failing
 * with no reason. A number that cannot be in the shard is the caller's mistake: 400
 * InvalidArgumentException, in the words kinesalite uses for the other invalid numbers.
 */
export function invalidSequenceNumbers(accountId: string): KinesisMiddleware {
  return async (request, next) => {
    const reply = await next(request);
    const { StartingSequenceNumber: sequence, ShardId: shardId, StreamName: streamName } = request.input;
    if (request.operation !== 'GetShardIterator' || reply.status < 500 || typeof sequence !== 'string') {
      return reply;
    }
    return {
      status: 400,
      body: {
        __type: 'InvalidArgumentException',
        message:
          `StartingSequenceNumber ${sequence} used in GetShardIterator on shard ${String(shardId)} in stream ` +
          `${String(streamName)} under account ${accountId} is invalid.`,
      },
    };
  };
}
