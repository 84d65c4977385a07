import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { configUrls, readLocalConfig } from '../../local/config.js';
import { readTemplate } from '../../local/template/index.js';
import { photoCloud } from '../../test/helpers/photo-cloud.js';
import { type ProcessMemory, processTree, totalMb } from '../lib/process-memory.js';
import { printTable, progress, seconds } from '../lib/report.js';
import { type SpawnedCloud, spawnLocalCloud, webSettled } from '../lib/spawned-cloud.js';
import type { BenchOptions } from '../run.js';

const root = path.resolve(import.meta.dirname, '../..');
/** Issue 12's goal for an idle `npm start`. */
const GOAL_IDLE_MB = 1_000;
/** Issue 12's figure on main before this work: 1.6 GB RSS over 9 processes, idle. */
const BEFORE_IDLE_MB = 1_600;

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

interface Sample {
  mb: number;
  processes: ProcessMemory[];
}

async function sample(cloud: SpawnedCloud): Promise<Sample> {
  const processes = await processTree(cloud.pid);
  return { mb: totalMb(processes), processes };
}

/** The median of three samples a second apart: one GC in a process should not make the figure. */
async function settledSample(cloud: SpawnedCloud): Promise<Sample> {
  const samples: Sample[] = [];
  for (let i = 0; i < 3; i++) {
    if (i > 0) await sleep(1_000);
    samples.push(await sample(cloud));
  }
  return samples.sort((a, b) => a.mb - b.mb)[1] as Sample;
}

/** `node start.ts 310 MB, 5× node bootstrap.cjs 380 MB, ...`: where the memory is, biggest first. */
function breakdown(processes: readonly ProcessMemory[]): string {
  const groups = new Map<string, { count: number; kb: number }>();
  for (const p of processes) {
    const group = groups.get(p.command) ?? { count: 0, kb: 0 };
    group.count++;
    group.kb += p.rssKb;
    groups.set(p.command, group);
  }
  return [...groups]
    .sort((a, b) => b[1].kb - a[1].kb)
    .map(
      ([command, g]) =>
        `${g.count > 1 ? `${g.count}× ` : ''}${command} ${Math.round((g.kb * 1024) / 1e6)} MB`,
    )
    .join(', ');
}

/** A bounded load on a few API routes: `connections` workers, each sending its next request when answered. */
async function load(
  routes: { url: string; token?: string }[],
  connections: number,
  durationMs: number,
): Promise<{ requests: number; errors: number; statuses: Map<string, number> }> {
  let requests = 0;
  let errors = 0;
  const statuses = new Map<string, number>();
  const count = (status: string) => statuses.set(status, (statuses.get(status) ?? 0) + 1);
  const deadline = performance.now() + durationMs;
  const worker = async (n: number) => {
    const route = routes[n % routes.length] as { url: string; token?: string };
    const headers: Record<string, string> = route.token ? { Authorization: route.token } : {};
    while (performance.now() < deadline) {
      requests++;
      try {
        const response = await fetch(route.url, { headers });
        await response.arrayBuffer();
        if (response.status !== 200) {
          errors++;
          count(String(response.status));
        }
      } catch (error) {
        errors++;
        count((error as Error).message);
      }
    }
  };
  await Promise.all(Array.from({ length: connections }, (_, n) => worker(n)));
  return { requests, errors, statuses };
}

/** One photo through upload → READY: the labeler runs, and the Rekognition models load for it. */
async function uploadOne(photos: ReturnType<typeof photoCloud>, token: string): Promise<number> {
  const bytes = await readFile(path.join(root, 'test/fixtures/images/chelsea.jpg'));
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
  const photo = await photos.settled(created.photo.photoId, token, 120_000);
  if (photo.state !== 'READY') throw new Error(`photo ${created.photo.photoId} ${String(photo.state)}`);
  return performance.now() - started;
}

/**
 * bench/memory: the local cloud started as `npm start` starts it (web app, schedules, the X producer;
 * data in a temporary folder), its RSS summed over every process of its tree: idle after start, at the
 * peak of a short load on the photos and health APIs (with one photo labelled, so the Rekognition models
 * are in), and idle again once its execution environments have been reaped (`--idle-minutes` short, so
 * the bench does not wait five minutes).
 */
export async function run({ quick }: BenchOptions): Promise<void> {
  const idleMinutes = quick ? 0.25 : 0.5;
  const loadMs = quick ? 5_000 : 15_000;
  const connections = 20;
  const dataDir = await mkdtemp(path.join(tmpdir(), 'kumo-bench-memory-'));
  const starting = progress('npm start');
  const startedAt = performance.now();
  const cloud = await spawnLocalCloud({ root, dataDir, args: ['--idle-minutes', String(idleMinutes)] });
  try {
    const web = cloud.endpoints.web as string;
    const webState = await webSettled(web);
    starting.done();
    const upMs = performance.now() - startedAt;
    // The schedules fire once the web app is up: let that first round end before calling it idle.
    await sleep(15_000);
    const idle = await settledSample(cloud);

    const config = await readLocalConfig(root, configUrls(cloud.endpoints));
    const sqs = cloud.endpoints.services.sqs;
    const model = await readTemplate(path.join(root, 'template.yaml'), {
      parameterOverrides: config.parameterOverrides,
      ...(sqs ? { serviceUrls: { sqs } } : {}),
    });
    const photos = photoCloud(
      { model, token: cloud.endpoints.token ?? '', endpoints: cloud.endpoints, guard: { webOrigins: [web] } },
      dataDir,
    );
    const busy = progress(`one upload, then ${loadMs / 1000} s of load at ${connections} connections`);
    const user = await photos.signUp('bench-memory');
    const uploadMs = await uploadOne(photos, user.idToken);
    const api = cloud.endpoints.api as string;
    let peak: Sample = await sample(cloud);
    let sampling = true;
    const sampler = (async () => {
      while (sampling) {
        const now = await sample(cloud);
        if (now.mb > peak.mb) peak = now;
        await sleep(500);
      }
    })();
    const result = await load(
      [{ url: `${api}/photos`, token: user.idToken }, { url: `${api}/health` }],
      connections,
      loadMs,
    );
    sampling = false;
    await sampler;
    busy.done();

    // Idle: every environment not used since the load ends within idle time + one sweep.
    const reaping = progress(`waiting for idle environments to be reaped (${idleMinutes} min idle)`);
    await sleep(idleMinutes * 60_000 + Math.min(idleMinutes * 60_000, 30_000) + 5_000);
    reaping.done();
    const reaped = await settledSample(cloud);

    const ratio = (mb: number) => `${(mb / GOAL_IDLE_MB).toFixed(2)}x`;
    process.stdout.write(
      `\nnpm start up in ${seconds(upMs)} (web app ${webState}); load: ${result.requests} requests, ` +
        `${result.errors} errors${result.errors > 0 ? ` (${[...result.statuses].map(([s, c]) => `${s} ×${c}`).join(', ')})` : ''}; first upload → READY ${seconds(uploadMs)} (loads the models)\n`,
    );
    printTable([
      ['state', 'processes', 'RSS', 'goal', 'RSS / goal', 'before (issue 12)'],
      [
        'idle after start',
        idle.processes.length,
        `${idle.mb} MB`,
        `<= ${GOAL_IDLE_MB} MB`,
        ratio(idle.mb),
        `${BEFORE_IDLE_MB} MB`,
      ],
      ['busy (peak)', peak.processes.length, `${peak.mb} MB`, '-', '-', '-'],
      [
        `idle after reap (${idleMinutes} min)`,
        reaped.processes.length,
        `${reaped.mb} MB`,
        `<= ${GOAL_IDLE_MB} MB`,
        ratio(reaped.mb),
        `${BEFORE_IDLE_MB} MB`,
      ],
    ]);
    process.stdout.write(
      `\nidle after start: ${breakdown(idle.processes)}\nbusy (peak): ${breakdown(peak.processes)}\n` +
        `idle after reap: ${breakdown(reaped.processes)}\n`,
    );
  } finally {
    await cloud.stop();
    await rm(dataDir, { recursive: true, force: true });
  }
}
