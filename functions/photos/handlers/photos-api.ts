/**
 * PhotosApiFunction: the photo API of docs/photos-api.yaml, over API Gateway REST proxy events. The
 * `/public/...` routes read public photos for anyone (no authorizer, no caller: they never look at
 * claims); every other route is behind the Cognito authorizer and its caller is the `sub` of its claims.
 */
import type { APIGatewayProxyEvent } from 'aws-lambda';
import { findCaller } from '../../lib/caller.js';
import { documentClient } from '../../lib/clients/dynamodb.js';
import { s3Client } from '../../lib/clients/s3.js';
import { cursorSecretFromEnv } from '../../lib/cursor-secret.js';
import { ConflictError, UnauthorizedError, ValidationError } from '../../lib/errors.js';
import { empty, json, parseJsonBody } from '../../lib/http.js';
import { withPowertools } from '../../lib/middy.js';
import { once } from '../../lib/once.js';
import { createRouter, type Route } from '../../lib/router.js';
import { loadPhotosConfig } from '../adapters/config.js';
import { DynamoPhotoStore } from '../adapters/dynamo-photo-store.js';
import { S3PhotoObjects } from '../adapters/s3-photo-objects.js';
import { isPublic, requireOwner, requirePublic, requireViewable } from '../domain/access.js';
import { createCursorCodec } from '../domain/cursor.js';
import { isPhotoId, newPhotoId } from '../domain/ids.js';
import { parseLabelsLimit, parseListQuery, parsePublicListQuery } from '../domain/list-query.js';
import type { Photo } from '../domain/types.js';
import { createPendingPhoto, objectKeysOf, parseCreatePhotoInput } from '../domain/upload.js';
import { type PhotoUrls, toPhotoView, toPublicPhotoView } from '../domain/view.js';

const config = loadPhotosConfig(process.env);
const store = new DynamoPhotoStore(documentClient, config.table);
const objects = new S3PhotoObjects(s3Client, config.bucket);
// The key comes from SSM on the first listing (the bundle is CommonJS: no top-level await), then stays
// for the container's life; the other routes never wait for it.
const cursorSecret = cursorSecretFromEnv(process.env, { fallback: config.cursorSecretFallback });
const cursorCodec = once(async () => createCursorCodec(await cursorSecret()));

/** Who calls: the Cognito user. */
export interface Caller {
  sub: string;
  email?: string;
}

/** The caller from the authorizer's claims (functions/lib/caller.ts); undefined (a 401) without a usable `sub`. */
export function callerOf(event: APIGatewayProxyEvent): Caller | undefined {
  const caller = findCaller(event);
  if (caller === undefined) return undefined;
  return caller.email === undefined ? { sub: caller.sub } : { sub: caller.sub, email: caller.email };
}

/** The principal the router set on an authenticated route. */
function callerFrom(principal: Caller | undefined): Caller {
  if (principal === undefined) throw new UnauthorizedError();
  return principal;
}

function photoIdOf(event: APIGatewayProxyEvent): string {
  const photoId = event.pathParameters?.photoId;
  if (!isPhotoId(photoId)) throw new ValidationError('photoId: must be a photo id (26 characters, 0-9 A-Z)');
  return photoId;
}

async function urlsOf(photo: Photo, withImage: boolean): Promise<PhotoUrls> {
  // Only what the labeler published: never the upload, which its presigned POST can still overwrite.
  if (photo.state !== 'READY' || photo.thumbnailKey === undefined || photo.imageKey === undefined) return {};
  const thumbnailUrl = await objects.presignDownload(photo.thumbnailKey);
  return withImage
    ? { thumbnailUrl, imageUrl: await objects.presignDownload(photo.imageKey) }
    : { thumbnailUrl };
}

/** Attempts at a delete that races the labeler (the photo changes state between read and delete). */
const DELETE_ATTEMPTS = 3;

/** The routes of docs/photos-api.yaml. */
export const routes: Route<Caller>[] = [
  {
    method: 'POST',
    resource: '/photos',
    access: 'authenticated',
    handler: async ({ event, principal }) => {
      const caller = callerFrom(principal);
      const input = parseCreatePhotoInput(parseJsonBody(event));
      if (!input.success) throw new ValidationError(input.error);
      const now = new Date();
      const photo = createPendingPhoto(input.data, caller.sub, newPhotoId(now), now);
      if (!(await store.create(photo))) throw new ConflictError(`Photo ${photo.photoId} already exists`);
      const upload = await objects.presignUpload(photo.uploadKey, photo.contentType, photo.size);
      return json(201, {
        photo: toPhotoView(photo, caller.sub),
        upload: { method: 'POST', ...upload, maxBytes: photo.size },
      });
    },
  },
  {
    method: 'GET',
    resource: '/photos',
    access: 'authenticated',
    handler: async ({ event, principal }) => {
      const caller = callerFrom(principal);
      const query = parseListQuery(event.queryStringParameters, caller.sub);
      if (!query.success) throw new ValidationError(query.error);
      const { scope, limit, cursor } = query.data;
      const cursors = await cursorCodec();
      const after = cursor === undefined ? undefined : cursors.decode(scope, cursor);
      const page = await store.list(scope, limit, after);
      const photos = await Promise.all(
        page.photos.map(async (photo) => toPhotoView(photo, caller.sub, await urlsOf(photo, false))),
      );
      return json(200, { photos, nextCursor: page.next ? cursors.encode(scope, page.next) : null });
    },
  },
  {
    method: 'GET',
    resource: '/photos/{photoId}',
    access: 'authenticated',
    handler: async ({ event, principal }) => {
      const caller = callerFrom(principal);
      const photoId = photoIdOf(event);
      const photo = requireViewable(await store.get(photoId), photoId, caller.sub);
      return json(200, { photo: toPhotoView(photo, caller.sub, await urlsOf(photo, true)) });
    },
  },
  {
    method: 'DELETE',
    resource: '/photos/{photoId}',
    access: 'authenticated',
    handler: async ({ event, principal }) => {
      const caller = callerFrom(principal);
      const photoId = photoIdOf(event);
      for (let attempt = 0; attempt < DELETE_ATTEMPTS; attempt++) {
        const photo = requireOwner(await store.get(photoId), photoId, caller.sub);
        // Objects first: if the table write then fails, a retry finds the photo and finishes the job.
        await objects.remove(objectKeysOf(photo));
        if (await store.remove(photo)) return empty(204);
      }
      throw new ConflictError(`Photo ${photoId} kept changing while being deleted; try again`);
    },
  },
  {
    method: 'GET',
    resource: '/labels',
    access: 'authenticated',
    handler: async ({ event }) => {
      const limit = parseLabelsLimit(event.queryStringParameters);
      if (!limit.success) throw new ValidationError(limit.error);
      return json(200, { labels: await store.topLabels(limit.data) });
    },
  },
  // Public reads (template.yaml `Authorizer: NONE`): anyone may browse what every signed-in user sees
  // in the feed. Only public photos (READY, not flagged) are ever read or shown, through the allow-list
  // view; cursors are the same signed ones as the feed's and label search's (same listings).
  {
    method: 'GET',
    resource: '/public/photos',
    access: 'public',
    handler: async ({ event }) => {
      const query = parsePublicListQuery(event.queryStringParameters);
      if (!query.success) throw new ValidationError(query.error);
      const { scope, limit, cursor } = query.data;
      const cursors = await cursorCodec();
      const after = cursor === undefined ? undefined : cursors.decode(scope, cursor);
      const page = await store.list(scope, limit, after);
      const photos = await Promise.all(
        // The Feed index and label items hold public photos only; checked again, as the view's promise.
        page.photos
          .filter((photo) => isPublic(photo))
          .map(async (photo) => toPublicPhotoView(photo, await urlsOf(photo, false))),
      );
      return json(200, { photos, nextCursor: page.next ? cursors.encode(scope, page.next) : null });
    },
  },
  {
    method: 'GET',
    resource: '/public/photos/{photoId}',
    access: 'public',
    handler: async ({ event }) => {
      const photoId = photoIdOf(event);
      const photo = requirePublic(await store.get(photoId), photoId);
      return json(200, { photo: toPublicPhotoView(photo, await urlsOf(photo, true)) });
    },
  },
  {
    method: 'GET',
    resource: '/public/labels',
    access: 'public',
    handler: async ({ event }) => {
      const limit = parseLabelsLimit(event.queryStringParameters);
      if (!limit.success) throw new ValidationError(limit.error);
      return json(200, { labels: await store.topLabels(limit.data) });
    },
  },
];

/** The router before middleware. */
export const photosApi = createRouter<Caller>(routes, { authenticate: callerOf });

/**
 * Lambda entry point (template.yaml: `photos-api.handler`). Its answers carry presigned URLs (uploads
 * and downloads, valid for minutes to an hour): the Tracer must not copy them into X-Ray metadata,
 * where anyone with trace access could use them.
 */
export const handler = withPowertools(photosApi, {
  correlationId: (event) => (event as Partial<typeof event> | null)?.requestContext?.requestId,
  captureResponse: false,
});
