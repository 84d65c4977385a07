import { describe, expect, it } from 'vitest';
import { S3Error } from '../../../local/services/s3/errors.js';
import { copySource, requestPath } from '../../../local/services/s3/request-path.js';

const codeOf = (run: () => unknown): string | undefined => {
  try {
    run();
    return undefined;
  } catch (error) {
    return error instanceof S3Error ? error.code : `not an S3Error: ${String(error)}`;
  }
};

describe('Function: requestPath()', () => {
  it('decodes the bucket and key of a path-style request', () => {
    expect(requestPath('/photos/a%20b/c%2Bd.jpg', undefined)).toEqual({
      bucketName: 'photos',
      key: 'a b/c+d.jpg',
    });
    expect(requestPath('/photos/folder/', undefined)).toEqual({ bucketName: 'photos', key: 'folder/' });
    expect(requestPath('/', undefined)).toEqual({ bucketName: '', key: '' });
  });

  it.each([
    ['/%', 'InvalidURI'],
    ['/%zz', 'InvalidURI'],
    ['/photos/%E0%A4%A', 'InvalidURI'],
    ['/photos/%ED%A0%80', 'InvalidURI'],
    ['//x', 'InvalidBucketName'],
    ['/bad!name', 'InvalidBucketName'],
    ['/..', 'InvalidBucketName'],
    [`/photos/${'k'.repeat(1025)}`, 'KeyTooLongError'],
    ['/photos/../other/secret', 'InvalidArgument'],
    ['/photos/a/./b', 'InvalidArgument'],
    ['/photos/a//b', 'InvalidArgument'],
    ['/photos/a%00b', 'InvalidArgument'],
    [`/photos/${'k'.repeat(240)}/x`, 'InvalidArgument'],
  ])('refuses %s with %s', (path, code) => {
    expect(codeOf(() => requestPath(path, path))).toBe(code);
  });
});

describe('Function: copySource()', () => {
  it('reads bucket/key with or without a leading slash and a versionId', () => {
    expect(copySource('photos/a%2Fb.jpg?versionId=1')).toEqual({ bucketName: 'photos', key: 'a/b.jpg' });
    expect(copySource('/photos/a.jpg')).toEqual({ bucketName: 'photos', key: 'a.jpg' });
  });

  it('refuses a source that escapes its bucket or names no key', () => {
    expect(codeOf(() => copySource('photos/../../etc/passwd'))).toBe('InvalidArgument');
    expect(codeOf(() => copySource('photos'))).toBe('InvalidArgument');
  });
});
