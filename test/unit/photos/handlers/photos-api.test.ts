import { ConditionalCheckFailedException, TransactionCanceledException } from '@aws-sdk/client-dynamodb';
import { DeleteObjectsCommand, S3Client } from '@aws-sdk/client-s3';
import { GetParameterCommand, SSMClient } from '@aws-sdk/client-ssm';
import {
  DynamoDBDocumentClient,
  GetCommand,
  PutCommand,
  QueryCommand,
  TransactWriteCommand,
} from '@aws-sdk/lib-dynamodb';
import type { APIGatewayProxyEvent, APIGatewayProxyResult } from 'aws-lambda';
import { mockClient } from 'aws-sdk-client-mock';
import { beforeEach, describe, expect, it, vi } from 'vitest';
import { logger, tracer } from '../../../../functions/lib/powertools.js';
import { toPhotoItem } from '../../../../functions/photos/adapters/dynamo-photo-store.js';
import { createCursorCodec } from '../../../../functions/photos/domain/cursor.js';
import { isPhotoId } from '../../../../functions/photos/domain/ids.js';
import { handler } from '../../../../functions/photos/handlers/photos-api.js';
import { lambdaContext } from '../../../helpers/factories.js';
import { loadOpenApi, validateResponse } from '../../../helpers/openapi.js';
import {
  makePhoto,
  makeReadyPhoto,
  OTHER_SUB,
  OWNER_SUB,
  PHOTO_ID,
  type PhotoApiFixture,
  photoApiEvent,
  READY_VERSION,
} from '../../../helpers/photo-factories.js';

const env = vi.hoisted(() => {
  const values = {
    PHOTOS_TABLE: 'kumo-dev-PhotosTable',
    PHOTOS_BUCKET: 'kumo-dev-photos-123456789012-us-east-1',
    CURSOR_SECRET_PARAMETER: '/kumo/test/cursor-secret',
    AWS_REGION: 'us-east-1',
    AWS_ACCESS_KEY_ID: 'AKIAUNITTEST00000000',
    AWS_SECRET_ACCESS_KEY: 'unit-test-secret-access-key',
    POWERTOOLS_SERVICE_NAME: 'photos-api',
    POWERTOOLS_METRICS_NAMESPACE: 'Kumo/Photos',
  };
  Object.assign(process.env, values);
  return values;
});

const ddb = mockClient(DynamoDBDocumentClient);
const s3 = mockClient(S3Client);
// The cursor key is a SecureString read once per container (functions/lib/cursor-secret.ts).
const CURSOR_SECRET = 'unit-test-cursor-secret-of-32-characters-or-more';
mockClient(SSMClient)
  .on(GetParameterCommand, { Name: env.CURSOR_SECRET_PARAMETER, WithDecryption: true })
  .resolves({ Parameter: { Type: 'SecureString', Value: CURSOR_SECRET } });
const spec = loadOpenApi(new URL('../../../../docs/photos-api.yaml', import.meta.url));
const cursors = createCursorCodec(CURSOR_SECRET);

async function call(event: APIGatewayProxyEvent, { documented = true } = {}) {
  const response = (await handler(event, lambdaContext())) as APIGatewayProxyResult;
  const body = response.body === '' ? undefined : (JSON.parse(response.body) as Record<string, unknown>);
  // Every answer to a documented route must be one the OpenAPI document describes.
  if (documented) {
    expect(validateResponse(spec, event.httpMethod, event.resource, response.statusCode, body)).toEqual([]);
  }
  return { ...response, json: body as Record<string, unknown> };
}

const conditionFailed = () => new ConditionalCheckFailedException({ message: 'failed', $metadata: {} });

beforeEach(() => {
  ddb.reset();
  s3.reset();
});

describe('Function: handler() (PhotosApiFunction)', () => {
  describe('authentication', () => {
    it.each<PhotoApiFixture>([
      'photos-api-create-photo',
      'photos-api-list-photos',
      'photos-api-get-photo',
      'photos-api-delete-photo',
      'photos-api-list-labels',
    ])('%s: 401 without authorizer claims, before touching storage', async (fixture) => {
      const response = await call(photoApiEvent(fixture, { claims: null }));
      expect(response.statusCode).toBe(401);
      expect(response.json).toEqual({
        message: 'Sign in to do this (no authorizer claims)',
        code: 'Unauthorized',
      });
      expect(response.headers).toMatchObject({
        'Access-Control-Allow-Origin': 'http://127.0.0.1:4500',
        Vary: 'Origin',
      });
      expect(ddb.calls()).toHaveLength(0);
    });

    it('401 for claims without a usable sub', async () => {
      expect(
        (await call(photoApiEvent('photos-api-list-labels', { claims: { email: 'x@y.z' } }))).statusCode,
      ).toBe(401);
      expect((await call(photoApiEvent('photos-api-list-labels', { sub: '../admin' }))).statusCode).toBe(401);
    });
  });

  describe('POST /photos', () => {
    it('creates a PENDING photo that expires, and answers a presigned POST pinned to uploads/{sub}/{id}', async () => {
      ddb.on(PutCommand).resolves({});
      const response = await call(photoApiEvent('photos-api-create-photo'));
      expect(response.statusCode).toBe(201);
      const photo = response.json.photo as Record<string, unknown>;
      expect(photo).toMatchObject({ state: 'PENDING', mine: true, contentType: 'image/jpeg', size: 2483917 });
      expect(isPhotoId(photo.photoId)).toBe(true);

      const put = ddb.commandCalls(PutCommand)[0]?.args[0].input;
      expect(put?.TableName).toBe(env.PHOTOS_TABLE);
      expect(put?.ConditionExpression).toBe('attribute_not_exists(pk)');
      expect(put?.Item).toMatchObject({
        pk: `PHOTO#${photo.photoId}`,
        sk: 'PHOTO',
        ownerPk: `USER#${OWNER_SUB}`,
        state: 'PENDING',
        expiresAt: expect.any(Number),
      });
      expect(put?.Item).not.toHaveProperty('feedPk');

      const upload = response.json.upload as {
        url: string;
        fields: Record<string, string>;
        maxBytes: number;
      };
      expect(upload.url).toBe(`https://${env.PHOTOS_BUCKET}.s3.us-east-1.amazonaws.com/`);
      expect(upload.fields).toMatchObject({
        key: `uploads/${OWNER_SUB}/${photo.photoId}`,
        'Content-Type': 'image/jpeg',
        'X-Amz-Algorithm': 'AWS4-HMAC-SHA256',
      });
      const policy = JSON.parse(Buffer.from(upload.fields.Policy ?? '', 'base64').toString()) as {
        conditions: unknown[];
      };
      expect(policy.conditions).toEqual(
        expect.arrayContaining([
          ['content-length-range', 1, 2483917],
          ['eq', '$Content-Type', 'image/jpeg'],
          { key: `uploads/${OWNER_SUB}/${photo.photoId}` },
          ['eq', '$key', `uploads/${OWNER_SUB}/${photo.photoId}`],
        ]),
      );
      expect(JSON.stringify(policy.conditions)).not.toContain('starts-with');
      expect(upload.maxBytes).toBe(2483917);
    });

    it.each([
      ['malformed JSON', '{"contentType": "image/jpeg",', 'Request body is not valid JSON'],
      [
        'an unknown field',
        { contentType: 'image/jpeg', size: 10, ownerId: OTHER_SUB },
        'ownerId: unknown field',
      ],
      ['a GIF', { contentType: 'image/gif', size: 10 }, 'contentType: must be image/jpeg or image/png'],
      ['16 MB', { contentType: 'image/png', size: 16 * 1024 * 1024 }, 'size: must be at most 15728640 bytes'],
      ['no body', null, 'Request body is required (JSON)'],
    ])('400 for %s', async (_name, body, message) => {
      const response = await call(photoApiEvent('photos-api-create-photo', { body }));
      expect(response.statusCode).toBe(400);
      expect(response.json).toEqual({ message: expect.stringContaining(message), code: 'ValidationError' });
      expect(ddb.calls()).toHaveLength(0);
    });
  });

  describe('GET /photos', () => {
    it('searches a label through its index, newest first, with thumbnails and a next cursor', async () => {
      const newer = makeReadyPhoto({
        photoId: '01JHEX8Y7K3M5N9P2Q4R6S8T0W',
        createdAt: '2025-01-15T12:05:00.000Z',
      });
      const older = makeReadyPhoto();
      const oldest = makeReadyPhoto({
        photoId: '01JHEX8Y7K3M5N9P2Q4R6S8T0X',
        createdAt: '2025-01-14T00:00:00.000Z',
      });
      ddb
        .on(QueryCommand)
        .resolves({ Items: [newer, older, oldest].map((photo) => ({ ...photo, pk: 'LABEL#dog' })) });
      const response = await call(
        photoApiEvent('photos-api-list-photos', { queryStringParameters: { label: 'Dog', limit: '2' } }),
      );
      expect(response.statusCode).toBe(200);
      const query = ddb.commandCalls(QueryCommand)[0]?.args[0].input;
      expect(query).toMatchObject({
        TableName: env.PHOTOS_TABLE,
        KeyConditionExpression: 'pk = :pk',
        ExpressionAttributeValues: { ':pk': 'LABEL#dog' },
        ScanIndexForward: false,
        Limit: 3,
      });
      expect(query?.IndexName).toBeUndefined();
      const photos = response.json.photos as Record<string, unknown>[];
      expect(photos.map((photo) => photo.photoId)).toEqual([newer.photoId, older.photoId]);
      expect(photos[0]?.thumbnailUrl).toMatch(
        new RegExp(
          `^https://${env.PHOTOS_BUCKET}\\.s3\\.us-east-1\\.amazonaws\\.com/thumbnails/.+X-Amz-Signature=`,
        ),
      );
      expect(photos[0]).not.toHaveProperty('imageUrl');
      const next = cursors.decode({ kind: 'label', label: 'dog' }, response.json.nextCursor as string);
      expect(next).toEqual({ createdAt: older.createdAt, photoId: older.photoId });
    });

    it('continues from a cursor on the Feed index', async () => {
      ddb.on(QueryCommand).resolves({ Items: [] });
      const cursor = cursors.encode(
        { kind: 'feed' },
        { createdAt: '2025-01-15T12:00:00.000Z', photoId: PHOTO_ID },
      );
      const response = await call(
        photoApiEvent('photos-api-list-photos', { queryStringParameters: { cursor } }),
      );
      expect(response.json).toEqual({ photos: [], nextCursor: null });
      expect(ddb.commandCalls(QueryCommand)[0]?.args[0].input).toMatchObject({
        IndexName: 'Feed',
        KeyConditionExpression: 'feedPk = :feed',
        Limit: 25,
        ExclusiveStartKey: {
          pk: `PHOTO#${PHOTO_ID}`,
          sk: 'PHOTO',
          feedPk: 'FEED',
          feedSk: `2025-01-15T12:00:00.000Z#${PHOTO_ID}`,
        },
      });
    });

    it('lists the caller’s own photos in every state on the ByOwner index', async () => {
      const pending = makePhoto();
      ddb.on(QueryCommand).resolves({ Items: [toPhotoItem(pending)] });
      const response = await call(
        photoApiEvent('photos-api-list-photos', { queryStringParameters: { mine: 'true' } }),
      );
      expect(ddb.commandCalls(QueryCommand)[0]?.args[0].input).toMatchObject({
        IndexName: 'ByOwner',
        ExpressionAttributeValues: { ':owner': `USER#${OWNER_SUB}` },
      });
      expect(response.json.photos).toEqual([expect.objectContaining({ state: 'PENDING', mine: true })]);
    });

    it.each([
      [
        'a tampered cursor',
        {
          cursor: `${cursors.encode({ kind: 'feed' }, { createdAt: '2025-01-15T12:00:00.000Z', photoId: PHOTO_ID })}x`,
        },
      ],
      [
        'a cursor of another listing',
        {
          label: 'cat',
          cursor: cursors.encode(
            { kind: 'label', label: 'dog' },
            { createdAt: '2025-01-15T12:00:00.000Z', photoId: PHOTO_ID },
          ),
        },
      ],
      ['garbage', { cursor: '%%%' }],
      ['an unknown parameter', { order: 'asc' }],
      ['a bad limit', { limit: '1000' }],
    ])('400 for %s, without a query', async (_name, query) => {
      const response = await call(photoApiEvent('photos-api-list-photos', { queryStringParameters: query }));
      expect(response.statusCode).toBe(400);
      expect(response.json.code).toBe('ValidationError');
      expect(ddb.calls()).toHaveLength(0);
    });
  });

  describe('GET /photos/{photoId}', () => {
    it('shows a public photo to anyone, with URLs of the published image and thumbnail only', async () => {
      ddb.on(GetCommand).resolves({ Item: toPhotoItem(makeReadyPhoto()) });
      const response = await call(photoApiEvent('photos-api-get-photo', { sub: OTHER_SUB }));
      expect(response.statusCode).toBe(200);
      const photo = response.json.photo as Record<string, unknown>;
      expect(photo).toMatchObject({ photoId: PHOTO_ID, mine: false, state: 'READY' });
      expect(photo.imageUrl).toContain(`/photos/${OWNER_SUB}/${PHOTO_ID}/${READY_VERSION}.jpg?`);
      expect(photo.thumbnailUrl).toContain(`/thumbnails/${OWNER_SUB}/${PHOTO_ID}/${READY_VERSION}.jpg?`);
      expect(JSON.stringify(response.json)).not.toContain('uploads/');
      expect(ddb.commandCalls(GetCommand)[0]?.args[0].input.Key).toEqual({
        pk: `PHOTO#${PHOTO_ID}`,
        sk: 'PHOTO',
      });
    });

    it('shows the owner a flagged photo with the reason; 404 for anyone else', async () => {
      const flagged = makeReadyPhoto({
        moderation: { flagged: true, labels: [], reason: 'Hidden: Violence (91%)' },
      });
      ddb.on(GetCommand).resolves({ Item: toPhotoItem(flagged) });
      expect((await call(photoApiEvent('photos-api-get-photo'))).json.photo).toMatchObject({
        moderation: { flagged: true, reason: 'Hidden: Violence (91%)' },
      });
      expect((await call(photoApiEvent('photos-api-get-photo', { sub: OTHER_SUB }))).statusCode).toBe(404);
    });

    it('400 for a malformed id, 404 for a missing photo', async () => {
      const bad = await call(photoApiEvent('photos-api-get-photo', { photoId: 'not-an-id' }));
      expect(bad.statusCode).toBe(400);
      expect(bad.json.message).toBe('photoId: must be a photo id (26 characters, 0-9 A-Z)');
      ddb.on(GetCommand).resolves({});
      expect((await call(photoApiEvent('photos-api-get-photo'))).json).toEqual({
        message: `Photo ${PHOTO_ID} not found`,
        code: 'NotFound',
      });
    });
  });

  describe('DELETE /photos/{photoId}', () => {
    it('removes the upload, the published image, the thumbnail, the photo, its label items and counts', async () => {
      ddb.on(GetCommand).resolves({ Item: toPhotoItem(makeReadyPhoto()) });
      ddb.on(TransactWriteCommand).resolves({});
      s3.on(DeleteObjectsCommand).resolves({});
      const response = await call(photoApiEvent('photos-api-delete-photo'));
      expect(response.statusCode).toBe(204);
      expect(s3.commandCalls(DeleteObjectsCommand)[0]?.args[0].input).toEqual({
        Bucket: env.PHOTOS_BUCKET,
        Delete: {
          Objects: [
            { Key: `uploads/${OWNER_SUB}/${PHOTO_ID}` },
            { Key: `photos/${OWNER_SUB}/${PHOTO_ID}/${READY_VERSION}.jpg` },
            { Key: `thumbnails/${OWNER_SUB}/${PHOTO_ID}/${READY_VERSION}.jpg` },
          ],
          Quiet: true,
        },
      });
      const items = ddb.commandCalls(TransactWriteCommand)[0]?.args[0].input.TransactItems ?? [];
      expect(items[0]?.Delete).toMatchObject({
        Key: { pk: `PHOTO#${PHOTO_ID}`, sk: 'PHOTO' },
        ExpressionAttributeValues: { ':state': 'READY', ':owner': OWNER_SUB },
      });
      expect(items.slice(1).map((item) => item.Delete?.Key ?? item.Update?.Key)).toEqual([
        { pk: 'LABEL#dog', sk: `2025-01-15T12:00:00.000Z#${PHOTO_ID}` },
        { pk: 'LABELCOUNT#dog', sk: 'COUNT' },
        { pk: 'LABEL#beach', sk: `2025-01-15T12:00:00.000Z#${PHOTO_ID}` },
        { pk: 'LABELCOUNT#beach', sk: 'COUNT' },
      ]);
      expect(items[2]?.Update?.ExpressionAttributeValues?.[':delta']).toBe(-1);
    });

    it('403 for another user’s photo, touching nothing', async () => {
      ddb.on(GetCommand).resolves({ Item: toPhotoItem(makeReadyPhoto()) });
      const response = await call(photoApiEvent('photos-api-delete-photo', { sub: OTHER_SUB }));
      expect(response.statusCode).toBe(403);
      expect(response.json).toEqual({
        message: `Photo ${PHOTO_ID} belongs to another user`,
        code: 'Forbidden',
      });
      expect(s3.calls()).toHaveLength(0);
      expect(ddb.commandCalls(TransactWriteCommand)).toHaveLength(0);
    });

    it('reads again and retries when the labeler changed the photo meanwhile', async () => {
      ddb
        .on(GetCommand)
        .resolvesOnce({ Item: toPhotoItem(makePhoto()) })
        .resolves({ Item: toPhotoItem(makeReadyPhoto()) });
      ddb
        .on(TransactWriteCommand)
        .rejectsOnce(
          new TransactionCanceledException({
            message: 'cancelled',
            $metadata: {},
            CancellationReasons: [{ Code: 'ConditionalCheckFailed' }],
          }),
        )
        .resolves({});
      s3.on(DeleteObjectsCommand).resolves({});
      expect((await call(photoApiEvent('photos-api-delete-photo'))).statusCode).toBe(204);
      expect(ddb.commandCalls(TransactWriteCommand)).toHaveLength(2);
      expect(ddb.commandCalls(TransactWriteCommand)[1]?.args[0].input.TransactItems).toHaveLength(5);
    });

    it('404 for a missing photo, 409 when it keeps changing', async () => {
      ddb.on(GetCommand).resolves({});
      expect((await call(photoApiEvent('photos-api-delete-photo'))).statusCode).toBe(404);
      ddb.on(GetCommand).resolves({ Item: toPhotoItem(makePhoto()) });
      ddb.on(TransactWriteCommand).rejects(conditionFailed());
      s3.on(DeleteObjectsCommand).resolves({});
      expect((await call(photoApiEvent('photos-api-delete-photo'))).statusCode).toBe(409);
    });
  });

  describe('GET /labels', () => {
    it('answers the most used labels from the LabelsByCount index', async () => {
      ddb.on(QueryCommand).resolves({
        Items: [
          { name: 'Dog', label: 'dog', photoCount: 12, countPk: 'LABELS', pk: 'LABELCOUNT#dog', sk: 'COUNT' },
          {
            name: 'Beach',
            label: 'beach',
            photoCount: 3,
            countPk: 'LABELS',
            pk: 'LABELCOUNT#beach',
            sk: 'COUNT',
          },
        ],
      });
      const response = await call(photoApiEvent('photos-api-list-labels'));
      expect(response.json).toEqual({
        labels: [
          { name: 'Dog', label: 'dog', count: 12 },
          { name: 'Beach', label: 'beach', count: 3 },
        ],
      });
      expect(ddb.commandCalls(QueryCommand)[0]?.args[0].input).toMatchObject({
        IndexName: 'LabelsByCount',
        ScanIndexForward: false,
        Limit: 10,
      });
    });
  });

  it('answers 405 for another method and 500 without details for a fault', async () => {
    const response = await call(photoApiEvent('photos-api-list-labels', { httpMethod: 'PUT' }), {
      documented: false,
    });
    expect(response.statusCode).toBe(405);
    ddb.on(QueryCommand).rejects(new Error('connection reset'));
    const logged = vi.spyOn(logger, 'error').mockImplementation(() => undefined);
    const fault = await call(photoApiEvent('photos-api-list-labels'));
    expect(fault.statusCode).toBe(500);
    expect(fault.json).toEqual({ message: 'Internal error', code: 'InternalError' });
    expect(logged).toHaveBeenCalledWith(
      'Unhandled error',
      expect.objectContaining({ requestId: expect.any(String) }),
    );
    logged.mockRestore();
  });

  it('keeps its answers (presigned URLs) out of X-Ray metadata', async () => {
    // Tracing is off in unit tests; turn it on just enough for the middleware to act.
    const enabled = vi.spyOn(tracer, 'isTracingEnabled').mockReturnValue(true);
    const segment = vi.spyOn(tracer, 'getSegment').mockReturnValue(undefined);
    const annotations = [
      vi.spyOn(tracer, 'annotateColdStart').mockImplementation(() => undefined),
      vi.spyOn(tracer, 'addServiceNameAnnotation').mockImplementation(() => undefined),
    ];
    const metadata = vi.spyOn(tracer, 'addResponseAsMetadata').mockImplementation(() => undefined);
    try {
      ddb.on(GetCommand).resolves({ Item: toPhotoItem(makeReadyPhoto()) });
      const response = await call(photoApiEvent('photos-api-get-photo'));
      expect(response.json.photo).toHaveProperty('imageUrl');
      expect(metadata).not.toHaveBeenCalled();
    } finally {
      for (const spy of [enabled, segment, metadata, ...annotations]) spy.mockRestore();
    }
  });
});
