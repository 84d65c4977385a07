/**
 * The photos bucket over S3: presigned browser uploads (POST policy, `uploads/` only) and downloads
 * (`photos/` and `thumbnails/` only) for the API; reads, published JPEGs and deletes for the labeler.
 * Presigned URLs point wherever the client's endpoint does — AWS, or the local S3 when
 * `AWS_ENDPOINT_URL_S3` is set.
 */
import { GetObjectCommand, type S3Client } from '@aws-sdk/client-s3';
import { getSignedUrl } from '@aws-sdk/s3-request-presigner';
import type { PhotoObjects, PresignedUpload } from '../domain/ports.js';
import { isPublishedKey, parseUploadKey, UPLOAD_PREFIX, UPLOAD_TTL_SECONDS } from '../domain/upload.js';
import { S3LabelerObjects } from './s3-labeler-objects.js';

/** How long a presigned GET stays valid. */
export const DOWNLOAD_TTL_SECONDS = 60 * 60;

/** A cached presigned GET is handed out again while it has at least this long to live. */
export const DOWNLOAD_REUSE_MARGIN_SECONDS = 15 * 60;

/** Presigned GETs kept per container. */
export const DOWNLOAD_CACHE_SIZE = 10_000;

/** {@link PhotoObjects} (and, through {@link S3LabelerObjects}, LabelerObjects) over one bucket. */
export class S3PhotoObjects extends S3LabelerObjects implements PhotoObjects {
  /**
   * Presigned GETs by key. Published images and thumbnails never change under a key (it names their
   * digest), so a URL can be shared
   * until it nears expiry: a feed page costs no signing once warm (signing is ~2 ms a URL through the
   * SDK's middleware stack, 24 to a page), and browsers can cache the images under a stable URL.
   * Insertion order makes the Map an LRU-ish bound.
   */
  private readonly downloads = new Map<string, { url: string; expiresAtMs: number }>();

  public constructor(
    client: S3Client,
    bucket: string,
    private readonly now: () => Date = () => new Date(),
    private readonly cacheSize = DOWNLOAD_CACHE_SIZE,
  ) {
    super(client, bucket);
  }

  public async presignUpload(key: string, contentType: string, maxBytes: number): Promise<PresignedUpload> {
    // Exactly `uploads/{owner}/{photoId}`: no other prefix, no `${filename}` wildcard of the SDK.
    if (parseUploadKey(key) === undefined) {
      throw new Error(`refusing to presign a POST outside ${UPLOAD_PREFIX}: ${key}`);
    }
    // Loaded on the first upload, not at init: it brings its own copy of the S3 client (docs/performance.md).
    const { createPresignedPost } = await import('@aws-sdk/s3-presigned-post');
    const { url, fields } = await createPresignedPost(this.client, {
      Bucket: this.bucket,
      Key: key,
      Conditions: [
        // The SDK adds { key } too; said here so the policy's pin does not rest on a library default.
        ['eq', '$key', key],
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
    // Uploads are unverified bytes: never hand them out.
    if (!isPublishedKey(key))
      throw new Error(`refusing to presign a GET outside photos/ and thumbnails/: ${key}`);
    const now = this.now().getTime();
    const cached = this.downloads.get(key);
    if (cached && cached.expiresAtMs - now > DOWNLOAD_REUSE_MARGIN_SECONDS * 1000) return cached.url;
    const url = await getSignedUrl(this.client, new GetObjectCommand({ Bucket: this.bucket, Key: key }), {
      expiresIn: DOWNLOAD_TTL_SECONDS,
      signingDate: new Date(now),
    });
    this.downloads.delete(key);
    this.downloads.set(key, { url, expiresAtMs: now + DOWNLOAD_TTL_SECONDS * 1000 });
    if (this.downloads.size > this.cacheSize) {
      const oldest = this.downloads.keys().next().value;
      if (oldest !== undefined) this.downloads.delete(oldest);
    }
    return url;
  }

  /** Forget presigned GETs of keys that are gone (a deleted photo's URLs must not be handed out). */
  public forget(keys: readonly string[]): void {
    for (const key of keys) this.downloads.delete(key);
  }

  public override async remove(keys: readonly string[]): Promise<void> {
    this.forget(keys);
    await super.remove(keys);
  }
}
