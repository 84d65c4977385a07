import { randomBytes } from 'node:crypto';
import type { ServerResponse } from 'node:http';
import { AwsError } from '../../kit/index.js';

/** HTTP status of each S3 error code the local cloud answers itself. */
const STATUS: Record<string, number> = {
  AccessDenied: 403,
  AccessForbidden: 403,
  AuthorizationHeaderMalformed: 400,
  BadRequest: 400,
  AuthorizationQueryParametersError: 400,
  EntityTooLarge: 400,
  EntityTooSmall: 400,
  InvalidAccessKeyId: 403,
  InvalidArgument: 400,
  InvalidBucketName: 400,
  InvalidPolicyDocument: 400,
  IncompleteBody: 400,
  InternalError: 500,
  KeyTooLongError: 400,
  MethodNotAllowed: 405,
  InvalidRequest: 400,
  InvalidToken: 400,
  InvalidURI: 400,
  MalformedPOSTRequest: 400,
  MaxPostPreDataLengthExceeded: 400,
  NoSuchBucket: 404,
  NoSuchLifecycleConfiguration: 404,
  NotImplemented: 501,
  PreconditionFailed: 412,
  RequestTimeTooSkewed: 403,
  SignatureDoesNotMatch: 403,
};

/**
 * An S3 error as the service answers it: `<Error><Code/><Message/>...details...<RequestId/><HostId/></Error>`,
 * its HTTP status from its code.
 */
export class S3Error extends AwsError {
  override readonly name = 'S3Error';
  constructor(
    code: string,
    message: string,
    /** Extra elements S3 adds to this error (`ProposedSize`, `MaxSizeAllowed`, `StringToSign`...). */
    readonly detail: Record<string, string | number> = {},
  ) {
    const status = STATUS[code] ?? 400;
    super(code, message, { status, fault: status >= 500 ? 'Receiver' : 'Sender' });
  }

  toXml(requestId: string, hostId: string): string {
    const details = Object.entries(this.detail)
      .map(([key, value]) => `<${key}>${escapeXml(String(value))}</${key}>`)
      .join('');
    return (
      `<?xml version="1.0" encoding="UTF-8"?>\n<Error><Code>${this.code}</Code>` +
      `<Message>${escapeXml(this.message)}</Message>${details}` +
      `<RequestId>${requestId}</RequestId><HostId>${hostId}</HostId></Error>`
    );
  }
}

/** The 403 S3 answers when a presigned POST breaks its policy: `Invalid according to Policy: ...`. */
export function policyError(reason: string): S3Error {
  return new S3Error('AccessDenied', `Invalid according to Policy: ${reason}`);
}

/** A request id in S3's style (16 upper-case hex digits) and its extended host id. */
export function s3RequestIds(): { requestId: string; hostId: string } {
  return {
    requestId: randomBytes(8).toString('hex').toUpperCase(),
    hostId: randomBytes(48).toString('base64'),
  };
}

/** Writes an S3 error response; headers already set (CORS) are kept. */
export function writeS3Error(res: ServerResponse, error: S3Error, ids = s3RequestIds()): void {
  const body = error.toXml(ids.requestId, ids.hostId);
  res.statusCode = error.status;
  res.setHeader('Content-Type', 'application/xml');
  res.setHeader('Content-Length', Buffer.byteLength(body));
  res.setHeader('x-amz-request-id', ids.requestId);
  res.setHeader('x-amz-id-2', ids.hostId);
  res.end(body);
}

export function escapeXml(text: string): string {
  const named: Record<string, string> = {
    '&': '&amp;',
    '<': '&lt;',
    '>': '&gt;',
    '"': '&quot;',
    "'": '&apos;',
  };
  return text.replace(/[&<>"']/g, (c) => named[c] ?? c);
}
