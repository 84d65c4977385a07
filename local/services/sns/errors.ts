/** An SNS error as the service reports it: query `Code`, HTTP status and the JSON protocol's shape name. */
export class SnsError extends Error {
  override readonly name: string = 'SnsError';
  constructor(
    readonly code: string,
    readonly status: number,
    message: string,
    readonly shape = `${code}Exception`,
    readonly type: 'Sender' | 'Receiver' = 'Sender',
  ) {
    super(message);
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
