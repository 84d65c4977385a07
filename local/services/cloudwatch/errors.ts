import { AwsError, type Fault } from '../../kit/index.js';

/**
 * A CloudWatch error as each protocol carries it: the query protocol's `Code` (also the
 * `x-amzn-query-error` header of the JSON and CBOR protocols, which are awsQueryCompatible), the shape
 * name the SDK raises, the HTTP status, and Sender or Receiver.
 */
export class CloudWatchError extends AwsError {
  override readonly name: string = 'CloudWatchError';
  constructor(code: string, shape: string, status: number, message: string, fault: Fault = 'Sender') {
    super(code, message, { shape, status, fault });
  }
}

export class InvalidParameterValueError extends CloudWatchError {
  override readonly name = 'InvalidParameterValueError';
  constructor(message: string) {
    super('InvalidParameterValue', 'InvalidParameterValueException', 400, message);
  }
}

export class MissingParameterError extends CloudWatchError {
  override readonly name = 'MissingParameterError';
  constructor(parameter: string) {
    super(
      'MissingParameter',
      'MissingRequiredParameterException',
      400,
      `The parameter ${parameter} is required.`,
    );
  }
}

export class InvalidParameterCombinationError extends CloudWatchError {
  override readonly name = 'InvalidParameterCombinationError';
  constructor(message: string) {
    super('InvalidParameterCombination', 'InvalidParameterCombinationException', 400, message);
  }
}

export class ResourceNotFoundError extends CloudWatchError {
  override readonly name = 'ResourceNotFoundError';
  constructor(message: string) {
    super('ResourceNotFound', 'ResourceNotFound', 404, message);
  }
}

export class LimitExceededError extends CloudWatchError {
  override readonly name = 'LimitExceededError';
  constructor(message: string) {
    super('LimitExceeded', 'LimitExceededFault', 400, message);
  }
}

export class InvalidNextTokenError extends CloudWatchError {
  override readonly name = 'InvalidNextTokenError';
  constructor() {
    super('InvalidNextToken', 'InvalidNextToken', 400, 'The next token specified is invalid.');
  }
}

export class InvalidFormatError extends CloudWatchError {
  override readonly name = 'InvalidFormatError';
  constructor(message: string) {
    super('InvalidFormat', 'InvalidFormatFault', 400, message);
  }
}

/** An operation CloudWatch has but the local cloud does not serve. */
export class UnknownOperationError extends CloudWatchError {
  override readonly name = 'UnknownOperationError';
  constructor(readonly operation: string) {
    super(
      'InvalidAction',
      'UnknownOperationException',
      400,
      `${operation} is not supported by the Kumo local cloud's CloudWatch`,
    );
  }
}

/** Anything unexpected: a 500 as CloudWatch reports its own faults. */
export class InternalServiceError extends CloudWatchError {
  override readonly name = 'InternalServiceError';
  constructor() {
    super('InternalServiceError', 'InternalServiceFault', 500, 'Internal service error', 'Receiver');
  }
}
