import { TransactionCanceledException } from '@aws-sdk/client-dynamodb';
import {
  DetectLabelsCommand,
  DetectModerationLabelsCommand,
  InvalidImageFormatException,
  RekognitionClient,
} from '@aws-sdk/client-rekognition';
import {
  DeleteObjectsCommand,
  GetObjectCommand,
  type GetObjectCommandOutput,
  HeadObjectCommand,
  PutObjectCommand,
  S3Client,
} from '@aws-sdk/client-s3';
import { DynamoDBDocumentClient, GetCommand, TransactWriteCommand } from '@aws-sdk/lib-dynamodb';
import { mockClient } from 'aws-sdk-client-mock';
import { beforeEach, describe, expect, it, vi } from 'vitest';
import { toPhotoItem } from '../../../../functions/photos/adapters/dynamo-photo-store.js';
import { handler } from '../../../../functions/photos/handlers/label-photo.js';
import { lambdaContext } from '../../../helpers/factories.js';
import {
  FIXTURE_BUCKET,
  makeImage,
  makePhoto,
  makeReadyPhoto,
  OWNER_SUB,
  PHOTO_ID,
  s3Event,
} from '../../../helpers/photo-factories.js';

vi.hoisted(() => {
  Object.assign(process.env, {
    PHOTOS_TABLE: 'kumo-dev-PhotosTable',
    PHOTOS_BUCKET: 'kumo-dev-photos-123456789012-us-east-1',
    MAX_LABELS: '10',
    MIN_CONFIDENCE: '75',
    MODERATION_MIN_CONFIDENCE: '60',
    AWS_REGION: 'us-east-1',
    POWERTOOLS_SERVICE_NAME: 'photo-labeler',
    POWERTOOLS_METRICS_NAMESPACE: 'Kumo/Photos',
  });
});

const ddb = mockClient(DynamoDBDocumentClient);
const s3 = mockClient(S3Client);
const rekognition = mockClient(RekognitionClient);
const key = `uploads/${OWNER_SUB}/${PHOTO_ID}`;

function body(bytes: Uint8Array): GetObjectCommandOutput['Body'] {
  return { transformToByteArray: async () => bytes } as unknown as GetObjectCommandOutput['Body'];
}

async function stubUpload(bytes: Uint8Array) {
  s3.on(HeadObjectCommand, { Key: key }).resolves({ ContentLength: bytes.length });
  s3.on(GetObjectCommand, { Key: key }).resolves({ Body: body(bytes), ContentType: 'image/jpeg' });
  s3.on(PutObjectCommand).resolves({});
  s3.on(DeleteObjectsCommand).resolves({});
}

beforeEach(() => {
  ddb.reset();
  s3.reset();
  rekognition.reset();
  rekognition.on(DetectLabelsCommand).resolves({
    Labels: [
      { Name: 'Dog', Confidence: 97.2, Parents: [{ Name: 'Animal' }] },
      { Name: 'Beach', Confidence: 88 },
    ],
  });
  rekognition.on(DetectModerationLabelsCommand).resolves({ ModerationLabels: [] });
});

describe('Function: handler() (LabelPhotoFunction)', () => {
  it('labels the uploaded photo from the fixture: published bytes labelled, thumbnail, READY, upload deleted', async () => {
    ddb.on(GetCommand).resolves({ Item: toPhotoItem(makePhoto()) });
    ddb.on(TransactWriteCommand).resolves({});
    await stubUpload(await makeImage(800, 600));

    const result = await handler(s3Event(), lambdaContext());
    expect(result).toEqual({
      outcomes: [{ status: 'ready', photoId: PHOTO_ID, labels: 2, flagged: false }],
      skipped: 0,
    });
    const puts = s3.commandCalls(PutObjectCommand).map((call) => call.args[0].input);
    const image = puts.find((put) => String(put.Key).startsWith('photos/'));
    expect(image).toMatchObject({
      Bucket: FIXTURE_BUCKET,
      Key: expect.stringMatching(new RegExp(`^photos/${OWNER_SUB}/${PHOTO_ID}/[0-9a-f]{16}\\.jpg$`)),
      ContentType: 'image/jpeg',
    });
    // Rekognition got the published bytes themselves, not a pointer to the upload.
    for (const command of [DetectLabelsCommand, DetectModerationLabelsCommand]) {
      expect(rekognition.commandCalls(command)[0]?.args[0].input.Image).toEqual({ Bytes: image?.Body });
    }
    expect(rekognition.commandCalls(DetectLabelsCommand)[0]?.args[0].input).toMatchObject({
      MaxLabels: 10,
      MinConfidence: 75,
    });
    const thumbnail = puts.find((put) => String(put.Key).startsWith('thumbnails/'));
    expect(thumbnail).toMatchObject({
      Bucket: FIXTURE_BUCKET,
      Key: String(image?.Key).replace(/^photos\//, 'thumbnails/'),
      ContentType: 'image/jpeg',
    });
    expect(s3.commandCalls(DeleteObjectsCommand)[0]?.args[0].input.Delete?.Objects).toEqual([{ Key: key }]);
    const items = ddb.commandCalls(TransactWriteCommand)[0]?.args[0].input.TransactItems ?? [];
    expect(items).toHaveLength(5);
    const photo = items[0]?.Put;
    expect(photo?.ConditionExpression).toBe('attribute_exists(pk) AND #state = :pending');
    expect(photo?.Item).toMatchObject({ state: 'READY', width: 800, height: 600, feedPk: 'FEED' });
    expect(photo?.Item).not.toHaveProperty('expiresAt');
    expect(items[1]?.Put?.Item).toMatchObject({
      pk: 'LABEL#dog',
      sk: `2025-01-15T12:00:00.000Z#${PHOTO_ID}`,
    });
    expect(items[1]?.Put?.Item).not.toHaveProperty('feedPk');
    expect(items[2]?.Update).toMatchObject({
      Key: { pk: 'LABELCOUNT#dog', sk: 'COUNT' },
      ExpressionAttributeValues: { ':delta': 1, ':name': 'Dog' },
    });
  });

  it('decodes the key as S3 sends it (URL-encoded)', async () => {
    ddb.on(GetCommand).resolves({ Item: toPhotoItem(makePhoto()) });
    ddb.on(TransactWriteCommand).resolves({});
    await stubUpload(await makeImage(100, 100));
    const encoded = `uploads/${OWNER_SUB}/${PHOTO_ID}`.replace(
      /[A-Z]/g,
      (c) => `%${c.charCodeAt(0).toString(16)}`,
    );
    const result = await handler(s3Event({ key: encoded }), lambdaContext());
    expect(result.outcomes[0]?.status).toBe('ready');
    expect(ddb.commandCalls(GetCommand)[0]?.args[0].input.Key).toEqual({
      pk: `PHOTO#${PHOTO_ID}`,
      sk: 'PHOTO',
    });
  });

  it('deletes a re-post unread and changes nothing else (the photo is already READY)', async () => {
    ddb.on(GetCommand).resolves({ Item: toPhotoItem(makeReadyPhoto()) });
    s3.on(DeleteObjectsCommand).resolves({});
    const result = await handler(s3Event(), lambdaContext());
    expect(result.outcomes).toEqual([{ status: 'duplicate', photoId: PHOTO_ID, state: 'READY' }]);
    expect(s3.calls()).toHaveLength(1);
    expect(s3.commandCalls(DeleteObjectsCommand)[0]?.args[0].input.Delete?.Objects).toEqual([{ Key: key }]);
    expect(rekognition.calls()).toHaveLength(0);
    expect(ddb.commandCalls(TransactWriteCommand)).toHaveLength(0);
  });

  it('loses a race to a concurrent delivery gracefully', async () => {
    ddb
      .on(GetCommand)
      .resolvesOnce({ Item: toPhotoItem(makePhoto()) })
      .resolves({ Item: toPhotoItem(makeReadyPhoto()) });
    ddb.on(TransactWriteCommand).rejects(
      new TransactionCanceledException({
        message: 'cancelled',
        $metadata: {},
        CancellationReasons: [{ Code: 'ConditionalCheckFailed' }, { Code: 'None' }],
      }),
    );
    await stubUpload(await makeImage(100, 100));
    const result = await handler(s3Event(), lambdaContext());
    expect(result.outcomes).toEqual([{ status: 'duplicate', photoId: PHOTO_ID, state: 'READY' }]);
    // The loser removes the upload and what it published itself; the winner's keys stay.
    const removed = s3.commandCalls(DeleteObjectsCommand)[0]?.args[0].input.Delete?.Objects ?? [];
    expect(removed.map((object) => String(object.Key).split('/')[0])).toEqual([
      'uploads',
      'photos',
      'thumbnails',
    ]);
  });

  it('rejects non-image bytes with a reason and deletes them', async () => {
    ddb.on(GetCommand).resolves({ Item: toPhotoItem(makePhoto()) });
    ddb.on(TransactWriteCommand).resolves({});
    await stubUpload(Buffer.from('#!/bin/sh\necho this is not a photo\n'));
    const result = await handler(s3Event(), lambdaContext());
    expect(result.outcomes[0]).toMatchObject({ status: 'rejected', rejection: { code: 'NotAnImage' } });
    const put = ddb.commandCalls(TransactWriteCommand)[0]?.args[0].input.TransactItems?.[0]?.Put;
    expect(put?.Item).toMatchObject({ state: 'REJECTED', rejection: { code: 'NotAnImage' } });
    expect(put?.Item).not.toHaveProperty('expiresAt');
    expect(s3.commandCalls(DeleteObjectsCommand)[0]?.args[0].input.Delete?.Objects).toEqual([{ Key: key }]);
    expect(rekognition.calls()).toHaveLength(0);
  });

  it('rejects what Rekognition refuses; throws (for a retry) on anything else', async () => {
    ddb.on(GetCommand).resolves({ Item: toPhotoItem(makePhoto()) });
    ddb.on(TransactWriteCommand).resolves({});
    await stubUpload(await makeImage(100, 100));
    rekognition
      .on(DetectLabelsCommand)
      .rejectsOnce(
        new InvalidImageFormatException({ message: 'Request has invalid image format', $metadata: {} }),
      )
      .rejects(Object.assign(new Error('Rate exceeded'), { name: 'ProvisionedThroughputExceededException' }));
    const result = await handler(s3Event(), lambdaContext());
    expect(result.outcomes[0]).toMatchObject({
      status: 'rejected',
      rejection: { code: 'RekognitionRefused' },
    });
    ddb.on(GetCommand).resolves({ Item: toPhotoItem(makePhoto()) });
    await expect(handler(s3Event(), lambdaContext())).rejects.toThrow('Rate exceeded');
  });

  it('skips records of other buckets, other events and other keys without failing', async () => {
    const result = await handler(
      {
        Records: [
          ...s3Event({ bucket: 'someone-elses-bucket' }).Records,
          ...s3Event({ eventName: 'ObjectRemoved:Delete' }).Records,
        ],
      },
      lambdaContext(),
    );
    expect(result).toEqual({ outcomes: [], skipped: 1 });
    ddb.on(GetCommand).resolves({});
    expect((await handler(s3Event({ key: 'uploads/notes.txt' }), lambdaContext())).outcomes).toEqual([
      { status: 'ignored', key: 'uploads/notes.txt', why: 'not an uploads/{owner}/{photoId} key' },
    ]);
    expect(ddb.calls()).toHaveLength(0);
  });
});
