import type { RequestListener } from 'node:http';
import { awsRequestListener } from '../../kit/index.js';
import type { LocalLogger } from '../../types.js';
import { InternalServerError, SerializationError, UnknownOperationError } from './errors.js';
import type { SsmOperation } from './operations.js';

/** The JSON API the SDK v3 SSM client speaks (`X-Amz-Target: AmazonSSM.<Operation>`, JSON 1.1). */
export const SSM_API = 'AmazonSSM';

/** The HTTP side of the local SSM (the kit's AWS JSON server): JSON 1.1 requests dispatched to the operations. */
export function ssmRequestListener(
  operations: Record<string, SsmOperation>,
  log?: LocalLogger,
): RequestListener {
  return awsRequestListener({
    name: 'ssm',
    operations,
    json: { target: SSM_API, version: '1.1' },
    errors: {
      unknownOperation: (operation) => new UnknownOperationError(operation),
      notServed: () => new UnknownOperationError(),
      malformed: (message) => new SerializationError(message),
      internal: () => new InternalServerError(),
    },
    log,
  });
}
