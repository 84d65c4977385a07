/** Types for s3rver 3.7 (the package ships none): only what the local cloud uses. */
declare module 's3rver' {
  import type { RequestListener } from 'node:http';

  interface S3rverOptions {
    /** Folder of buckets and objects. */
    directory?: string;
    silent?: boolean;
    /** Host suffix for virtual-hosted-style requests. */
    serviceEndpoint?: string;
    vhostBuckets?: boolean;
    allowMismatchedSignatures?: boolean;
    resetOnClose?: boolean;
  }

  /** An S3 notification record as s3rver builds it (keys not URL-encoded). */
  export interface S3rverEvent {
    Records: {
      eventName: string;
      requestParameters: { sourceIPAddress: string };
      s3: { bucket: { name: string }; object: { key: string; size?: number; eTag?: string } };
    }[];
  }

  interface FilesystemStore {
    putBucket(name: string): Promise<unknown>;
    getBucket(name: string): Promise<{ name: string } | null>;
    getObject(
      bucket: string,
      key: string,
      options?: Record<string, unknown>,
    ): Promise<{ metadata: Record<string, string>; content: NodeJS.ReadableStream } | null>;
  }

  /** A Koa application; callback() is its request listener. */
  export default class S3rver {
    constructor(options?: S3rverOptions);
    store: FilesystemStore;
    logger: { exceptions: { unhandle(): void }; close(): void };
    callback(): RequestListener;
    on(event: 'event', listener: (event: S3rverEvent) => void): this;
    on(event: 'error', listener: (error: Error) => void): this;
  }
}

declare module 's3rver/lib/models/account.js' {
  interface AWSAccount {
    createKeyPair(accessKeyId: string, secretAccessKey: string): void;
    revokeAccessKey(accessKeyId: string): void;
  }
  const account: { DUMMY_ACCOUNT: AWSAccount };
  export default account;
}
