import type { RequestListener } from 'node:http';
import { type AwsOperation, awsRequestListener } from '../../kit/index.js';
import type { LocalLogger } from '../../types.js';
import { MAX_BODY_BYTES, SERVICE_TARGET, SHAPE_NAMESPACE, XML_NAMESPACE } from './constants.js';
import { InternalServiceError, InvalidParameterValueError, UnknownOperationError } from './errors.js';

/**
 * The CloudWatch endpoint (the kit's servers), every protocol a CloudWatch client speaks on one port:
 * AWS JSON 1.0 (awsQueryCompatible) by X-Amz-Target — what @aws-sdk/client-cloudwatch 3.1164 and AWS
 * CLI v1 (botocore 1.43) send; Smithy RPC v2 CBOR by its path — what the JavaScript SDK sent in its
 * earlier 2025 releases; the query protocol otherwise (form-encoded `Action=...`, XML answers) — older
 * CLIs, boto3 and SDKs. Gzip bodies (PutMetricData compresses) are decoded. Nothing is printed per
 * request; faults of the local cloud itself are logged with the request id.
 */
export function cloudWatchRequestListener(
  operations: Record<string, AwsOperation>,
  log: LocalLogger,
): RequestListener {
  return awsRequestListener({
    name: 'cloudwatch',
    operations,
    json: { target: SERVICE_TARGET, version: '1.0' },
    cbor: { service: SERVICE_TARGET },
    query: { xmlNamespace: XML_NAMESPACE },
    // JSON and CBOR errors carry both spellings of the message: SDK versions read one or the other.
    errorShape: { namespace: SHAPE_NAMESPACE, queryCompatible: true, messageKeys: ['message', 'Message'] },
    maxBodyBytes: MAX_BODY_BYTES,
    errors: {
      unknownOperation: (operation) => new UnknownOperationError(operation || '(no Action)'),
      malformed: (message) => new InvalidParameterValueError(message),
      internal: () => new InternalServiceError(),
    },
    log,
  });
}
