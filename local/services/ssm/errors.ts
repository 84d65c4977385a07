import { AwsError, type AwsErrorOptions } from '../../kit/index.js';

/** An SSM error as the JSON 1.1 protocol reports it: `__type` is the bare shape name, HTTP 400. */
export class SsmError extends AwsError {
  override readonly name: string = 'SsmError';
  constructor(shape: string, message: string, options: AwsErrorOptions = {}) {
    super(shape, message, options);
  }
}

export class ParameterNotFoundError extends SsmError {
  override readonly name = 'ParameterNotFoundError';
  constructor(name: string) {
    super('ParameterNotFound', `Parameter ${name} not found.`);
  }
}

export class ParameterAlreadyExistsError extends SsmError {
  override readonly name = 'ParameterAlreadyExistsError';
  constructor() {
    super(
      'ParameterAlreadyExists',
      'The parameter already exists. To overwrite this value, set the overwrite option in the request to true.',
    );
  }
}

export class ValidationError extends SsmError {
  override readonly name = 'ValidationError';
  constructor(message: string) {
    super('ValidationException', message);
  }
}

/** A body that is not a JSON object. */
export class SerializationError extends SsmError {
  override readonly name = 'SerializationError';
  constructor(message: string) {
    super('SerializationException', message);
  }
}

/** An operation SSM has but the local cloud does not serve, or a request to another API. */
export class UnknownOperationError extends SsmError {
  override readonly name = 'UnknownOperationError';
  constructor(operation?: string) {
    super(
      'UnknownOperationException',
      operation === undefined
        ? 'Only the SSM JSON protocol is served here'
        : `${operation} is not supported by the Kumo local cloud`,
    );
  }
}

/** A fault of the local cloud itself (logged with the request id). */
export class InternalServerError extends SsmError {
  override readonly name = 'InternalServerError';
  constructor() {
    super('InternalServerError', 'Internal server error', { fault: 'Receiver' });
  }
}
