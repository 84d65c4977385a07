/** An SSM error as the JSON protocol reports it: `__type` is the shape name, HTTP 400. */
export class SsmError extends Error {
  override readonly name: string = 'SsmError';
  constructor(
    readonly shape: string,
    message: string,
    readonly status = 400,
  ) {
    super(message);
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
