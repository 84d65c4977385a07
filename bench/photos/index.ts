import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { Agent } from 'node:http';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { BatchWriteCommand, DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { NodeHttpHandler } from '@smithy/node-http-handler';
import {
  DynamoPhotoStore,
  toLabelItem,
  toPhotoItem,
} from '../../functions/photos/adapters/dynamo-photo-store.js';
import { newPhotoId } from '../../functions/photos/domain/ids.js';
import { normalizeLabel } from '../../functions/photos/domain/labels.js';
import { DEFAULT_PAGE_SIZE } from '../../functions/photos/domain/list-query.js';
import type { Photo } from '../../functions/photos/domain/types.js';
import { createPendingPhoto } from '../../functions/photos/domain/upload.js';
import { startLocalCloud } from '../../local/index.js';
import { createMemoryLogger } from '../../local/log.js';
import { type PhotoCloud, photoCloud } from '../../test/helpers/photo-cloud.js';
import { type Goal, printGoals, ratioGoal, valueGoal } from '../lib/goals.js';
import { cpuPerRequest, cpuSample } from '../lib/process-cpu.js';
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

export interface LoadResult {
  requests: number;
  errors: number;
  p50: number;
  p99: number;
  rps: number;
  /** CPU ms per request: this process (the API, runner, emulators' threads and the load loop) and its children (function processes). */
  cpu?: { selfMs: number; childrenMs: number | undefined };
}

/**
 * A bounded load loop (no autocannon): `connections` workers, each sending its next request when the
 * previous answer is read, for `durationMs`. `send` resolves true for a good answer; false or a throw is
 * an error.
 */
async function loadWith(
  send: () => Promise<boolean>,
  durationMs: number,
  connections = CONNECTIONS,
): Promise<LoadResult> {
  const latencies: number[] = [];
  let errors = 0;
  const deadline = performance.now() + durationMs;
  const worker = async () => {
    while (performance.now() < deadline) {
      const started = performance.now();
      try {
        if (!(await send())) errors++;
      } catch {
        errors++;
      }
      latencies.push(performance.now() - started);
    }
  };
  const cpuBefore = await cpuSample();
  const started = performance.now();
  await Promise.all(Array.from({ length: connections }, worker));
  const elapsed = performance.now() - started;
  const cpu = cpuPerRequest(cpuBefore, await cpuSample(), latencies.length);
  latencies.sort((a, b) => a - b);
  return {
    requests: latencies.length,
    errors,
    p50: percentile(latencies, 50),
    p99: percentile(latencies, 99),
    rps: latencies.length / (elapsed / 1000),
    cpu,
  };
}

/** GETs `url` over Node's fetch (undici, keep-alive); anything but a 200 is an error. */
function getter(url: string, token: string | undefined): () => Promise<boolean> {
  const headers: Record<string, string> = token ? { Authorization: token } : {};
  return async () => {
    const response = await fetch(url, { headers });
    await response.arrayBuffer();
    return response.status === 200;
  };
}

/**
 * The floor of the API routes: the DynamoDB queries PhotosApiFunction runs for them (the same adapter,
 * functions/photos/adapters/dynamo-photo-store.ts), sent straight to the local DynamoDB over keep-alive
 * sockets, one per connection.
 */
function floorStore(endpoint: string, table: string): { store: DynamoPhotoStore; destroy(): void } {
  const client = new DynamoDBClient({
    region: 'us-east-1',
    endpoint,
    credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
    maxAttempts: 1,
    requestHandler: new NodeHttpHandler({
      httpAgent: new Agent({ keepAlive: true, maxSockets: CONNECTIONS }),
    }),
  });
  return {
    store: new DynamoPhotoStore(DynamoDBDocumentClient.from(client), table),
    destroy: () => client.destroy(),
  };
}

/**
 * bench/photos: upload-to-READY latency on the local cloud (presigned POST to the local S3, the S3
 * notification, LabelPhotoFunction with sharp and the local Rekognition's real models), then the feed
 * and a label search at 50 connections with N photos in the table, against GET /health through the same
 * API Gateway and function runner measured in the same run (the floor of any route), and each route that
 * queries DynamoDB against its own floor: the same queries sent straight to the local DynamoDB at the same
 * 50 connections; a last table holds issue 12's goals.
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
    const dynamodb = cloud.endpoints.services.dynamodb;
    if (!api || !dynamodb) throw new Error('the local cloud has no API or no DynamoDB');
    const floor = floorStore(dynamodb, photos.table);
    const label = normalizeLabel('label 7');
    // Each API route, then its floor: the queries the function runs for it, straight to DynamoDB.
    const routes: Route[] = [
      { name: 'GET /health (baseline)', send: getter(`${api}/health`, undefined) },
      {
        name: 'GET /photos (feed, 24)',
        send: getter(`${api}/photos`, user.idToken),
        floor: async () => (await floor.store.list({ kind: 'feed' }, DEFAULT_PAGE_SIZE)).photos.length > 0,
      },
      {
        name: 'GET /photos?label=label 7',
        send: getter(`${api}/photos?label=label%207`, user.idToken),
        floor: async () =>
          (await floor.store.list({ kind: 'label', label }, DEFAULT_PAGE_SIZE)).photos.length > 0,
      },
      {
        name: 'GET /labels',
        send: getter(`${api}/labels`, user.idToken),
        floor: async () => (await floor.store.topLabels(20)).length > 0,
      },
    ];
    try {
      // Warm every route's execution environments (and the floor's sockets) first.
      for (const route of routes) {
        await loadWith(route.send, 500);
        if (route.floor) await loadWith(route.floor, 500);
      }
      const measured: Measured[] = [];
      for (const route of routes) {
        const measuring = progress(route.name);
        // One connection first: the service time, without queueing.
        const alone = await loadWith(route.send, Math.min(durationMs, 3_000), 1);
        const result = await loadWith(route.send, durationMs);
        const floorResult = route.floor ? await loadWith(route.floor, durationMs) : undefined;
        measuring.done();
        measured.push({ name: route.name, alone, result, ...(floorResult ? { floor: floorResult } : {}) });
      }
      process.stdout.write(
        `\n${CONNECTIONS} connections, ${durationMs / 1000} s per route and per floor, ${seeded} photos\n`,
      );
      printTable(routeRows(measured));
      process.stdout.write(
        '\nCPU per request (ms): this process = API Gateway, authorizer, runner, emulator threads and the load loop\n',
      );
      printTable(cpuRows(measured));
      process.stdout.write('\n');
      // Issue 12's goals, in the one goals table every bench prints (bench/lib/goals.ts).
      printGoals(goalsOf(measured, warm), 'bench/photos goals');
    } finally {
      floor.destroy();
    }
  } finally {
    await cloud.stop();
    await rm(dataDir, { recursive: true, force: true });
  }
}

/** A route of the load test: the API request and, for a route that queries DynamoDB, its floor. */
interface Route {
  name: string;
  send: () => Promise<boolean>;
  floor?: () => Promise<boolean>;
}

export interface Measured {
  name: string;
  alone: LoadResult;
  result: LoadResult;
  floor?: LoadResult;
}

/**
 * Requests per second of each route on main before issue 12 (commit dda74fe, one event loop for the API,
 * DynamoDB, S3 and Cognito), full run on the shared 2-core machine (load average 1.5 at its start, 10.8 at its end): the "today's
 * throughput" the goal multiplies. A quieter machine serves more: compare runs on the same machine.
 */
export const MAIN_RPS: Readonly<Record<string, number>> = {
  'GET /photos (feed, 24)': 122,
  'GET /photos?label=label 7': 129,
  'GET /labels': 105,
};

/** Issue 12's goals for the photo API. */
export const GOALS = {
  /** API p99 at most this many times the floor's p99. */
  p99OverFloor: 3,
  /** Requests per second at least this many times today's (MAIN_RPS). */
  rpsOverMain: 3,
  /** Upload to READY (warm), in ms. */
  uploadToReadyMs: 3_000,
} as const;

function ratio(value: number, base: number | undefined): string {
  return base === undefined || !Number.isFinite(base) || base === 0 ? 'n/a' : `${(value / base).toFixed(2)}x`;
}

/** One row per route and one per floor. */
export function routeRows(measured: readonly Measured[]): (string | number)[][] {
  const rows: (string | number)[][] = [
    ['route', 'p50 @1', 'requests', 'errors', 'req/s', 'p50', 'p99', 'p99 / baseline'],
  ];
  const baseline = measured[0]?.result.p99;
  const row = (name: string, alone: string, r: LoadResult) => [
    name,
    alone,
    r.requests,
    r.errors,
    r.rps.toFixed(0),
    seconds(r.p50),
    seconds(r.p99),
    ratio(r.p99, baseline),
  ];
  for (const m of measured) {
    rows.push(row(m.name, seconds(m.alone.p50), m.result));
    if (m.floor) rows.push(row('  floor: its DynamoDB query', '', m.floor));
  }
  return rows;
}

/** CPU ms per request of each route and floor at 50 connections: where the two cores go. */
export function cpuRows(measured: readonly Measured[]): (string | number)[][] {
  const ms = (value: number | undefined) =>
    value === undefined || !Number.isFinite(value) ? 'n/a' : value.toFixed(2);
  const rows: (string | number)[][] = [['route', 'this process', 'function processes', 'total']];
  const row = (name: string, r: LoadResult) => {
    const self = r.cpu?.selfMs;
    const children = r.cpu?.childrenMs;
    const total = self === undefined || children === undefined ? undefined : self + children;
    return [name, ms(self), ms(children), ms(total)];
  };
  for (const m of measured) {
    rows.push(row(m.name, m.result));
    if (m.floor) rows.push(row('  floor: its DynamoDB query', m.floor));
  }
  return rows;
}

/** Issue 12's goals as the shared goals table prints them (bench/lib/goals.ts). */
export function goalsOf(measured: readonly Measured[], warmUploads: readonly number[]): Goal[] {
  const rps = (value: number) => `${value.toFixed(0)} req/s`;
  const goals: Goal[] = [];
  const baseline = measured[0]?.result.rps ?? Number.NaN;
  for (const m of measured) {
    if (!m.floor) continue;
    goals.push(
      ratioGoal(
        `${m.name}: p99 / floor p99`,
        m.result.p99,
        m.floor.p99,
        { atMost: GOALS.p99OverFloor },
        seconds,
      ),
    );
    goals.push(ratioGoal(`${m.name}: req/s / floor req/s`, m.result.rps, m.floor.rps, undefined, rps));
    goals.push(ratioGoal(`${m.name}: req/s / GET /health req/s`, m.result.rps, baseline, undefined, rps));
    const main = MAIN_RPS[m.name] ?? Number.NaN;
    goals.push(
      ratioGoal(`${m.name}: req/s / main's`, m.result.rps, main, { atLeast: GOALS.rpsOverMain }, rps),
    );
  }
  const errors = measured.reduce((sum, m) => sum + m.result.errors, 0);
  goals.push(valueGoal('errors (API, every route)', errors, { atMost: 0 }));
  goals.push(
    valueGoal(
      'upload → READY, slowest warm',
      warmUploads.at(-1) ?? Number.NaN,
      { atMost: GOALS.uploadToReadyMs },
      seconds,
    ),
  );
  return goals;
}
