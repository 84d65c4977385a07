import { S3Error } from './errors.js';

/** S3's longest key, in UTF-8 bytes. */
export const MAX_KEY_BYTES = 1024;

/**
 * The longest key segment s3rver can store: it keeps each object as files named
 * `<last segment>._S3rver_metadata.json`, and file names end at 255 bytes.
 */
const MAX_SEGMENT_BYTES = 255 - '._S3rver_metadata.json'.length;

/** Bucket names S3 has ever accepted (the legacy us-east-1 rules are the widest). */
const BUCKET_NAME = /^[A-Za-z0-9._-]{1,255}$/;

/** A request's bucket and key, percent-decoded. */
export interface RequestPath {
  bucketName: string;
  key: string;
}

/**
 * The bucket and key of a path-style request, checked before anything reads them: a path that does
 * not decode (`/%`, `/%zz`, an escape of invalid UTF-8) is S3's 400 InvalidURI; a bucket name S3 never
 * allows is InvalidBucketName; a key over 1,024 bytes KeyTooLongError; a key s3rver would store
 * outside its bucket's folder (a `..` or `.` segment), alias (an empty segment) or cannot name (a NUL,
 * a segment over 233 bytes) is refused with 400 InvalidArgument rather than left to fail as a 500.
 */
export function requestPath(pathname: string, uri: string | undefined): RequestPath {
  const [rawBucket = '', ...keyParts] = pathname.slice(1).split('/');
  const bucketName = decodePath(rawBucket, uri);
  const key = keyParts.length > 0 ? decodePath(keyParts.join('/'), uri) : '';
  if (bucketName === '' && keyParts.length === 0) return { bucketName, key };
  checkBucketName(bucketName);
  if (key !== '') checkKey(key);
  return { bucketName, key };
}

/** The bucket and key of an `x-amz-copy-source` header (`bucket/key` or `/bucket/key`, `?versionId=` ignored). */
export function copySource(header: string): RequestPath {
  const path = header.split('?')[0] ?? '';
  const source = requestPath(path.startsWith('/') ? path : `/${path}`, header);
  if (source.key === '') {
    throw new S3Error(
      'InvalidArgument',
      'Copy Source must mention the source bucket and key: sourcebucket/sourcekey',
      {
        ArgumentName: 'x-amz-copy-source',
        ArgumentValue: header,
      },
    );
  }
  return source;
}

function decodePath(text: string, uri: string | undefined): string {
  try {
    return decodeURIComponent(text);
  } catch {
    throw new S3Error('InvalidURI', "Couldn't parse the specified URI.", { URI: uri ?? '' });
  }
}

function checkBucketName(name: string): void {
  if (!BUCKET_NAME.test(name) || name === '.' || name === '..') {
    throw new S3Error('InvalidBucketName', 'The specified bucket is not valid.', { BucketName: name });
  }
}

function checkKey(key: string): void {
  const bytes = Buffer.byteLength(key);
  if (bytes > MAX_KEY_BYTES) {
    throw new S3Error('KeyTooLongError', 'Your key is too long', {
      Size: bytes,
      MaxSizeAllowed: MAX_KEY_BYTES,
    });
  }
  const segments = key.split('/');
  const why = key.includes('\0')
    ? 'it holds a NUL character'
    : segments.some((s) => s === '.' || s === '..')
      ? 'it has a "." or ".." segment'
      : segments.slice(0, -1).some((s) => s === '')
        ? 'it has an empty segment ("//" or a leading "/")'
        : segments.some((s) => Buffer.byteLength(s) > MAX_SEGMENT_BYTES)
          ? `a segment between slashes is over ${MAX_SEGMENT_BYTES} bytes`
          : undefined;
  if (why) {
    throw new S3Error(
      'InvalidArgument',
      `The local S3 (one file per object) cannot store this key: ${why}.`,
      {
        ArgumentName: 'key',
        ArgumentValue: key.replace(/\0/g, '\\0'),
      },
    );
  }
}
