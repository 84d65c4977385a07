import { S3Client } from '@aws-sdk/client-s3';
import { GetParameterCommand, SSMClient } from '@aws-sdk/client-ssm';
import { DynamoDBDocumentClient, GetCommand, QueryCommand } from '@aws-sdk/lib-dynamodb';
import type { APIGatewayProxyEvent, APIGatewayProxyResult } from 'aws-lambda';
import { mockClient } from 'aws-sdk-client-mock';
import { beforeEach, describe, expect, it, vi } from 'vitest';
import { toPhotoItem } from '../../../../functions/photos/adapters/dynamo-photo-store.js';
import { createCursorCodec } from '../../../../functions/photos/domain/cursor.js';
import { handler } from '../../../../functions/photos/handlers/photos-api.js';
import { lambdaContext } from '../../../helpers/factories.js';
import { loadOpenApi, validateResponse } from '../../../helpers/openapi.js';
import {
  makePhoto,
  makeReadyPhoto,
  OWNER_SUB,
  PHOTO_ID,
  photoApiEvent,
  publicPhotoEvent,
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
mockClient(S3Client);
const CURSOR_SECRET = 'unit-test-cursor-secret-of-32-characters-or-more';
mockClient(SSMClient)
  .on(GetParameterCommand, { Name: env.CURSOR_SECRET_PARAMETER, WithDecryption: true })
  .resolves({ Parameter: { Type: 'SecureString', Value: CURSOR_SECRET } });
const spec = loadOpenApi(new URL('../../../../docs/photos-api.yaml', import.meta.url));
const cursors = createCursorCodec(CURSOR_SECRET);

async function call(event: APIGatewayProxyEvent) {
  const response = (await handler(event, lambdaContext())) as APIGatewayProxyResult;
  const body = response.body === '' ? undefined : (JSON.parse(response.body) as Record<string, unknown>);
  // additionalProperties: false on PublicPhoto: an owner-only field in an answer fails here.
  expect(validateResponse(spec, event.httpMethod, event.resource, response.statusCode, body)).toEqual([]);
  return { ...response, json: body as Record<string, unknown> };
}

/** Nothing a stranger may learn from any answer of a public route. */
function expectNothingPrivate(body: unknown) {
  const text = JSON.stringify(body);
  expect(text).not.toContain(OWNER_SUB);
  expect(text).not.toContain('ada@example.com');
  expect(text).not.toContain('beach.jpg');
  expect(text).not.toContain('uploads/');
  expect(text).not.toMatch(/"(mine|fileName|moderation|rejection|ownerId|uploadKey|imageKey|thumbnailKey)"/);
}

/** Rekognition's answer for a dog in a car park, as stored before labels were ranked (by confidence). */
const dogAndCar = [
  { name: 'Animal', label: 'animal', confidence: 99.6, parents: [] },
  { name: 'Transportation', label: 'transportation', confidence: 99.2, parents: [] },
  { name: 'Mammal', label: 'mammal', confidence: 98.7, parents: ['Animal'] },
  { name: 'Vehicle', label: 'vehicle', confidence: 97.9, parents: ['Transportation'] },
  { name: 'Dog', label: 'dog', confidence: 96.3, parents: ['Animal', 'Canine', 'Mammal', 'Pet'] },
  { name: 'Canine', label: 'canine', confidence: 96.3, parents: ['Animal', 'Mammal'] },
  { name: 'Pet', label: 'pet', confidence: 96.3, parents: ['Animal'] },
  { name: 'Car', label: 'car', confidence: 88.4, parents: ['Transportation', 'Vehicle'] },
];

beforeEach(() => {
  ddb.reset();
});

describe('Function: handler() (PhotosApiFunction), public routes', () => {
  describe('GET /public/photos', () => {
    it('lists the feed newest first for anyone, as public views with short-lived thumbnail URLs', async () => {
      const newer = makeReadyPhoto({
        photoId: '01JHEX8Y7K3M5N9P2Q4R6S8T0W',
        createdAt: '2025-01-15T12:05:00.000Z',
      });
      const older = makeReadyPhoto();
      const oldest = makeReadyPhoto({
        photoId: '01JHEX8Y7K3M5N9P2Q4R6S8T0X',
        createdAt: '2025-01-14T00:00:00.000Z',
      });
      ddb.on(QueryCommand).resolves({ Items: [newer, older, oldest].map(toPhotoItem) });
      const response = await call(
        publicPhotoEvent('/public/photos', { queryStringParameters: { limit: '2' } }),
      );
      expect(response.statusCode).toBe(200);
      expect(ddb.commandCalls(QueryCommand)[0]?.args[0].input).toMatchObject({
        TableName: env.PHOTOS_TABLE,
        IndexName: 'Feed',
        KeyConditionExpression: 'feedPk = :feed',
        ScanIndexForward: false,
        Limit: 3,
      });
      const photos = response.json.photos as Record<string, unknown>[];
      expect(photos.map((photo) => photo.photoId)).toEqual([newer.photoId, older.photoId]);
      expect(photos[0]).toMatchObject({ state: 'READY', contentType: 'image/jpeg', width: 1024 });
      expect(photos[0]?.thumbnailUrl).toMatch(
        new RegExp(`/thumbnails/${OWNER_SUB}/.+X-Amz-Expires=3600&.*X-Amz-Signature=`),
      );
      expect(photos[0]).not.toHaveProperty('imageUrl');
      expectNothingPrivate({ ...response.json, photos: photos.map(({ thumbnailUrl: _, ...rest }) => rest) });
      // The same signed cursors as the signed-in feed: the listing is the same.
      expect(cursors.decode({ kind: 'feed' }, response.json.nextCursor as string)).toEqual({
        createdAt: older.createdAt,
        photoId: older.photoId,
      });
    });

    it('searches a label through its index and pages on with the cursor it gave', async () => {
      ddb.on(QueryCommand).resolves({ Items: [] });
      const cursor = cursors.encode(
        { kind: 'label', label: 'golden retriever' },
        { createdAt: '2025-01-15T12:00:00.000Z', photoId: PHOTO_ID },
      );
      const response = await call(
        publicPhotoEvent('/public/photos', {
          queryStringParameters: { label: ' Golden  Retriever', cursor },
        }),
      );
      expect(response.json).toEqual({ photos: [], nextCursor: null });
      expect(ddb.commandCalls(QueryCommand)[0]?.args[0].input).toMatchObject({
        KeyConditionExpression: 'pk = :pk',
        ExpressionAttributeValues: { ':pk': 'LABEL#golden retriever' },
        ExclusiveStartKey: { pk: 'LABEL#golden retriever', sk: `2025-01-15T12:00:00.000Z#${PHOTO_ID}` },
      });
    });

    it('never shows a photo that is not public, even if an index item was left behind', async () => {
      const flagged = makeReadyPhoto({
        photoId: '01JHEX8Y7K3M5N9P2Q4R6S8T0W',
        moderation: { flagged: true, labels: [], reason: 'Hidden: Violence (91%)' },
      });
      ddb
        .on(QueryCommand)
        .resolves({ Items: [toPhotoItem(flagged), toPhotoItem(makePhoto()), toPhotoItem(makeReadyPhoto())] });
      const response = await call(publicPhotoEvent('/public/photos'));
      expect((response.json.photos as { photoId: string }[]).map((photo) => photo.photoId)).toEqual([
        PHOTO_ID,
      ]);
      expect(JSON.stringify(response.json)).not.toContain('Violence');
    });

    it('reads no claims: a token sent along changes nothing, and mine=true is refused by name', async () => {
      ddb.on(QueryCommand).resolves({ Items: [toPhotoItem(makeReadyPhoto())] });
      const withToken = await call(publicPhotoEvent('/public/photos', { token: 'eyJ.a.token' }));
      expect(withToken.statusCode).toBe(200);
      expect(withToken.json.photos).toEqual([expect.not.objectContaining({ mine: expect.anything() })]);

      ddb.reset();
      const mine = await call(
        publicPhotoEvent('/public/photos', { queryStringParameters: { mine: 'true' } }),
      );
      expect(mine.statusCode).toBe(400);
      expect(mine.json).toEqual({
        message: expect.stringMatching(/^mine: sign in/),
        code: 'ValidationError',
      });
      expect(ddb.calls()).toHaveLength(0);
    });

    it.each([
      [
        'a tampered cursor',
        {
          cursor: `${cursors.encode({ kind: 'feed' }, { createdAt: '2025-01-15T12:00:00.000Z', photoId: PHOTO_ID })}x`,
        },
        'cursor',
      ],
      [
        'a cursor of one user’s own listing',
        {
          cursor: cursors.encode(
            { kind: 'mine', ownerId: OWNER_SUB },
            { createdAt: '2025-01-15T12:00:00.000Z', photoId: PHOTO_ID },
          ),
        },
        'cursor',
      ],
      ['garbage', { cursor: '%%%' }, 'cursor'],
      ['an unknown parameter', { order: 'asc' }, 'order'],
      ['a bad limit', { limit: '51' }, 'limit'],
      ['an empty label', { label: '   ' }, 'label'],
    ])('400 naming the field for %s, without a query', async (_name, query, field) => {
      const response = await call(publicPhotoEvent('/public/photos', { queryStringParameters: query }));
      expect(response.statusCode).toBe(400);
      expect(response.json).toEqual({
        message: expect.stringContaining(`${field}:`),
        code: 'ValidationError',
      });
      expect(ddb.calls()).toHaveLength(0);
    });
  });

  describe('GET /public/photos/{photoId}', () => {
    it('shows a public photo with URLs of its published image and thumbnail, and nothing of its owner', async () => {
      ddb.on(GetCommand).resolves({ Item: toPhotoItem(makeReadyPhoto({ labels: dogAndCar })) });
      const response = await call(publicPhotoEvent('/public/photos/{photoId}'));
      expect(response.statusCode).toBe(200);
      const { imageUrl, thumbnailUrl, ...photo } = response.json.photo as Record<string, unknown>;
      expect(imageUrl).toMatch(
        new RegExp(`/photos/${OWNER_SUB}/${PHOTO_ID}/${READY_VERSION}\\.jpg\\?.*X-Amz-Expires=3600`),
      );
      expect(thumbnailUrl).toContain(`/thumbnails/${OWNER_SUB}/${PHOTO_ID}/${READY_VERSION}.jpg?`);
      expectNothingPrivate(photo);
      // Served most specific first, although stored most confident first.
      expect((photo.labels as { name: string }[]).map((label) => label.name)).toEqual([
        'Dog',
        'Car',
        'Vehicle',
        'Canine',
        'Pet',
        'Transportation',
        'Mammal',
        'Animal',
      ]);
    });

    it.each([
      ['PENDING', makePhoto()],
      [
        'REJECTED',
        makePhoto({ state: 'REJECTED', rejection: { code: 'NotAnImage', reason: 'Not an image' } }),
      ],
      ['flagged', makeReadyPhoto({ moderation: { flagged: true, labels: [], reason: 'Hidden' } })],
      ['missing', undefined],
    ])('404 for a %s photo, the same answer whoever asks', async (_state, stored) => {
      ddb.on(GetCommand).resolves({ Item: stored === undefined ? undefined : toPhotoItem(stored) });
      // The owner's token sent along changes nothing: the route never reads claims.
      const response = await call(publicPhotoEvent('/public/photos/{photoId}', { token: 'eyJ.owner.token' }));
      expect(response.statusCode).toBe(404);
      expect(response.json).toEqual({ message: `Photo ${PHOTO_ID} not found`, code: 'NotFound' });
    });

    it('400 for a malformed id, before any read', async () => {
      const response = await call(publicPhotoEvent('/public/photos/{photoId}', { photoId: '../photos' }));
      expect(response.statusCode).toBe(400);
      expect(response.json.message).toMatch(/^photoId:/);
      expect(ddb.calls()).toHaveLength(0);
    });

    it('answers 405 to a delete: changes go through the authorized routes only', async () => {
      const event = publicPhotoEvent('/public/photos/{photoId}');
      event.httpMethod = 'DELETE';
      const response = (await handler(event, lambdaContext())) as APIGatewayProxyResult;
      expect(response.statusCode).toBe(405);
      expect(response.headers).toMatchObject({ Allow: 'GET' });
      expect(ddb.calls()).toHaveLength(0);
    });
  });

  describe('GET /public/labels', () => {
    it('answers the most used labels of public photos', async () => {
      ddb.on(QueryCommand).resolves({
        Items: [
          { name: 'Dog', label: 'dog', photoCount: 4, countPk: 'LABELS', pk: 'LABELCOUNT#dog', sk: 'COUNT' },
        ],
      });
      const response = await call(
        publicPhotoEvent('/public/labels', { queryStringParameters: { limit: '5' } }),
      );
      expect(response.json).toEqual({ labels: [{ name: 'Dog', label: 'dog', count: 4 }] });
      expect(ddb.commandCalls(QueryCommand)[0]?.args[0].input).toMatchObject({ IndexName: 'LabelsByCount' });
    });

    it('400 naming limit for a bad one', async () => {
      const response = await call(
        publicPhotoEvent('/public/labels', { queryStringParameters: { limit: '0' } }),
      );
      expect(response.json).toEqual({ message: expect.stringContaining('limit:'), code: 'ValidationError' });
    });
  });

  it('keeps the signed-in routes private: GET /photos without claims is still 401', async () => {
    const response = (await handler(
      photoApiEvent('photos-api-list-photos', { claims: null }),
      lambdaContext(),
    )) as APIGatewayProxyResult;
    expect(response.statusCode).toBe(401);
    expect(ddb.calls()).toHaveLength(0);
  });
});
