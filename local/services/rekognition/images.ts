import { GetObjectCommand, HeadObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { LOCAL_CREDENTIALS } from '../../runner/lambda-env.js';
import { imageTooLarge, invalidImageFormat, invalidParameter, invalidS3Object } from './errors.js';

/** Rekognition's limits: 5 MB for image bytes in the request, 15 MB for an S3 object. */
export const MAX_BYTES_IMAGE = 5 * 1024 * 1024;
export const MAX_S3_IMAGE = 15 * 1024 * 1024;

/** Reads `Image` of a request: `Bytes` (base64 in JSON) or `S3Object { Bucket, Name }` from the local S3. */
export class ImageSource {
  readonly #s3Url: () => string | undefined;
  readonly #region: string;
  #client?: S3Client;

  constructor(s3Url: () => string | undefined, region: string) {
    this.#s3Url = s3Url;
    this.#region = region;
  }

  async read(image: unknown): Promise<Uint8Array> {
    if (typeof image !== 'object' || image === null) throw invalidParameter();
    const { Bytes, S3Object } = image as { Bytes?: unknown; S3Object?: unknown };
    if ((Bytes === undefined) === (S3Object === undefined)) throw invalidParameter();
    if (Bytes !== undefined) {
      if (typeof Bytes !== 'string') throw invalidParameter();
      const bytes = Buffer.from(Bytes, 'base64');
      if (bytes.length === 0) throw invalidImageFormat();
      if (bytes.length > MAX_BYTES_IMAGE) throw imageTooLarge();
      return bytes;
    }
    const { Bucket, Name } = (S3Object ?? {}) as { Bucket?: unknown; Name?: unknown };
    if (typeof Bucket !== 'string' || typeof Name !== 'string' || Bucket === '' || Name === '') {
      throw invalidParameter();
    }
    return this.#readObject(Bucket, Name);
  }

  destroy(): void {
    this.#client?.destroy();
  }

  async #readObject(bucket: string, key: string): Promise<Uint8Array> {
    const client = this.#s3();
    try {
      const head = await client.send(new HeadObjectCommand({ Bucket: bucket, Key: key }));
      if ((head.ContentLength ?? 0) > MAX_S3_IMAGE) throw imageTooLarge();
      const object = await client.send(new GetObjectCommand({ Bucket: bucket, Key: key }));
      return (await object.Body?.transformToByteArray()) ?? new Uint8Array();
    } catch (error) {
      if ((error as Error).name === 'RekognitionError') throw error;
      throw invalidS3Object();
    }
  }

  #s3(): S3Client {
    const endpoint = this.#s3Url();
    if (!endpoint) throw invalidS3Object();
    this.#client ??= new S3Client({
      endpoint,
      region: this.#region,
      forcePathStyle: true,
      maxAttempts: 1,
      credentials: {
        accessKeyId: LOCAL_CREDENTIALS.AWS_ACCESS_KEY_ID,
        secretAccessKey: LOCAL_CREDENTIALS.AWS_SECRET_ACCESS_KEY,
        sessionToken: LOCAL_CREDENTIALS.AWS_SESSION_TOKEN,
      },
    });
    return this.#client;
  }
}
