import { createHash, createHmac, timingSafeEqual } from 'node:crypto';
import type { IncomingHttpHeaders } from 'node:http';
import { S3Error } from './errors.js';

/** Access keys the local S3 accepts, with their secret and (optional) session token. */
export interface LocalCredential {
  accessKeyId: string;
  secretAccessKey: string;
  sessionToken?: string;
}

/** Who signed a request, once its signature checked out. */
export interface VerifiedSigner {
  accessKeyId: string;
  /**
   * True when the key is not one of the local credentials: a header-signed request the verifier could
   * only check for form, date and region (its secret is unknown), accepted as every other local service
   * accepts any dummy credentials.
   */
  unverified?: boolean;
}

/** What the verifier accepts besides the local credentials. */
export interface VerifierOptions {
  /**
   * Accept requests signed in the Authorization header with any access key (the AWS CLI's and SDKs'
   * dummy credentials), checking all but the signature. Presigned URLs and POST policies — what the
   * functions sign for browsers — are always checked against the secret of the key that signed them.
   */
  anyHeaderKey?: boolean;
}

/** Where a presigned URL signed with an unknown key is told to look (the S3 error's `LocalHint`). */
export const PRESIGN_HINT =
  'the local S3 checks presigned URLs against the local credentials: see "The AWS CLI" in docs/local-cloud.md';

/** S3 refuses presigned URLs valid for more than seven days. */
const MAX_EXPIRES_SECONDS = 604_800;
/** How far a header-signed request's x-amz-date may be from the server's clock. */
const MAX_SKEW_MS = 15 * 60 * 1000;

/** `AWS4` HMAC chain: the signing key of a secret for one day, region and service. */
export function signingKey(secret: string, shortDate: string, region: string, service = 's3'): Buffer {
  const kDate = hmac(`AWS4${secret}`, shortDate);
  const kRegion = hmac(kDate, region);
  const kService = hmac(kRegion, service);
  return hmac(kService, 'aws4_request');
}

export function hmac(key: string | Buffer, data: string): Buffer {
  return createHmac('sha256', key).update(data, 'utf8').digest();
}

/** Compares hex signatures in constant time. */
export function sameSignature(expected: string, provided: string): boolean {
  const a = Buffer.from(expected, 'utf8');
  const b = Buffer.from(provided.toLowerCase(), 'utf8');
  return a.length === b.length && timingSafeEqual(a, b);
}

/** RFC 3986 encoding as SigV4 wants it (encodeURIComponent leaves `!'()*` alone). */
export function uriEncode(text: string): string {
  return encodeURIComponent(text).replace(
    /[!'()*]/g,
    (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`,
  );
}

/** `YYYYMMDD'T'HHMMSS'Z'` → Date, or undefined when malformed. */
export function parseAmzDate(text: string | undefined): Date | undefined {
  const m = /^(\d{4})(\d{2})(\d{2})T(\d{2})(\d{2})(\d{2})Z$/.exec(text ?? '');
  if (!m) return undefined;
  const [, y, mo, d, h, mi, s] = m.map(Number) as number[];
  return new Date(Date.UTC(y as number, (mo as number) - 1, d, h, mi, s));
}

/** `2024-01-31T12:00:00Z` in S3's error details. */
function isoSeconds(date: Date): string {
  return date.toISOString().replace(/\.\d{3}Z$/, 'Z');
}

interface Credential {
  accessKeyId: string;
  shortDate: string;
  region: string;
  service: string;
  scope: string;
}

/**
 * Verifies SigV4 for S3 requests: presigned URLs (query parameters) and the Authorization header, with
 * the secrets of the local credentials; answers what S3 answers (expired, skewed, wrong key, wrong region,
 * signature mismatch with the canonical request and string to sign).
 */
export class SigV4Verifier {
  readonly #credentials: Map<string, LocalCredential>;
  readonly #region: string;
  readonly #now: () => Date;
  readonly #anyHeaderKey: boolean;

  constructor(
    credentials: LocalCredential[],
    region: string,
    now: () => Date = () => new Date(),
    options: VerifierOptions = {},
  ) {
    this.#credentials = new Map(credentials.map((c) => [c.accessKeyId, c]));
    this.#region = region;
    this.#now = now;
    this.#anyHeaderKey = options.anyHeaderKey ?? false;
  }

  /** Whether an access key is one of the local credentials (whose signatures are checked). */
  knows(accessKeyId: string): boolean {
    return this.#credentials.has(accessKeyId);
  }

  /** The credential for an access key id, or InvalidAccessKeyId. */
  credential(accessKeyId: string): LocalCredential {
    const credential = this.#credentials.get(accessKeyId);
    if (!credential) {
      throw new S3Error(
        'InvalidAccessKeyId',
        'The AWS Access Key Id you provided does not exist in our records.',
        { AWSAccessKeyId: accessKeyId },
      );
    }
    return credential;
  }

  /** Checks a session token given with a key: a token that is not the key's is refused as S3 does. */
  checkToken(credential: LocalCredential, token: string | undefined): void {
    if (token !== undefined && token !== credential.sessionToken) {
      throw new S3Error('InvalidToken', 'The provided token is malformed or otherwise invalid.', {
        Token: token,
      });
    }
  }

  /** Parses `AKID/20240131/us-east-1/s3/aws4_request`, checking region and service as S3 does. */
  parseCredential(text: string, where: 'query' | 'header' | 'post'): Credential {
    const parts = text.split('/');
    const [accessKeyId, shortDate, region, service, terminator] = parts;
    const fail = (message: string) =>
      where === 'header'
        ? new S3Error('AuthorizationHeaderMalformed', `The authorization header is malformed; ${message}`)
        : where === 'query'
          ? new S3Error(
              'AuthorizationQueryParametersError',
              `Error parsing the X-Amz-Credential parameter; ${message}`,
            )
          : new S3Error('InvalidArgument', `Error parsing the X-Amz-Credential field; ${message}`);
    if (
      parts.length !== 5 ||
      !accessKeyId ||
      !shortDate ||
      !region ||
      !service ||
      terminator !== 'aws4_request'
    ) {
      throw fail(
        `the Credential is mal-formed; expecting "<YOUR-AKID>/YYYYMMDD/REGION/SERVICE/aws4_request".`,
      );
    }
    if (region !== this.#region) throw fail(`the region '${region}' is wrong; expecting '${this.#region}'`);
    if (service !== 's3') throw fail(`incorrect service "${service}". This endpoint belongs to "s3".`);
    return {
      accessKeyId,
      shortDate,
      region,
      service,
      scope: `${shortDate}/${region}/${service}/aws4_request`,
    };
  }

  /** A request with `X-Amz-Algorithm` in its query string: a presigned URL. */
  verifyPresigned(method: string, rawUrl: string, headers: IncomingHttpHeaders): VerifiedSigner {
    const url = new URL(rawUrl, 'http://localhost');
    const q = url.searchParams;
    const missing = [
      'X-Amz-Credential',
      'X-Amz-Date',
      'X-Amz-SignedHeaders',
      'X-Amz-Signature',
      'X-Amz-Expires',
    ].filter((name) => !q.has(name));
    if (q.get('X-Amz-Algorithm') !== 'AWS4-HMAC-SHA256') {
      throw new S3Error(
        'AuthorizationQueryParametersError',
        'X-Amz-Algorithm only supports "AWS4-HMAC-SHA256"',
      );
    }
    if (missing.length > 0) {
      throw new S3Error(
        'AuthorizationQueryParametersError',
        'Query-string authentication version 4 requires the X-Amz-Algorithm, X-Amz-Credential, X-Amz-Signature, ' +
          'X-Amz-Date, X-Amz-SignedHeaders, and X-Amz-Expires parameters.',
      );
    }
    const credentialScope = this.parseCredential(q.get('X-Amz-Credential') ?? '', 'query');
    if (!this.knows(credentialScope.accessKeyId)) {
      // A presigned URL is checked against its signer's secret: only the local credentials have one here.
      throw new S3Error(
        'InvalidAccessKeyId',
        'The AWS Access Key Id you provided does not exist in our records.',
        { AWSAccessKeyId: credentialScope.accessKeyId, LocalHint: PRESIGN_HINT },
      );
    }
    const credential = this.credential(credentialScope.accessKeyId);
    this.checkToken(credential, q.get('X-Amz-Security-Token') ?? undefined);
    const amzDate = q.get('X-Amz-Date') ?? '';
    const signedAt = parseAmzDate(amzDate);
    if (!signedAt) {
      throw new S3Error(
        'AuthorizationQueryParametersError',
        "X-Amz-Date must be in the ISO8601 Long Format \"yyyyMMdd'T'HHmmss'Z'\"",
      );
    }
    const expires = Number(q.get('X-Amz-Expires'));
    if (!Number.isInteger(expires) || expires < 0) {
      throw new S3Error('AuthorizationQueryParametersError', 'X-Amz-Expires should be a number');
    }
    if (expires > MAX_EXPIRES_SECONDS) {
      throw new S3Error(
        'AuthorizationQueryParametersError',
        'X-Amz-Expires must be less than a week (in seconds) that is, the given X-Amz-Expires must be less than 604800 seconds',
      );
    }
    const now = this.#now();
    if (signedAt.getTime() > now.getTime() + MAX_SKEW_MS) {
      throw new S3Error('AccessDenied', 'Request is not valid yet', {
        'X-Amz-Date': amzDate,
        ServerTime: isoSeconds(now),
      });
    }
    const expiresAt = new Date(signedAt.getTime() + expires * 1000);
    if (now > expiresAt) {
      throw new S3Error('AccessDenied', 'Request has expired', {
        'X-Amz-Expires': expires,
        Expires: isoSeconds(expiresAt),
        ServerTime: isoSeconds(now),
      });
    }
    const signedHeaders = (q.get('X-Amz-SignedHeaders') ?? '').toLowerCase();
    const canonical = canonicalRequest(
      method,
      url,
      headers,
      signedHeaders,
      'UNSIGNED-PAYLOAD',
      'X-Amz-Signature',
    );
    this.#check(credential, credentialScope, amzDate, canonical, q.get('X-Amz-Signature') ?? '');
    return { accessKeyId: credential.accessKeyId };
  }

  /** A request with `Authorization: AWS4-HMAC-SHA256 Credential=..., SignedHeaders=..., Signature=...`. */
  verifyHeader(method: string, rawUrl: string, headers: IncomingHttpHeaders): VerifiedSigner {
    const authorization = String(headers.authorization ?? '');
    const [algorithm, ...rest] = authorization.trim().split(/\s+/);
    if (algorithm !== 'AWS4-HMAC-SHA256') {
      throw new S3Error('InvalidArgument', 'Unsupported Authorization Type', {
        ArgumentName: 'Authorization',
        ArgumentValue: authorization,
      });
    }
    const components = new Map(
      rest
        .join('')
        .split(',')
        .map((part) => {
          const at = part.indexOf('=');
          return [part.slice(0, at).trim(), part.slice(at + 1).trim()] as const;
        }),
    );
    for (const name of ['Credential', 'SignedHeaders', 'Signature']) {
      if (!components.get(name)) {
        throw new S3Error(
          'AuthorizationHeaderMalformed',
          `The authorization header is malformed; missing ${name}.`,
        );
      }
    }
    const credentialScope = this.parseCredential(components.get('Credential') ?? '', 'header');
    // Any key may sign a header request (dummy credentials); only the local ones have a secret to check.
    const known = this.knows(credentialScope.accessKeyId) || !this.#anyHeaderKey;
    const credential = known ? this.credential(credentialScope.accessKeyId) : undefined;
    if (credential) this.checkToken(credential, headerValue(headers, 'x-amz-security-token'));
    const amzDate = headerValue(headers, 'x-amz-date') ?? '';
    const signedAt = parseAmzDate(amzDate);
    if (!signedAt)
      throw new S3Error('AccessDenied', 'AWS authentication requires a valid Date or x-amz-date header');
    const now = this.#now();
    if (Math.abs(now.getTime() - signedAt.getTime()) > MAX_SKEW_MS) {
      throw new S3Error(
        'RequestTimeTooSkewed',
        'The difference between the request time and the current time is too large.',
        {
          RequestTime: amzDate,
          ServerTime: isoSeconds(now),
          MaxAllowedSkewMilliseconds: MAX_SKEW_MS,
        },
      );
    }
    const payloadHash = headerValue(headers, 'x-amz-content-sha256');
    if (!payloadHash) {
      throw new S3Error('InvalidRequest', 'Missing required header for this request: x-amz-content-sha256');
    }
    if (!credential) return { accessKeyId: credentialScope.accessKeyId, unverified: true };
    const signedHeaders = (components.get('SignedHeaders') ?? '').toLowerCase();
    const url = new URL(rawUrl, 'http://localhost');
    const canonical = canonicalRequest(method, url, headers, signedHeaders, payloadHash);
    this.#check(credential, credentialScope, amzDate, canonical, components.get('Signature') ?? '');
    return { accessKeyId: credential.accessKeyId };
  }

  /** The signature of a POST policy (the base64 text of the policy document, signed as is). */
  policySignature(credential: LocalCredential, scope: Credential, policyBase64: string): string {
    return hmac(
      signingKey(credential.secretAccessKey, scope.shortDate, scope.region, scope.service),
      policyBase64,
    ).toString('hex');
  }

  #check(
    credential: LocalCredential,
    scope: Credential,
    amzDate: string,
    canonical: string,
    provided: string,
  ): void {
    const stringToSign = [
      'AWS4-HMAC-SHA256',
      amzDate,
      scope.scope,
      createHash('sha256').update(canonical, 'utf8').digest('hex'),
    ].join('\n');
    const expected = hmac(
      signingKey(credential.secretAccessKey, scope.shortDate, scope.region, scope.service),
      stringToSign,
    ).toString('hex');
    if (!sameSignature(expected, provided)) {
      throw new S3Error(
        'SignatureDoesNotMatch',
        'The request signature we calculated does not match the signature you provided. Check your key and signing method.',
        {
          AWSAccessKeyId: credential.accessKeyId,
          StringToSign: stringToSign,
          SignatureProvided: provided,
          StringToSignBytes: hexBytes(stringToSign),
          CanonicalRequest: canonical,
          CanonicalRequestBytes: hexBytes(canonical),
        },
      );
    }
  }
}

/**
 * The SigV4 canonical request of an S3 request as received: the path as sent (S3 does not normalise it,
 * each segment encoded once), the query without the signature, the signed headers with trimmed values.
 */
export function canonicalRequest(
  method: string,
  url: URL,
  headers: IncomingHttpHeaders,
  signedHeaders: string,
  payloadHash: string,
  omitParameter?: string,
): string {
  const path = url.pathname
    .split('/')
    .map((segment) => uriEncode(safeDecode(segment)))
    .join('/');
  const query = [...url.searchParams]
    .filter(([key]) => key !== omitParameter)
    .map(([key, value]) => [uriEncode(key), uriEncode(value)] as const)
    .sort(([a, av], [b, bv]) => (a < b ? -1 : a > b ? 1 : av < bv ? -1 : av > bv ? 1 : 0))
    .map(([key, value]) => `${key}=${value}`)
    .join('&');
  const names = signedHeaders.split(';').filter((name) => name !== '');
  const canonicalHeaders = names
    .map((name) => `${name}:${(headerValue(headers, name) ?? '').trim().replace(/\s+/g, ' ')}\n`)
    .join('');
  return [method, path || '/', query, canonicalHeaders, signedHeaders, payloadHash].join('\n');
}

function headerValue(headers: IncomingHttpHeaders, name: string): string | undefined {
  const value = headers[name];
  return Array.isArray(value) ? value.join(',') : value;
}

function safeDecode(text: string): string {
  try {
    return decodeURIComponent(text);
  } catch {
    return text;
  }
}

function hexBytes(text: string): string {
  return Buffer.from(text, 'utf8')
    .toString('hex')
    .replace(/(..)(?!$)/g, '$1 ');
}
