/**
 * The photos bucket over S3: presigned browser uploads (POST policy) and downloads for the API; reads,
 * thumbnails and deletes for the labeler. Presigned URLs point wherever the client's endpoint does —
 * AWS, or the local S3 when `AWS_ENDPOINT_URL_S3` is set.
 */
import {
  DeleteObjectsCommand,
  GetObjectCommand,
  HeadObjectCommand,
  PutObjectCommand,
  type S3Client,
} from '@aws-sdk/client-s3';
import { createPresignedPost } from '@aws-sdk/s3-presigned-post';
import { getSignedUrl } from '@aws-sdk/s3-request-presigner';
import type { LabelerObjects, PhotoObjects, PresignedUpload, StoredObject } from '../domain/ports.js';
import { UPLOAD_TTL_SECONDS } from '../domain/upload.js';

/** How long a presigned GET stays valid. */
export const DOWNLOAD_TTL_SECONDS = 60 * 60;

function isNotFound(error: unknown): boolean {
  if (!(error instanceof Error)) return false;
  const status = (error as { $metadata?: { httpStatusCode?: number } }).$metadata?.httpStatusCode;
  return error.name === 'NotFound' || error.name === 'NoSuchKey' || status === 404;
}

/** {@link PhotoObjects} and {@link LabelerObjects} over one bucket. */
export class S3PhotoObjects implements PhotoObjects, LabelerObjects {
  public constructor(
    private readonly client: S3Client,
    private readonly bucket: string,
    private readonly now: () => Date = () => new Date(),
  ) {}

  public async presignUpload(key: string, contentType: string, maxBytes: number): Promise<PresignedUpload> {
    const { url, fields } = await createPresignedPost(this.client, {
      Bucket: this.bucket,
      Key: key,
      Conditions: [
        ['content-length-range', 1, maxBytes],
        ['eq', '$Content-Type', contentType],
      ],
      Fields: { 'Content-Type': contentType },
      Expires: UPLOAD_TTL_SECONDS,
    });
    return {
      url,
      fields,
      expiresAt: new Date(this.now().getTime() + UPLOAD_TTL_SECONDS * 1000).toISOString(),
    };
  }

  public async presignDownload(key: string): Promise<string> {
    return getSignedUrl(this.client, new GetObjectCommand({ Bucket: this.bucket, Key: key }), {
      expiresIn: DOWNLOAD_TTL_SECONDS,
    });
  }

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

  public async writeThumbnail(key: string, jpeg: Uint8Array): Promise<void> {
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
