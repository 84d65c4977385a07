import { AwsError, type AwsErrorOptions } from '../../kit/index.js';

/**
 * An SQS error: `__type` is the shape (`com.amazonaws.sqs#QueueDoesNotExist`), the code the query API's
 * (`AWS.SimpleQueueService.NonExistentQueue`), sent in `x-amzn-query-error` (the SDK is
 * awsQueryCompatible and raises the error by that code).
 */
export class SqsError extends AwsError {
  override readonly name: string = 'SqsError';
  constructor(shape: string, queryCode: string, message: string, options: AwsErrorOptions = {}) {
    super(queryCode, message, { ...options, shape });
  }
}

export class QueueDoesNotExistError extends SqsError {
  override readonly name = 'QueueDoesNotExistError';
  constructor() {
    super(
      'QueueDoesNotExist',
      'AWS.SimpleQueueService.NonExistentQueue',
      'The specified queue does not exist.',
    );
  }
}

export class InvalidParameterValueError extends SqsError {
  override readonly name = 'InvalidParameterValueError';
  constructor(message: string) {
    super('InvalidParameterValueException', 'InvalidParameterValue', message);
  }
}

export class BatchRequestTooLongError extends SqsError {
  override readonly name = 'BatchRequestTooLongError';
  constructor(limit: number, sent: number) {
    super(
      'BatchRequestTooLong',
      'AWS.SimpleQueueService.BatchRequestTooLong',
      `Batch requests cannot be longer than ${limit} bytes. You have sent ${sent} bytes.`,
    );
  }
}

export class MissingParameterError extends SqsError {
  override readonly name = 'MissingParameterError';
  constructor(parameter: string) {
    super(
      'MissingRequiredParameterException',
      'MissingParameter',
      `The request must contain the parameter ${parameter}.`,
    );
  }
}

export class ReceiptHandleIsInvalidError extends SqsError {
  override readonly name = 'ReceiptHandleIsInvalidError';
  constructor(handle: string) {
    super(
      'ReceiptHandleIsInvalid',
      'ReceiptHandleIsInvalid',
      `The input receipt handle "${handle}" is not a valid receipt handle.`,
    );
  }
}

export class UnsupportedOperationError extends SqsError {
  override readonly name = 'UnsupportedOperationError';
  constructor(operation: string) {
    super(
      'UnsupportedOperation',
      'AWS.SimpleQueueService.UnsupportedOperation',
      `${operation} is not supported by the Kumo local cloud`,
    );
  }
}

/** A request to another API, or not a POST: SQS serves its JSON protocol only. */
export class InvalidActionError extends SqsError {
  override readonly name = 'InvalidActionError';
  constructor() {
    super('InvalidAction', 'InvalidAction', 'Only the SQS JSON protocol is served here');
  }
}

/** A fault of the local cloud itself (logged with the request id). */
export class InternalError extends SqsError {
  override readonly name = 'InternalError';
  constructor() {
    super('InternalError', 'InternalError', 'Internal error', { fault: 'Receiver' });
  }
}
