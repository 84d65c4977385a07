import { ConditionalCheckFailedException, DynamoDBServiceException } from '@aws-sdk/client-dynamodb';
import { describe, expect, it } from 'vitest';
import {
  classifyAwsError,
  isRefusedWrite,
  isRetryableAwsError,
} from '../../../../functions/posts/adapters/aws-errors.js';

/** An error as the SDK deserialises it from a DynamoDB answer. */
function serviceError(name: string, status: number, message = `${name} happened`): DynamoDBServiceException {
  return new DynamoDBServiceException({
    name,
    message,
    $fault: status >= 500 ? 'server' : 'client',
    $metadata: { httpStatusCode: status },
  });
}

describe('Function: classifyAwsError()', () => {
  it.each([
    ['ProvisionedThroughputExceededException', 400],
    ['ThrottlingException', 400],
    ['RequestLimitExceeded', 400],
    ['TransactionConflictException', 400],
    ['InternalServerError', 500],
    ['ServiceUnavailable', 503],
    ['SomethingNew', 502],
  ])('%s (%i) is retryable: trying again later may succeed', (name, status) => {
    expect(classifyAwsError(serviceError(name, status))).toBe('retryable');
    expect(isRetryableAwsError(serviceError(name, status))).toBe(true);
  });

  it.each([
    'Item size has exceeded the maximum allowed size',
    'One or more parameter values were invalid: Aggregated size of all range keys has exceeded the size limit of 1024 bytes',
    'One or more parameter values were invalid: Size of hashkey has exceeded the maximum size limit of 2048 bytes',
    'One or more parameter values are not valid. The AttributeValue for a key attribute cannot contain an empty string value.',
  ])('a ValidationException is a refusal no retry can fix: %s', (message) => {
    const error = serviceError('ValidationException', 400, message);
    expect(classifyAwsError(error)).toBe('refused');
    expect(isRefusedWrite(error)).toBe(true);
    expect(isRetryableAwsError(error)).toBe(false);
  });

  it('network failures are retryable', () => {
    expect(classifyAwsError(Object.assign(new Error('socket hang up'), { code: 'ECONNRESET' }))).toBe(
      'retryable',
    );
  });

  it("a fault that is not the record's (access denied, missing table, unknown) is neither retryable nor a refusal", () => {
    for (const name of [
      'AccessDeniedException',
      'ResourceNotFoundException',
      'UnrecognizedClientException',
    ]) {
      expect(classifyAwsError(serviceError(name, 400))).toBe('fault');
    }
    expect(
      classifyAwsError(
        new ConditionalCheckFailedException({ message: 'no', $metadata: { httpStatusCode: 400 } }),
      ),
    ).toBe('fault');
    expect(classifyAwsError('not an error')).toBe('fault');
    expect(isRefusedWrite(new TypeError('x'))).toBe(false);
  });
});
