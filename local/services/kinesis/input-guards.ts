/**
 * Answers for input kinesalite mishandles: a 500 the SDKs retry four times, or an error thrown inside a
 * LevelDB callback, which stops the whole local cloud. Found by sending junk to every operation.
 */
import { parseSequence } from './sequence-codec.js';
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
    // Only kinesalite's answer to its oldest layout; any other failure stays what it is.
    if (!oldestLayout(sequence)) return reply;
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

/**
 * ListShards with a NextToken: kinesalite returns every shard in one page and never issues a token, and
 * read the stream named `undefined` for one (LevelDB threw "key cannot be null", uncaught: the local
 * cloud stopped). A token it did not issue is refused, as Kinesis refuses one it cannot read.
 */
export const listShardsNextToken: KinesisMiddleware = async (request, next) => {
  const token = request.input.NextToken;
  if (request.operation !== 'ListShards' || token === undefined || token === null) return next(request);
  if (request.input.StreamName !== undefined && request.input.StreamName !== null) return next(request);
  return {
    status: 400,
    body: {
      __type: 'InvalidArgumentException',
      message:
        'NextToken is not valid: the local Kinesis lists every shard in one page and issues no NextToken. ' +
        'Call ListShards with StreamName instead.',
    },
  };
};

/** Whether kinesalite reads `sequence` as its version-0 layout (it answers 500 for those). */
function oldestLayout(sequence: string): boolean {
  try {
    return parseSequence(sequence).version === 0;
  } catch {
    return false;
  }
}
