/**
 * The photo site on a local cloud, for integration tests and bench/photos: users with real ID tokens
 * from the local Cognito, API calls with them, browser-style presigned POST uploads to the local S3,
 * and waiting for the labeler.
 */
import {
  createPrivateKey,
  createSign,
  generateKeyPairSync,
  type JsonWebKey,
  type KeyObject,
} from 'node:crypto';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import {
  AdminConfirmSignUpCommand,
  AuthFlowType,
  CognitoIdentityProviderClient,
  InitiateAuthCommand,
  SignUpCommand,
} from '@aws-sdk/client-cognito-identity-provider';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { S3Client } from '@aws-sdk/client-s3';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { LOCAL_CREDENTIALS } from '../../local/runner/index.js';
import type { CloudView } from './local-cloud.js';

/** A signed-up, confirmed user and its ID token. */
export interface TestUser {
  email: string;
  sub: string;
  idToken: string;
}

/** An API answer. */
export interface ApiAnswer {
  status: number;
  body: Record<string, unknown> | undefined;
  headers: Headers;
}

/** Clients and helpers bound to one running local cloud. */
export interface PhotoCloud {
  cloud: CloudView;
  s3: S3Client;
  dynamo: DynamoDBDocumentClient;
  bucket: string;
  table: string;
  userPoolId: string;
  clientId: string;
  signUp(name: string): Promise<TestUser>;
  api(method: string, route: string, options?: { token?: string | null; body?: unknown }): Promise<ApiAnswer>;
  /** POSTs `bytes` to a presigned upload as a browser form would; the S3 status and body. */
  upload(
    upload: { url: string; fields: Record<string, string> },
    bytes: Uint8Array,
    contentType: string,
  ): Promise<{ status: number; text: string }>;
  /** Polls GET /photos/{photoId} as `token` until it is no longer PENDING. */
  settled(photoId: string, token: string, timeoutMs?: number): Promise<Record<string, unknown>>;
  /**
   * An RS256 token signed with the local pools' key (or `key`), for expired or foreign tokens; needs a
   * user signed up first (its token names the local key).
   */
  signToken(payload: Record<string, unknown>, key?: { privateKey: KeyObject; kid: string }): Promise<string>;
}

const PASSWORD = 'Correct-Horse-9-Battery';
const region = 'us-east-1';

function base64url(value: unknown): string {
  return Buffer.from(JSON.stringify(value)).toString('base64url');
}

/** A key that no local pool knows (another pool's, for all the API can tell). */
export function foreignKey(): { privateKey: KeyObject; kid: string } {
  const { privateKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
  return { privateKey, kid: 'foreign-pool-key' };
}

/** The header of a JWT. */
export function jwtHeader(token: string): Record<string, unknown> {
  return JSON.parse(Buffer.from(token.split('.')[0] ?? '', 'base64url').toString()) as Record<
    string,
    unknown
  >;
}

/** The claims of a JWT, unverified. */
export function jwtClaims(token: string): Record<string, unknown> {
  return JSON.parse(Buffer.from(token.split('.')[1] ?? '', 'base64url').toString()) as Record<
    string,
    unknown
  >;
}

/** The key the local pools sign with (`<data>/cognito/signing-key.json`, a private JWK). */
async function loadLocalKey(dataDir: string): Promise<KeyObject> {
  const file = path.join(dataDir, 'data', 'cognito', 'signing-key.json');
  return createPrivateKey({ key: JSON.parse(await readFile(file, 'utf8')) as JsonWebKey, format: 'jwk' });
}

/** Helpers for `cloud`, started from `root` with data in `dataDir`. */
export function photoCloud(cloud: CloudView, dataDir: string): PhotoCloud {
  const services = cloud.endpoints.services;
  const output = (name: string) => {
    const value = cloud.model.outputs[name];
    if (typeof value !== 'string') throw new Error(`template output ${name} is not resolved locally`);
    return value;
  };
  const cognitoUrl = services.cognito_identity_provider ?? services.cognito;
  if (!cognitoUrl || !services.s3 || !services.dynamodb) {
    throw new Error(`local cloud lacks Cognito, S3 or DynamoDB: ${JSON.stringify(services)}`);
  }
  const credentials = {
    accessKeyId: LOCAL_CREDENTIALS.AWS_ACCESS_KEY_ID,
    secretAccessKey: LOCAL_CREDENTIALS.AWS_SECRET_ACCESS_KEY,
  };
  const cognito = new CognitoIdentityProviderClient({ region, endpoint: cognitoUrl, credentials });
  const s3 = new S3Client({ region, endpoint: services.s3, forcePathStyle: true, credentials });
  const dynamo = DynamoDBDocumentClient.from(
    new DynamoDBClient({ region, endpoint: services.dynamodb, credentials }),
  );
  const userPoolId = output('UserPoolId');
  const clientId = output('UserPoolClientId');

  // The kid the local pools sign with, learnt from the first real token.
  let localKid: string | undefined;

  const self: PhotoCloud = {
    cloud,
    s3,
    dynamo,
    bucket: output('PhotosBucketName'),
    table: output('PhotosTableName'),
    userPoolId,
    clientId,

    async signUp(name) {
      const email = `${name}-${Date.now()}-${Math.floor(Math.random() * 1e6)}@example.com`;
      await cognito.send(new SignUpCommand({ ClientId: clientId, Username: email, Password: PASSWORD }));
      try {
        await cognito.send(new AdminConfirmSignUpCommand({ UserPoolId: userPoolId, Username: email }));
      } catch (error) {
        // Auto-confirmed pools refuse a second confirmation; that is fine.
        if (!/confirm/i.test((error as Error).message)) throw error;
      }
      const auth = await cognito.send(
        new InitiateAuthCommand({
          ClientId: clientId,
          AuthFlow: AuthFlowType.USER_PASSWORD_AUTH,
          AuthParameters: { USERNAME: email, PASSWORD },
        }),
      );
      const idToken = auth.AuthenticationResult?.IdToken;
      if (!idToken) throw new Error(`no ID token for ${email}`);
      localKid ??= String(jwtHeader(idToken).kid);
      return { email, sub: String(jwtClaims(idToken).sub), idToken };
    },

    async api(method, route, { token, body } = {}) {
      const headers: Record<string, string> = {};
      if (token) headers.Authorization = token;
      if (body !== undefined) headers['Content-Type'] = 'application/json';
      const response = await fetch(`${cloud.endpoints.api}${route}`, {
        method,
        headers,
        body: body === undefined ? undefined : typeof body === 'string' ? body : JSON.stringify(body),
      });
      const text = await response.text();
      return {
        status: response.status,
        body: text ? (JSON.parse(text) as Record<string, unknown>) : undefined,
        headers: response.headers,
      };
    },

    async upload(upload, bytes, contentType) {
      const form = new FormData();
      for (const [key, value] of Object.entries(upload.fields)) form.append(key, value);
      form.append('file', new Blob([bytes], { type: contentType }), 'photo');
      const response = await fetch(upload.url, { method: 'POST', body: form });
      return { status: response.status, text: await response.text() };
    },

    async settled(photoId, token, timeoutMs = 20_000) {
      const deadline = Date.now() + timeoutMs;
      for (;;) {
        const { status, body } = await self.api('GET', `/photos/${photoId}`, { token });
        const photo = body?.photo as Record<string, unknown> | undefined;
        if (status !== 200 || !photo)
          throw new Error(`GET /photos/${photoId}: ${status} ${JSON.stringify(body)}`);
        if (photo.state !== 'PENDING') return photo;
        if (Date.now() > deadline) throw new Error(`photo ${photoId} still PENDING after ${timeoutMs} ms`);
        await new Promise((resolve) => setTimeout(resolve, 100));
      }
    },

    async signToken(payload, key) {
      let signer = key;
      if (signer === undefined) {
        if (localKid === undefined)
          throw new Error('signToken: sign a user up first (its token names the key)');
        signer = { privateKey: await loadLocalKey(dataDir), kid: localKid };
      }
      const head = base64url({ kid: signer.kid, alg: 'RS256', typ: 'JWT' });
      const body = base64url(payload);
      const signature = createSign('RSA-SHA256')
        .update(`${head}.${body}`)
        .sign(signer.privateKey, 'base64url');
      return `${head}.${body}.${signature}`;
    },
  };
  return self;
}
