import { AwsError, type Fault } from '../../kit/index.js';

/**
 * An SNS error as the service reports it: query `Code`, HTTP status and the JSON protocol's shape name
 * (`<Code>Exception` unless given).
 */
export class SnsError extends AwsError {
  override readonly name: string = 'SnsError';
  constructor(
    code: string,
    status: number,
    message: string,
    shape = `${code}Exception`,
    fault: Fault = 'Sender',
  ) {
    super(code, message, { status, shape, fault });
  }
}

export class NotFoundError extends SnsError {
  override readonly name = 'NotFoundError';
  constructor(message: string) {
    super('NotFound', 404, message);
  }
}

export class InvalidParameterError extends SnsError {
  override readonly name = 'InvalidParameterError';
  constructor(message: string) {
    super('InvalidParameter', 400, `Invalid parameter: ${message}`);
  }
}

export class InvalidParameterValueError extends SnsError {
  override readonly name = 'InvalidParameterValueError';
  constructor(message: string) {
    // The query code differs from the shape name here, as in the service model.
    super('ParameterValueInvalid', 400, message, 'InvalidParameterValueException');
  }
}

export class InvalidActionError extends SnsError {
  override readonly name = 'InvalidActionError';
  constructor(readonly action: string) {
    super('InvalidAction', 400, `The action ${action} is not valid for this endpoint.`, 'InvalidAction');
  }
}

/** The PublishBatch request-level errors (empty, more than ten entries, repeated or invalid ids). */
export class BatchRequestError extends SnsError {
  override readonly name = 'BatchRequestError';
  constructor(
    code:
      | 'EmptyBatchRequest'
      | 'TooManyEntriesInBatchRequest'
      | 'BatchEntryIdsNotDistinct'
      | 'InvalidBatchEntryId'
      | 'BatchRequestTooLong',
    message: string,
  ) {
    super(code, 400, message);
  }
}

/** A fault of the local cloud itself (logged with the request id). */
export class InternalError extends SnsError {
  override readonly name = 'InternalError';
  constructor() {
    super('InternalError', 500, 'Internal error', 'InternalErrorException', 'Receiver');
  }
}
