/**
 * The photos bucket over S3 for the labeler: reads, published JPEGs and deletes. Apart from
 * s3-photo-objects.ts (the API's presigned uploads and downloads) so that LabelPhotoFunction's bundle
 * carries no presigner (docs/performance.md).
 */
import {
  DeleteObjectsCommand,
  GetObjectCommand,
  HeadObjectCommand,
  PutObjectCommand,
  type S3Client,
} from '@aws-sdk/client-s3';
import type { LabelerObjects, StoredObject } from '../domain/ports.js';

function isNotFound(error: unknown): boolean {
  if (!(error instanceof Error)) return false;
  const status = (error as { $metadata?: { httpStatusCode?: number } }).$metadata?.httpStatusCode;
  return error.name === 'NotFound' || error.name === 'NoSuchKey' || status === 404;
}

/** {@link LabelerObjects} over one bucket. */
export class S3LabelerObjects implements LabelerObjects {
  public constructor(
    protected readonly client: S3Client,
    protected readonly bucket: string,
  ) {}

  public async size(key: string): Promise<number | undefined> {
    try {
      const head = await this.client.send(new HeadObjectCommand({ Bucket: this.bucket, Key: key }));
      return head.ContentLength ?? 0;
    } catch (error) {
      if (isNotFound(error)) return undefined;
      throw error;
    }
  }

  public async read(key: string): Promise<StoredObject | undefined> {
    try {
      const object = await this.client.send(new GetObjectCommand({ Bucket: this.bucket, Key: key }));
      const bytes = object.Body ? await object.Body.transformToByteArray() : new Uint8Array();
      return object.ContentType === undefined ? { bytes } : { bytes, contentType: object.ContentType };
    } catch (error) {
      if (isNotFound(error)) return undefined;
      throw error;
    }
  }

  public async writeJpeg(key: string, jpeg: Uint8Array): Promise<void> {
    await this.client.send(
      new PutObjectCommand({
        Bucket: this.bucket,
        Key: key,
        Body: jpeg,
        ContentType: 'image/jpeg',
        CacheControl: 'private, max-age=31536000, immutable',
      }),
    );
  }

  public async remove(keys: readonly string[]): Promise<void> {
    if (keys.length === 0) return;
    const { Errors = [] } = await this.client.send(
      new DeleteObjectsCommand({
        Bucket: this.bucket,
        Delete: { Objects: keys.map((Key) => ({ Key })), Quiet: true },
      }),
    );
    if (Errors.length > 0) {
      const first = Errors[0];
      throw new Error(
        `${Errors.length} objects not deleted (${first?.Key}: ${first?.Code} ${first?.Message})`,
      );
    }
  }
}
