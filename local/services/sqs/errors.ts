/**
 * An SQS error as the JSON protocol reports it: `__type` (the shape), HTTP status, and the query-API
 * code in `x-amzn-query-error` (the SDK is "awsQueryCompatible" and reads it for the error name).
 */
export class SqsError extends Error {
  override readonly name: string = 'SqsError';
  constructor(
    readonly shape: string,
    readonly queryCode: string,
    message: string,
    readonly status = 400,
    readonly fault: 'Sender' | 'Receiver' = 'Sender',
  ) {
    super(message);
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
