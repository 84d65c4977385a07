import { randomBytes } from 'node:crypto';
import type { ServerResponse } from 'node:http';

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
  InvalidPolicyDocument: 400,
  IncompleteBody: 400,
  InternalError: 500,
  InvalidRequest: 400,
  InvalidToken: 400,
  MalformedPOSTRequest: 400,
  MaxPostPreDataLengthExceeded: 400,
  NoSuchBucket: 404,
  NoSuchLifecycleConfiguration: 404,
  NotImplemented: 501,
  PreconditionFailed: 412,
  RequestTimeTooSkewed: 403,
  SignatureDoesNotMatch: 403,
};

/** An S3 error as the service answers it: `<Error><Code/><Message/>...details...<RequestId/><HostId/></Error>`. */
export class S3Error extends Error {
  override readonly name = 'S3Error';
  readonly status: number;
  constructor(
    readonly code: string,
    message: string,
    /** Extra elements S3 adds to this error (`ProposedSize`, `MaxSizeAllowed`, `StringToSign`...). */
    readonly detail: Record<string, string | number> = {},
  ) {
    super(message);
    this.status = STATUS[code] ?? 400;
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
