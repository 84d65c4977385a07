/**
 * Builders for the photo site's tests: API Gateway events from the `events/photos-*.json` fixtures
 * (with the Cognito authorizer's claims), the S3 notification fixture, stored photos, and small real
 * images made with sharp.
 */
import type { APIGatewayProxyEvent, S3Event } from 'aws-lambda';
import sharp from 'sharp';
import type { Photo } from '../../functions/photos/domain/types.js';
import { createPendingPhoto } from '../../functions/photos/domain/upload.js';
import { loadEvent } from './factories.js';

/** The caller of every photo fixture (its `sub` claim). */
export const OWNER_SUB = '7d8e9f10-2a3b-4c5d-8e6f-a1b2c3d4e5f6';
/** Another user. */
export const OTHER_SUB = '0a1b2c3d-4e5f-4a6b-8c7d-9e0f1a2b3c4d';
/** The photo the get/delete fixtures and the S3 fixture name. */
export const PHOTO_ID = '01JHEX8Y7K3M5N9P2Q4R6S8T0V';
/** The bucket of the S3 fixture. */
export const FIXTURE_BUCKET = 'kumo-dev-photos-123456789012-us-east-1';

/** Names of the photo API fixtures in `events/`. */
export type PhotoApiFixture =
  | 'photos-api-create-photo'
  | 'photos-api-list-photos'
  | 'photos-api-get-photo'
  | 'photos-api-delete-photo'
  | 'photos-api-list-labels'
  | 'photos-api-list-public-photos';

/** What {@link photoApiEvent} may change in a fixture. */
export interface PhotoApiOverrides {
  /** Replaces `requestContext.authorizer.claims`; null removes the authorizer. */
  claims?: Record<string, unknown> | null;
  /** The caller's `sub` (other claims kept). */
  sub?: string;
  photoId?: string;
  queryStringParameters?: Record<string, string> | null;
  /** A string is sent as is; anything else is JSON-encoded; null removes the body. */
  body?: unknown;
  httpMethod?: string;
}

/** A photo API fixture, varied. */
export function photoApiEvent(
  name: PhotoApiFixture,
  overrides: PhotoApiOverrides = {},
): APIGatewayProxyEvent {
  const event = loadEvent<APIGatewayProxyEvent>(name);
  const authorizer = event.requestContext.authorizer as { claims: Record<string, unknown> };
  if (overrides.sub !== undefined) authorizer.claims.sub = overrides.sub;
  if (overrides.claims === null) (event.requestContext as { authorizer?: unknown }).authorizer = undefined;
  else if (overrides.claims !== undefined) authorizer.claims = overrides.claims;
  if (overrides.photoId !== undefined) {
    event.pathParameters = { photoId: overrides.photoId };
    event.path = `/photos/${overrides.photoId}`;
  }
  if (overrides.queryStringParameters !== undefined) {
    const query = overrides.queryStringParameters;
    event.queryStringParameters = query;
    event.multiValueQueryStringParameters =
      query === null ? null : Object.fromEntries(Object.entries(query).map(([key, value]) => [key, [value]]));
  }
  if (overrides.body !== undefined) {
    event.body =
      overrides.body === null
        ? null
        : typeof overrides.body === 'string'
          ? overrides.body
          : JSON.stringify(overrides.body);
  }
  if (overrides.httpMethod !== undefined) {
    event.httpMethod = overrides.httpMethod;
    event.requestContext.httpMethod = overrides.httpMethod;
  }
  return event;
}

/** The public photo routes (no authorizer), all built from `events/photos-api-list-public-photos.json`. */
export type PublicPhotoRoute = '/public/photos' | '/public/photos/{photoId}' | '/public/labels';

/**
 * A request to a public route as API Gateway sends it: no authorizer in the request context (claims are
 * never there, even if the caller sent a token), no `Authorization` header unless `token` is given.
 */
export function publicPhotoEvent(
  resource: PublicPhotoRoute,
  overrides: { photoId?: string; queryStringParameters?: Record<string, string> | null; token?: string } = {},
): APIGatewayProxyEvent {
  const event = loadEvent<APIGatewayProxyEvent>('photos-api-list-public-photos');
  const photoId = overrides.photoId ?? PHOTO_ID;
  const path = resource.replace('{photoId}', photoId);
  event.resource = resource;
  event.path = path;
  event.requestContext.resourcePath = resource;
  event.requestContext.path = `/dev${path}`;
  event.pathParameters = resource.includes('{photoId}') ? { photoId } : null;
  const query = overrides.queryStringParameters === undefined ? null : overrides.queryStringParameters;
  event.queryStringParameters = query;
  event.multiValueQueryStringParameters =
    query === null ? null : Object.fromEntries(Object.entries(query).map(([key, value]) => [key, [value]]));
  if (overrides.token !== undefined) event.headers.Authorization = overrides.token;
  return event;
}

/** The S3 ObjectCreated fixture, with another key (given as S3 would send it: URL-encoded) or bucket. */
export function s3Event(overrides: { key?: string; bucket?: string; eventName?: string } = {}): S3Event {
  const event = loadEvent<S3Event>('photos-label-photo-s3');
  const record = event.Records[0];
  if (record === undefined) throw new Error('fixture has no record');
  if (overrides.key !== undefined) record.s3.object.key = overrides.key;
  if (overrides.bucket !== undefined) record.s3.bucket.name = overrides.bucket;
  if (overrides.eventName !== undefined) record.eventName = overrides.eventName;
  return event;
}

/** A stored photo: PENDING by default, owned by {@link OWNER_SUB}. */
export function makePhoto(overrides: Partial<Photo> = {}): Photo {
  const pending = createPendingPhoto(
    { contentType: 'image/jpeg', size: 2_483_917, fileName: 'beach.jpg' },
    overrides.ownerId ?? OWNER_SUB,
    overrides.photoId ?? PHOTO_ID,
    new Date('2025-01-15T12:00:00.000Z'),
  );
  return { ...pending, ...overrides };
}

/** The version (digest) in the keys of {@link makeReadyPhoto}. */
export const READY_VERSION = '0123456789abcdef';

/** A READY public photo with labels Dog and Beach. */
export function makeReadyPhoto(overrides: Partial<Photo> = {}): Photo {
  const base = makePhoto(overrides);
  return {
    ...base,
    state: 'READY',
    processedAt: '2025-01-15T12:00:05.000Z',
    format: 'jpeg',
    width: 1024,
    height: 768,
    imageKey: `photos/${base.ownerId}/${base.photoId}/${READY_VERSION}.jpg`,
    thumbnailKey: `thumbnails/${base.ownerId}/${base.photoId}/${READY_VERSION}.jpg`,
    labels: [
      { name: 'Dog', label: 'dog', confidence: 98.1, parents: ['Animal', 'Mammal', 'Pet'] },
      { name: 'Beach', label: 'beach', confidence: 91.4, parents: ['Nature', 'Outdoors'] },
    ],
    colours: [{ hex: '#d8c8a0', share: 0.41 }],
    moderation: { flagged: false, labels: [] },
    ...overrides,
  };
}

/** A real image: a two-colour gradient of `width` x `height`, JPEG or PNG. */
export async function makeImage(
  width: number,
  height: number,
  format: 'jpeg' | 'png' = 'jpeg',
): Promise<Buffer> {
  const pixels = Buffer.alloc(width * height * 3);
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      const offset = (y * width + x) * 3;
      const left = x < width / 2;
      pixels[offset] = left ? 200 : 20;
      pixels[offset + 1] = left ? 30 : 90;
      pixels[offset + 2] = left ? 40 : 220;
    }
  }
  const image = sharp(pixels, { raw: { width, height, channels: 3 } });
  return format === 'jpeg' ? image.jpeg({ quality: 90 }).toBuffer() : image.png().toBuffer();
}

/** Where the geotagged fixture says it was taken (Tokyo): what must never be published. */
export const FIXTURE_GPS = { latitude: '35/1 39/1 2900/100', longitude: '139/1 44/1 2800/100' };

/**
 * A real photo as a phone stores it: a landscape JPEG of test/fixtures/images (rocket.jpg is 640 x 427)
 * saved turned a quarter anticlockwise (427 x 640 pixels) with EXIF orientation 6 ("rotate 90
 * clockwise to view"), camera make and model, GPS position, an XMP packet and a Display P3 ICC profile.
 */
export async function makeGeotaggedPhoto(landscapeJpeg: Uint8Array): Promise<Buffer> {
  const sideways = await sharp(landscapeJpeg).rotate(-90).jpeg({ quality: 92 }).toBuffer();
  return sharp(sideways)
    .withExif({
      IFD0: { Make: 'KumoCam', Model: 'Pocket 9', DateTime: '2025:01:15 12:00:00' },
      IFD3: {
        GPSLatitudeRef: 'N',
        GPSLatitude: FIXTURE_GPS.latitude,
        GPSLongitudeRef: 'E',
        GPSLongitude: FIXTURE_GPS.longitude,
      },
    })
    .withMetadata({ orientation: 6 })
    .withIccProfile('p3')
    .withXmp(
      '<x:xmpmeta xmlns:x="adobe:ns:meta/"><rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#">' +
        '<rdf:Description xmlns:exif="http://ns.adobe.com/exif/1.0/" exif:GPSLatitude="35,39.48N"/>' +
        '</rdf:RDF></x:xmpmeta>',
    )
    .jpeg({ quality: 92 })
    .toBuffer();
}

/**
 * The tags of a TIFF-structured EXIF block (as sharp's `metadata().exif` returns it, `Exif\0\0` first):
 * those of IFD0, and those of the GPS IFD it points to (tag 0x8825), if any.
 */
export function exifTags(exif: Buffer): { ifd0: number[]; gps: number[] } {
  const tiff = exif.subarray(exif.subarray(0, 6).toString('latin1') === 'Exif\0\0' ? 6 : 0);
  const little = tiff.subarray(0, 2).toString('latin1') === 'II';
  const u16 = (at: number) => (little ? tiff.readUInt16LE(at) : tiff.readUInt16BE(at));
  const u32 = (at: number) => (little ? tiff.readUInt32LE(at) : tiff.readUInt32BE(at));
  const entries = (offset: number) =>
    Array.from({ length: u16(offset) }, (_, i) => ({
      tag: u16(offset + 2 + i * 12),
      value: u32(offset + 2 + i * 12 + 8),
    }));
  const ifd0 = entries(u32(4));
  const gpsPointer = ifd0.find((entry) => entry.tag === 0x8825);
  return {
    ifd0: ifd0.map((entry) => entry.tag),
    gps: gpsPointer ? entries(gpsPointer.value).map((entry) => entry.tag) : [],
  };
}
