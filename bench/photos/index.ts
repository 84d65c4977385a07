import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { BatchWriteCommand } from '@aws-sdk/lib-dynamodb';
import { toLabelItem, toPhotoItem } from '../../functions/photos/adapters/dynamo-photo-store.js';
import { newPhotoId } from '../../functions/photos/domain/ids.js';
import type { Photo } from '../../functions/photos/domain/types.js';
import { createPendingPhoto } from '../../functions/photos/domain/upload.js';
import { startLocalCloud } from '../../local/index.js';
import { createMemoryLogger } from '../../local/log.js';
import { type PhotoCloud, photoCloud } from '../../test/helpers/photo-cloud.js';
import { type Goal, printGoals, ratioGoal, valueGoal } from '../lib/goals.js';
import { printTable, progress, seconds } from '../lib/report.js';
import type { BenchOptions } from '../run.js';

const root = path.resolve(import.meta.dirname, '../..');
const IMAGES = ['astronaut.jpg', 'chelsea.jpg', 'coffee.jpg', 'rocket.jpg'];
const VOCABULARY = Array.from({ length: 40 }, (_, i) => `Label ${i}`);
const CONNECTIONS = 50;

function percentile(sorted: readonly number[], p: number): number {
  if (sorted.length === 0) return Number.NaN;
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)] as number;
}

/** Upload → READY, one photo at a time, as the browser does it: POST /photos, POST to S3, poll. */
async function uploadToReady(photos: PhotoCloud, token: string, count: number): Promise<number[]> {
  const times: number[] = [];
  for (let i = 0; i < count; i++) {
    const bytes = await readFile(
      path.join(root, 'test/fixtures/images', IMAGES[i % IMAGES.length] as string),
    );
    const started = performance.now();
    const { body } = await photos.api('POST', '/photos', {
      token,
      body: { contentType: 'image/jpeg', size: bytes.length },
    });
    const created = body as {
      photo: { photoId: string };
      upload: { url: string; fields: Record<string, string> };
    };
    const sent = await photos.upload(created.upload, bytes, 'image/jpeg');
    if (sent.status !== 204) throw new Error(`upload: ${sent.status} ${sent.text}`);
    const photo = await photos.settled(created.photo.photoId, token, 60_000);
    if (photo.state !== 'READY') throw new Error(`photo ${photo.photoId} ${String(photo.state)}`);
    times.push(performance.now() - started);
  }
  return times;
}

/** `count` public READY photos with 2 labels each, written straight to the table (25 items a batch). */
export async function seed(photos: PhotoCloud, ownerId: string, count: number): Promise<void> {
  const items: Record<string, unknown>[] = [];
  const counts = new Map<string, number>();
  const start = Date.parse('2025-01-01T00:00:00.000Z');
  for (let i = 0; i < count; i++) {
    const created = new Date(start + i * 60_000);
    const pending = createPendingPhoto(
      { contentType: 'image/jpeg', size: 100_000 },
      ownerId,
      newPhotoId(created),
      created,
    );
    const names = [
      VOCABULARY[i % VOCABULARY.length],
      VOCABULARY[(i * 7 + 3) % VOCABULARY.length],
    ] as string[];
    const labels = [...new Set(names)].map((name, n) => ({
      name,
      label: name.toLowerCase(),
      confidence: 90 - n,
      parents: [],
    }));
    const photo: Photo = {
      ...pending,
      state: 'READY',
      processedAt: created.toISOString(),
      format: 'jpeg',
      width: 640,
      height: 480,
      imageKey: `photos/${ownerId}/${pending.photoId}/0123456789abcdef.jpg`,
      thumbnailKey: `thumbnails/${ownerId}/${pending.photoId}/0123456789abcdef.jpg`,
      labels,
      colours: [{ hex: '#336699', share: 0.5 }],
      moderation: { flagged: false, labels: [] },
    };
    items.push(toPhotoItem(photo));
    for (const label of labels) {
      items.push(toLabelItem(photo, label.label));
      counts.set(label.label, (counts.get(label.label) ?? 0) + 1);
    }
  }
  for (const [label, n] of counts) {
    items.push({
      pk: `LABELCOUNT#${label}`,
      sk: 'COUNT',
      countPk: 'LABELS',
      label,
      name: label,
      photoCount: n,
    });
  }
  const batches: Record<string, unknown>[][] = [];
  for (let i = 0; i < items.length; i += 25) batches.push(items.slice(i, i + 25));
  let next = 0;
  const worker = async () => {
    while (next < batches.length) {
      let pending = (batches[next++] ?? []).map((Item) => ({ PutRequest: { Item } }));
      while (pending.length > 0) {
        const { UnprocessedItems } = await photos.dynamo.send(
          new BatchWriteCommand({ RequestItems: { [photos.table]: pending } }),
        );
        pending = (UnprocessedItems?.[photos.table] ?? []) as typeof pending;
      }
    }
  };
  await Promise.all(Array.from({ length: 8 }, worker));
}

interface LoadResult {
  requests: number;
  errors: number;
  p50: number;
  p99: number;
  rps: number;
}

/**
 * A bounded load loop (no autocannon): `connections` workers, each sending its next request when the
 * previous answer is read, for `durationMs`, over Node's fetch (undici, keep-alive). Errors: non-200
 * answers and failed requests.
 */
async function load(
  url: string,
  token: string | undefined,
  durationMs: number,
  connections = CONNECTIONS,
): Promise<LoadResult> {
  const latencies: number[] = [];
  let errors = 0;
  const headers: Record<string, string> = token ? { Authorization: token } : {};
  const deadline = performance.now() + durationMs;
  const worker = async () => {
    while (performance.now() < deadline) {
      const started = performance.now();
      try {
        const response = await fetch(url, { headers });
        await response.arrayBuffer();
        if (response.status !== 200) errors++;
      } catch {
        errors++;
      }
      latencies.push(performance.now() - started);
    }
  };
  const started = performance.now();
  await Promise.all(Array.from({ length: connections }, worker));
  const elapsed = performance.now() - started;
  latencies.sort((a, b) => a - b);
  return {
    requests: latencies.length,
    errors,
    p50: percentile(latencies, 50),
    p99: percentile(latencies, 99),
    rps: latencies.length / (elapsed / 1000),
  };
}

/**
 * bench/photos: upload-to-READY latency on the local cloud (presigned POST to the local S3, the S3
 * notification, LabelPhotoFunction with sharp and the local Rekognition's real models), then the feed
 * and a label search at 50 connections with N photos in the table, against GET /health through the same
 * API Gateway and function runner measured in the same run (the floor of any route).
 */
export async function run({ quick }: BenchOptions): Promise<void> {
  const uploads = quick ? 3 : 10;
  const seeded = quick ? 2_000 : 10_000;
  const durationMs = quick ? 4_000 : 15_000;
  const dataDir = await mkdtemp(path.join(tmpdir(), 'kumo-bench-photos-'));
  const starting = progress('starting the local cloud');
  const cloud = await startLocalCloud({
    rootDir: root,
    dataDir,
    portBase: 0,
    fresh: true,
    schedules: false,
    web: false,
    tracing: false,
    log: createMemoryLogger(),
    functionLogSink: () => {},
  });
  starting.done();
  try {
    const photos = photoCloud(cloud, dataDir);
    const user = await photos.signUp('bench');

    const uploading = progress(`${uploads} uploads to READY`);
    // The first one pays the cold starts (functions, models): reported apart.
    const [cold = Number.NaN] = await uploadToReady(photos, user.idToken, 1);
    const warm = (await uploadToReady(photos, user.idToken, uploads)).sort((a, b) => a - b);
    uploading.done();
    const goals: Goal[] = [
      valueGoal('upload → READY, slowest warm', warm.at(-1) ?? Number.NaN, { atMost: 3_000 }, seconds),
    ];
    printTable([
      ['upload → READY', 'n', 'p50', 'max'],
      ['first (cold start)', 1, seconds(cold), seconds(cold)],
      ['warm', warm.length, seconds(percentile(warm, 50)), seconds(warm.at(-1) ?? Number.NaN)],
    ]);

    const seeding = progress(`seeding ${seeded} photos`);
    const seedStarted = performance.now();
    await seed(photos, user.sub, seeded);
    seeding.done();
    process.stdout.write(
      `\nseeded ${seeded} photos (+ label items) in ${seconds(performance.now() - seedStarted)}\n`,
    );

    const api = cloud.endpoints.api;
    const routes: [string, string, string | undefined][] = [
      ['GET /health (baseline)', `${api}/health`, undefined],
      ['GET /photos (feed, 24)', `${api}/photos`, user.idToken],
      ['GET /photos?label=label 7', `${api}/photos?label=label%207`, user.idToken],
      ['GET /labels', `${api}/labels`, user.idToken],
    ];
    // Warm every route's execution environments first.
    for (const [, url, token] of routes) await load(url, token, 500);
    const rows: (string | number)[][] = [
      ['route', 'p50 @1', 'requests', 'errors', 'req/s', 'p50', 'p99', 'p99 / baseline'],
    ];
    let baseline = Number.NaN;
    for (const [name, url, token] of routes) {
      const measuring = progress(name);
      // One connection first: the service time, without queueing.
      const alone = await load(url, token, Math.min(durationMs, 3_000), 1);
      const result = await load(url, token, durationMs);
      measuring.done();
      if (Number.isNaN(baseline)) baseline = result.p99;
      // For context: the goal is against a DynamoDB floor, not this route.
      else goals.push(ratioGoal(`${name} p99 / GET /health p99`, result.p99, baseline, undefined, seconds));
      goals.push(valueGoal(`${name} errors`, result.errors, { atMost: 0 }));
      rows.push([
        name,
        seconds(alone.p50),
        result.requests,
        result.errors,
        result.rps.toFixed(0),
        seconds(result.p50),
        seconds(result.p99),
        `${(result.p99 / baseline).toFixed(2)}x`,
      ]);
    }
    process.stdout.write(
      `\n${CONNECTIONS} connections, ${durationMs / 1000} s per route, ${seeded} photos\n`,
    );
    printTable(rows);
    printGoals(goals, 'bench/photos goals');
  } finally {
    await cloud.stop();
    await rm(dataDir, { recursive: true, force: true });
  }
}
