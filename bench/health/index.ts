import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { createHttpProber } from '../../functions/health/adapters/probe-http.js';
import { createMonitor } from '../../functions/health/domain/monitor.js';
import { checkMonitors } from '../../functions/health/domain/run.js';
import { signedInUser } from '../../test/helpers/cognito-user.js';
import { KEYWORD, startHealthTargets, type TargetKind } from '../../test/helpers/health-targets.js';
import { startTestCloud } from '../../test/helpers/local-cloud.js';
import { type Goal, printGoals, ratioGoal } from '../lib/goals.js';
import { printTable, progress, seconds } from '../lib/report.js';
import type { BenchOptions } from '../run.js';

const root = path.resolve(import.meta.dirname, '../..');
const TIMEOUT_MS = 2000;
const RETRIES = 1;

/** The mix of the integration test, 10% of it hanging past the timeout. */
const MIX: [TargetKind, number][] = [
  ['hang', 0.1],
  ['healthy', 0.4],
  ['slow', 0.2],
  ['wrong-keyword', 0.1],
  ['refused', 0.06],
  ['reset', 0.06],
  ['tls-expiring', 0.08],
];

/** The 1, 5 and 15 minute load averages, to read the figures with. */
async function loadAverage(): Promise<string[]> {
  const { loadavg } = await import('node:os');
  return loadavg().map((value) => value.toFixed(2));
}

interface CheckSummary {
  checked: number;
  up: number;
  down: number;
  dynamodb?: DynamoUsage;
}

interface DynamoUsage {
  requests: number;
  byOperation: Record<string, number>;
  writeUnits: number;
}

/** One CheckSitesFunction invocation: its summary and its wall time without the cold start. */
async function checkOnce(
  cloud: Awaited<ReturnType<typeof startTestCloud>>['cloud'],
  event: unknown,
): Promise<{ summary: CheckSummary; wall: number }> {
  const invocation = await cloud.invoker.invoke('CheckSitesFunction', event, { source: 'bench' });
  if (!invocation.ok) throw new Error(`CheckSitesFunction failed: ${invocation.error?.errorMessage}`);
  return {
    summary: invocation.payload as CheckSummary,
    wall: invocation.durationMs - (invocation.initDurationMs ?? 0),
  };
}

/** A run's DynamoDB requests (by operation) and write units, as the function counted them. */
function dynamoRows(run: string, usage: DynamoUsage | undefined, monitors: number): string[][] {
  if (usage === undefined) return [[`${run}: DynamoDB requests`, 'not reported', '']];
  const operations = Object.entries(usage.byOperation)
    .sort(([a], [b]) => (a < b ? -1 : 1))
    .map(([operation, count]) => `${operation} ${count}`)
    .join(', ');
  const conditional = usage.byOperation.UpdateItem ?? 0;
  const steady = run === 'steady run';
  return [
    [`${run}: DynamoDB requests`, String(usage.requests), ''],
    ['  by operation', operations, ''],
    ['  conditional UpdateItem', String(conditional), steady ? '0 (transitions only)' : ''],
    [`${run}: DynamoDB write units`, usage.writeUnits.toFixed(0), ''],
    ['  write units / monitor', (usage.writeUnits / monitors).toFixed(2), ''],
  ];
}

/**
 * bench/health: N monitors in one CheckSitesFunction invocation on the local cloud (storage, state,
 * alerts and metrics included), against the floor (timeout × attempts of a hanging monitor) and a
 * sequential checker on the same set measured in the same run (probes only, no storage: a baseline
 * that flatters the sequential side).
 */
export async function run({ quick }: BenchOptions): Promise<void> {
  const count = quick ? 100 : 500;
  const targets = await startHealthTargets({ slowMs: 300, certDays: 3 });
  // Kinds interleaved as in a real list (not all hanging monitors first), deterministic.
  const byKind = MIX.map(([kind, share]) =>
    Array.from({ length: Math.round(count * share) }, (_, i) => ({
      url: `${targets.urls[kind]}${targets.urls[kind].includes('?') ? '&' : '?'}i=${i}`,
      name: `${kind}-${i}`,
      keyword: KEYWORD,
      timeoutMs: TIMEOUT_MS,
      retries: RETRIES,
    })),
  );
  const inputs = Array.from({ length: Math.max(...byKind.map((k) => k.length)) }, (_, i) =>
    byKind.flatMap((k) => (i < k.length ? [k[i] as (typeof k)[number]] : [])),
  ).flat();
  const hanging = inputs.filter((m) => m.name.startsWith('hang-')).length;
  // One user adds every monitor: the quota (default 50 per user) is lifted for the benchmark.
  const { cloud, close } = await startTestCloud('bench-health', {
    parameterOverrides: { HealthCheckTargets: '', HealthMonitorQuota: '10000' },
  });
  try {
    // Adding monitors needs a signed-in user (the API's Cognito authorizer).
    const cognitoUrl = cloud.endpoints.services.cognito_identity_provider;
    if (!cognitoUrl) throw new Error('the local cloud started no Cognito');
    const { idToken } = await signedInUser(cognitoUrl, cloud.model);
    // Create the monitors through the API, 20 at a time.
    for (let i = 0; i < inputs.length; i += 20) {
      await Promise.all(
        inputs.slice(i, i + 20).map(async (input) => {
          const response = await fetch(`${cloud.endpoints.api}/monitors`, {
            method: 'POST',
            headers: { 'Content-Type': 'application/json', Authorization: idToken },
            body: JSON.stringify(input),
          });
          if (response.status !== 201)
            throw new Error(`POST /monitors ${response.status}: ${await response.text()}`);
        }),
      );
    }
    const concurrency = cloud.model.functions.find((f) => f.logicalId === 'CheckSitesFunction')?.environment
      .CHECK_CONCURRENCY;
    const event = JSON.parse(await readFile(path.join(root, 'events/check-sites-schedule.json'), 'utf8'));
    // Warm the execution environment so the figure is the run, not the cold start.
    await cloud.invoker.invoke('HealthApiFunction', {
      httpMethod: 'GET',
      resource: '/health',
      path: '/health',
    });

    // First run: every monitor goes from PENDING to UP or DOWN (a transition each, and their alerts).
    let spin = progress(`first run over ${inputs.length} monitors (every state set)`);
    const first = await checkOnce(cloud, event);
    spin.done();
    // The measured run: nothing changed, the steady state of every run after.
    spin = progress(`checking ${inputs.length} monitors (one invocation, steady state)`);
    const steady = await checkOnce(cloud, event);
    spin.done();
    const summary = steady.summary;
    const wall = steady.wall;

    spin = progress(`sequential baseline over the same ${inputs.length} monitors`);
    const now = new Date();
    const monitors = inputs.map((input) => createMonitor(input, now));
    const sequentialStarted = performance.now();
    await checkMonitors(monitors, createHttpProber({ allowSelfSigned: true, allowPrivateTargets: true }), {
      concurrency: 1,
    });
    const sequential = performance.now() - sequentialStarted;
    spin.done();

    const floor = TIMEOUT_MS * (1 + RETRIES);
    console.log(`load: ${(await loadAverage()).join(' ')}`);
    printTable([
      ['measure', 'value', 'goal'],
      ['monitors (hanging)', `${inputs.length} (${hanging})`, ''],
      ['CHECK_CONCURRENCY', String(concurrency), ''],
      ['checked / up / down', `${summary.checked} / ${summary.up} / ${summary.down}`, ''],
      ['floor: timeout x attempts', seconds(floor), ''],
      ['one invocation (wall)', seconds(wall), ''],
      ['wall / floor', `${(wall / floor).toFixed(2)}x`, '<= 1.2x'],
      ['sequential checker (wall)', seconds(sequential), ''],
      ['sequential / invocation', `${(sequential / wall).toFixed(1)}x`, '>= 30x'],
      ['first run (wall, every state set)', seconds(first.wall), ''],
      ...dynamoRows('first run', first.summary.dynamodb, inputs.length),
      ...dynamoRows('steady run', summary.dynamodb, inputs.length),
    ]);
    const goals: Goal[] = [
      ratioGoal(`${inputs.length} monitors, one invocation / floor`, wall, floor, { atMost: 1.2 }, seconds),
      ratioGoal(`sequential checker / one invocation`, sequential, wall, { atLeast: 30 }, seconds),
    ];
    printGoals(goals, 'bench/health goals');
  } finally {
    await close();
    await targets.close();
  }
}
