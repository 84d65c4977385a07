/**
 * The photo API signs its pagination cursors with the SecureString that CursorSecretParameterName names
 * (kumo.local.json puts it in the local SSM), read by functions/lib/cursor-secret.ts: a cursor verifies
 * with that secret only, and one signed with the derived fallback key is refused.
 */
import { createHmac } from 'node:crypto';
import { GetParameterCommand, SSMClient } from '@aws-sdk/client-ssm';
import { beforeAll, describe, expect, it } from 'vitest';
import { LOCAL_CREDENTIALS } from '../../local/runner/index.js';
import { type PhotoCloud, photoCloud, type TestUser } from '../helpers/photo-cloud.js';
import { type SharedCloud, sharedCloud } from '../helpers/shared-cloud.js';

let cloud: SharedCloud;
let photos: PhotoCloud;
let ada: TestUser;

function sign(secret: string, payload: string): string {
  return `${payload}.${createHmac('sha256', secret).update(payload).digest('base64url')}`;
}

beforeAll(async () => {
  cloud = await sharedCloud();
  photos = photoCloud(cloud, cloud.dataDir);
  ada = await photos.signUp('ada');
  // Two photos of Ada's (PENDING: listed to her), so a page of one has a next cursor.
  for (let i = 0; i < 2; i++) {
    const created = await photos.api('POST', '/photos', {
      token: ada.idToken,
      body: { contentType: 'image/jpeg', size: 1000, fileName: `p${i}.jpg` },
    });
    expect(created.status, JSON.stringify(created.body)).toBe(201);
  }
}, 120_000);

describe('cursor secret from SSM on the local cloud', () => {
  it('signs cursors with the SecureString that CursorSecretParameterName names, not the fallback', async () => {
    const name = String(cloud.model.parameters.CursorSecretParameterName);
    expect(name).toBe('/kumo/local/cursor-secret');
    const ssm = new SSMClient({
      region: cloud.model.region,
      endpoint: cloud.endpoints.services.ssm,
      credentials: {
        accessKeyId: LOCAL_CREDENTIALS.AWS_ACCESS_KEY_ID,
        secretAccessKey: LOCAL_CREDENTIALS.AWS_SECRET_ACCESS_KEY,
      },
    });
    const { Parameter } = await ssm.send(new GetParameterCommand({ Name: name, WithDecryption: true }));
    expect(Parameter?.Type).toBe('SecureString');
    const secret = String(Parameter?.Value);

    const first = await photos.api('GET', '/photos?mine=true&limit=1', { token: ada.idToken });
    expect(first.status, JSON.stringify(first.body)).toBe(200);
    const cursor = String(first.body?.nextCursor);
    const [payload] = cursor.split('.');
    expect(cursor).toBe(sign(secret, payload as string));
    expect(cursor).not.toBe(sign(`kumo-photos-cursor:${photos.table}`, payload as string));

    const next = await photos.api('GET', `/photos?mine=true&limit=1&cursor=${cursor}`, {
      token: ada.idToken,
    });
    expect(next.status).toBe(200);
    expect(next.body?.photos).toHaveLength(1);
  });

  it('refuses a cursor signed with the derived fallback key', async () => {
    const first = await photos.api('GET', '/photos?mine=true&limit=1', { token: ada.idToken });
    const [payload] = String(first.body?.nextCursor).split('.');
    const forged = sign(`kumo-photos-cursor:${photos.table}`, payload as string);
    const answer = await photos.api('GET', `/photos?mine=true&limit=1&cursor=${forged}`, {
      token: ada.idToken,
    });
    expect(answer.status).toBe(400);
    expect(answer.body).toEqual({
      message: 'cursor: has been altered or was not issued by this API',
      code: 'ValidationError',
    });
  });
});
