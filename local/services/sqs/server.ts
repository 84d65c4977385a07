import type { RequestListener } from 'node:http';
import { awsRequestListener } from '../../kit/index.js';
import type { LocalLogger } from '../../types.js';
import {
  InternalError,
  InvalidActionError,
  InvalidParameterValueError,
  UnsupportedOperationError,
} from './errors.js';
import type { SqsOperation } from './operations.js';

/** The JSON API the SDK v3 SQS client speaks (`X-Amz-Target: AmazonSQS.<Operation>`, JSON 1.0). */
export const SQS_API = 'AmazonSQS';

/**
 * The HTTP side of the local SQS (the kit's AWS JSON server): JSON 1.0 requests dispatched to the
 * operations, errors with the `__type` shape and the `x-amzn-query-error` code the SDK reads. Requests
 * in flight (long polls) end when `signal` aborts.
 */
export function sqsRequestListener(
  operations: Record<string, SqsOperation>,
  signal: AbortSignal,
  log?: LocalLogger,
): RequestListener {
  return awsRequestListener({
    name: 'sqs',
    operations,
    json: { target: SQS_API, version: '1.0' },
    errorShape: { namespace: 'com.amazonaws.sqs', queryCompatible: true },
    errors: {
      unknownOperation: (operation) => new UnsupportedOperationError(operation),
      notServed: () => new InvalidActionError(),
      malformed: (message) => new InvalidParameterValueError(message),
      internal: () => new InternalError(),
    },
    signal,
    log,
  });
}
