import { randomBytes } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import {
  DetectLabelsCommand,
  type DetectLabelsCommandOutput,
  DetectModerationLabelsCommand,
  RekognitionClient,
} from '@aws-sdk/client-rekognition';
import { PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { emptyLocalConfig } from '../../../local/config.js';
import { LOCAL_CREDENTIALS } from '../../../local/runner/lambda-env.js';
import {
  createRekognitionService,
  type RekognitionService,
} from '../../../local/services/rekognition/index.js';
import { createS3Service, type S3Service } from '../../../local/services/s3/index.js';
import { fixtureModel, tempDataRoot, testContext } from '../../helpers/service-context.js';

const IMAGES = path.resolve(import.meta.dirname, '../../fixtures/images');
const image = (name: string) => readFile(path.join(IMAGES, name));

const credentials = {
  accessKeyId: LOCAL_CREDENTIALS.AWS_ACCESS_KEY_ID,
  secretAccessKey: LOCAL_CREDENTIALS.AWS_SECRET_ACCESS_KEY,
  sessionToken: LOCAL_CREDENTIALS.AWS_SESSION_TOKEN,
};

function label(output: DetectLabelsCommandOutput, name: string) {
  return output.Labels?.find((l) => l.Name === name);
}

/** The models load once for the whole file (a few seconds); every test below shares them. */
describe('Service: rekognition (real models)', () => {
  let s3: S3Service;
  let rekognition: RekognitionService;
  let client: RekognitionClient;
  let bucket: string;
  let logLines: string[];

  beforeAll(async () => {
    const model = await fixtureModel('rekognition.yaml');
    const { ctx, log } = testContext(model, await tempDataRoot(), { fresh: true });
    logLines = log.lines;
    s3 = (await createS3Service().start(ctx)) as S3Service;
    ctx.endpoints = { s3: s3.url };
    rekognition = (await createRekognitionService().start(ctx)) as RekognitionService;
    client = new RekognitionClient({ endpoint: rekognition.url, region: 'us-east-1', credentials });
    bucket = s3.buckets.PhotosBucket as string;
    const uploader = new S3Client({
      endpoint: s3.url,
      region: 'us-east-1',
      forcePathStyle: true,
      credentials,
    });
    await uploader.send(
      new PutObjectCommand({ Bucket: bucket, Key: 'private/u/coffee.jpg', Body: await image('coffee.jpg') }),
    );
    uploader.destroy();
  }, 120_000);

  afterAll(async () => {
    client.destroy();
    await rekognition?.stop();
    await s3?.stop();
  });

  it('is needed when a function has a Rekognition policy template', async () => {
    const service = createRekognitionService();
    expect(service.needed(await fixtureModel('rekognition.yaml'))).toBe(true);
    expect(service.needed(await fixtureModel('s3.yaml'))).toBe(false);
  });

  it('loads no model at start; the first DetectLabels loads them and waits until they are ready', async () => {
    expect(rekognition.modelState).toBe('not loaded');
    expect(logLines.join('\n')).not.toMatch(/loading models/);
    const output = await client.send(
      new DetectLabelsCommand({ Image: { Bytes: await image('chelsea.jpg') }, MinConfidence: 70 }),
    );
    expect(label(output, 'Cat')?.Confidence).toBeGreaterThan(70);
    expect(rekognition.modelState).toBe('ready');
    const said = logLines.filter((line) => line.startsWith('info rekognition:'));
    expect(said[0]).toMatch(/^info rekognition: first request: loading models/);
    expect(said[1]).toMatch(/^info rekognition: models ready in \d+ ms \(process RSS \d+ MB\)$/);
    // Loaded once: a second load is the same promise, already settled.
    const again = await rekognition.load();
    expect(again.loadMs).toBeGreaterThan(0);
    expect(logLines.filter((line) => line.includes('loading models'))).toHaveLength(1);
  }, 120_000);

  it('unloads the models after functions.idleMinutes without a request; the next request loads them again', async () => {
    const model = await fixtureModel('rekognition.yaml');
    const config = { ...emptyLocalConfig(), functions: { idleMinutes: 0.01 } };
    const { ctx, log } = testContext(model, await tempDataRoot(), { fresh: true, config });
    ctx.endpoints = { s3: s3.url };
    const brief = (await createRekognitionService().start(ctx)) as RekognitionService;
    const briefClient = new RekognitionClient({ endpoint: brief.url, region: 'us-east-1', credentials });
    try {
      const detect = () =>
        briefClient.send(
          new DetectLabelsCommand({ Image: { Bytes: Buffer.from(chelsea) }, MinConfidence: 70 }),
        );
      const chelsea = await image('chelsea.jpg');
      expect(label(await detect(), 'Cat')).toBeDefined();
      expect(brief.modelState).toBe('ready');
      await new Promise((resolve) => setTimeout(resolve, 1_500));
      expect(brief.modelState).toBe('not loaded');
      expect(log.lines).toContain('info rekognition: models unloaded after 0.01 min without a request');
      expect(label(await detect(), 'Cat')).toBeDefined();
      expect(log.lines.filter((l) => l.includes('loading models'))).toEqual([
        'info rekognition: first request: loading models (CenterNet COCO-80, NSFW MobileNetV2)…',
        'info rekognition: a request after idle time: loading models (CenterNet COCO-80, NSFW MobileNetV2)…',
      ]);
    } finally {
      briefClient.destroy();
      await brief.stop();
    }
  }, 120_000);

  it('finds the astronaut: Person, with a bounding box', async () => {
    const output = await client.send(
      new DetectLabelsCommand({ Image: { Bytes: await image('astronaut.jpg') } }),
    );
    const person = label(output, 'Person');
    expect(person?.Confidence).toBeGreaterThan(80);
    expect(person?.Parents).toEqual([]);
    expect(person?.Instances?.length).toBeGreaterThan(0);
    const box = person?.Instances?.[0]?.BoundingBox;
    expect(box?.Width).toBeGreaterThan(0.3);
    expect((box?.Left ?? 0) + (box?.Width ?? 0)).toBeLessThanOrEqual(1);
    expect(output.LabelModelVersion).toBe('3.0');
  });

  it('finds Chelsea: Cat, with its parents Animal, Mammal and Pet as labels too', async () => {
    const output = await client.send(
      new DetectLabelsCommand({ Image: { Bytes: await image('chelsea.jpg') }, MinConfidence: 70 }),
    );
    const cat = label(output, 'Cat');
    expect(cat?.Confidence).toBeGreaterThan(70);
    expect(cat?.Parents?.map((p) => p.Name)).toEqual(['Animal', 'Mammal', 'Pet']);
    expect(cat?.Categories).toEqual([{ Name: 'Animals and Pets' }]);
    expect(label(output, 'Animal')?.Instances).toEqual([]);
    expect(label(output, 'Pet')?.Parents).toEqual([{ Name: 'Animal' }]);
    expect(label(output, 'Dog')).toBeUndefined();
  });

  it('finds the coffee cup in an S3 object of the local S3, and honours MaxLabels', async () => {
    const output = await client.send(
      new DetectLabelsCommand({
        Image: { S3Object: { Bucket: bucket, Name: 'private/u/coffee.jpg' } },
        MaxLabels: 1,
      }),
    );
    expect(output.Labels?.map((l) => l.Name)).toEqual(['Cup']);
  });

  it('returns no moderation labels for these safe images', async () => {
    for (const name of ['astronaut.jpg', 'chelsea.jpg', 'coffee.jpg']) {
      const output = await client.send(
        new DetectModerationLabelsCommand({ Image: { Bytes: await image(name) } }),
      );
      expect(output.ModerationLabels, name).toEqual([]);
      expect(output.ModerationModelVersion).toBe('7.0');
    }
  });

  it('refuses bytes that are not a JPEG or PNG image with InvalidImageFormatException', async () => {
    const noise = randomBytes(4096);
    for (const bytes of [noise, Buffer.from('just some text, named photo.png')]) {
      const error = await client.send(new DetectLabelsCommand({ Image: { Bytes: bytes } })).catch((e) => e);
      expect(error.name).toBe('InvalidImageFormatException');
      expect(error.message).toBe('Request has invalid image format');
    }
  });

  it('refuses a missing S3 object with InvalidS3ObjectException and huge bytes with ImageTooLargeException', async () => {
    const missing = await client
      .send(new DetectLabelsCommand({ Image: { S3Object: { Bucket: bucket, Name: 'private/u/none.jpg' } } }))
      .catch((e) => e);
    expect(missing.name).toBe('InvalidS3ObjectException');
    const huge = await client
      .send(new DetectModerationLabelsCommand({ Image: { Bytes: Buffer.alloc(5 * 1024 * 1024 + 1) } }))
      .catch((e) => e);
    expect(huge.name).toBe('ImageTooLargeException');
  });
});
