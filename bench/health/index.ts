import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { GetQueueAttributesCommand, SQSClient } from '@aws-sdk/client-sqs';
import { BatchWriteCommand, DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { listKeyOf } from '../../functions/health/adapters/dynamo-stores.js';
import { createHttpProber } from '../../functions/health/adapters/probe-http.js';
import { createMonitor } from '../../functions/health/domain/monitor.js';
import { checkMonitors } from '../../functions/health/domain/run.js';
import type { LocalCloud } from '../../local/index.js';
import { signedInUser } from '../../test/helpers/cognito-user.js';
import {
  type HealthTargets,
  KEYWORD,
  startHealthTargets,
  type TargetKind,
} from '../../test/helpers/health-targets.js';
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

/** Steady runs measured per case (their median is the figure): 3, or 1 with --quick. */
const steadyRuns = (quick: boolean) => (quick ? 1 : 3);

/** The element of `items` whose `value` is the median (the lower middle of an even count). */
function median<T>(items: readonly T[], value: (item: T) => number): T {
  const sorted = [...items].sort((a, b) => value(a) - value(b));
  const middle = sorted[Math.floor((sorted.length - 1) / 2)];
  if (middle === undefined) throw new Error('no runs to take the median of');
  return middle;
}

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

/** `count` monitors of the mix, kinds interleaved as in a real list (not all hanging first), deterministic. */
function monitorInputs(targets: HealthTargets, count: number) {
  const byKind = MIX.map(([kind, share]) =>
    Array.from({ length: Math.round(count * share) }, (_, i) => ({
      url: `${targets.urls[kind]}${targets.urls[kind].includes('?') ? '&' : '?'}i=${i}`,
      name: `${kind}-${i}`,
      keyword: KEYWORD,
      timeoutMs: TIMEOUT_MS,
      retries: RETRIES,
    })),
  );
  return Array.from({ length: Math.max(...byKind.map((k) => k.length)) }, (_, i) =>
    byKind.flatMap((k) => (i < k.length ? [k[i] as (typeof k)[number]] : [])),
  ).flat();
}

/**
 * Adds every monitor through the API (a signed-in user, 20 requests at a time). Every create updates
 * the same owner's counter in its transaction, so on a busy machine a few lose the race three times and
 * answer 5xx: those are sent again (a 409 then means the first attempt did create it).
 */
async function addMonitors(cloud: LocalCloud, inputs: ReturnType<typeof monitorInputs>): Promise<void> {
  const cognitoUrl = cloud.endpoints.services.cognito_identity_provider;
  if (!cognitoUrl) throw new Error('the local cloud started no Cognito');
  const { idToken } = await signedInUser(cognitoUrl, cloud.model);
  const create = async (input: (typeof inputs)[number]) => {
    for (let attempt = 1; ; attempt += 1) {
      const response = await fetch(`${cloud.endpoints.api}/monitors`, {
        method: 'POST',
        headers: { 'Content-Type': 'application/json', Authorization: idToken },
        body: JSON.stringify(input),
      });
      if (response.status === 201 || (attempt > 1 && response.status === 409)) return;
      if (response.status < 500 || attempt >= 5) {
        throw new Error(`POST /monitors ${response.status}: ${await response.text()}`);
      }
      await new Promise((resolve) => setTimeout(resolve, 200 * attempt));
    }
  };
  for (let i = 0; i < inputs.length; i += 20) await Promise.all(inputs.slice(i, i + 20).map(create));
}

/**
 * bench/health: the 500-monitor case (one CheckSitesFunction invocation) and the 5,000-monitor case
 * (fanned out to CheckSliceFunction workers through the slice queue), each on its own local cloud,
 * against the floor (timeout × attempts of a hanging monitor) and a sequential checker. HEALTH_BENCH_CASE
 * = `single` or `fan-out` runs one of them (default: both).
 */
export async function run(options: BenchOptions): Promise<void> {
  const only = process.env.HEALTH_BENCH_CASE;
  if (only !== undefined && only !== 'single' && only !== 'fan-out') {
    throw new Error(`HEALTH_BENCH_CASE must be single or fan-out (got ${only})`);
  }
  const goals: Goal[] = [];
  if (only !== 'fan-out') goals.push(...(await runSingle(options)));
  if (only !== 'single') goals.push(...(await runFanOut(options)));
  printGoals(goals, 'bench/health goals');
}

/**
 * N monitors in one CheckSitesFunction invocation on the local cloud (storage, state, alerts and
 * metrics included), against the floor (timeout × attempts of a hanging monitor) and a sequential
 * checker on the same set measured in the same run (probes only, no storage: a baseline that flatters
 * the sequential side).
 */
async function runSingle({ quick }: BenchOptions): Promise<Goal[]> {
  const count = quick ? 100 : 500;
  const targets = await startHealthTargets({ slowMs: 300, certDays: 3 });
  const inputs = monitorInputs(targets, count);
  const hanging = inputs.filter((m) => m.name.startsWith('hang-')).length;
  // One user adds every monitor: the quota (default 50 per user) is lifted for the benchmark.
  const { cloud, close } = await startTestCloud('bench-health', {
    // One invocation checks all 500: the fan-out (default threshold 200) is the other case's.
    parameterOverrides: {
      HealthCheckTargets: '',
      HealthMonitorQuota: '10000',
      HealthFanOutThreshold: '1000',
    },
  });
  try {
    await addMonitors(cloud, inputs);
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
    // The measured runs: nothing changed, the steady state of every run after; the median is the figure.
    const runs: Awaited<ReturnType<typeof checkOnce>>[] = [];
    for (let i = 0; i < steadyRuns(quick); i += 1) {
      spin = progress(
        `checking ${inputs.length} monitors (one invocation, steady state, ${i + 1} of ${steadyRuns(quick)})`,
      );
      runs.push(await checkOnce(cloud, event));
      spin.done();
    }
    const steady = median(runs, (run) => run.wall);
    const summary = steady.summary;
    const wall = steady.wall;
    // A run that checked fewer (fanned out, skipped at a deadline) would time nothing worth comparing.
    if (summary.checked !== inputs.length) {
      throw new Error(`the run checked ${summary.checked} of ${inputs.length} monitors: nothing to time`);
    }

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
      ['one invocation (wall, median)', seconds(wall), ''],
      ['  each steady run', runs.map((run) => seconds(run.wall)).join(', '), ''],
      ['wall / floor', `${(wall / floor).toFixed(2)}x`, '<= 1.2x'],
      ['sequential checker (wall)', seconds(sequential), ''],
      ['sequential / invocation', `${(sequential / wall).toFixed(1)}x`, '>= 30x'],
      ['first run (wall, every state set)', seconds(first.wall), ''],
      ...dynamoRows('first run', first.summary.dynamodb, inputs.length),
      ...dynamoRows('steady run', summary.dynamodb, inputs.length),
    ]);
    return [
      ratioGoal(`${inputs.length} monitors, one invocation / floor`, wall, floor, { atMost: 1.2 }, seconds),
      ratioGoal(`sequential checker / one invocation`, sequential, wall, { atLeast: 30 }, seconds),
    ];
  } finally {
    await close();
    await targets.close();
  }
}

/**
 * The fan-out settings of the 5,000 case: a few large slices, each worker probing 200 at once (1,000
 * slots in all, enough for the 500 hanging monitors to wait side by side): on a 2-core machine every
 * worker process costs a cold start and a share of the CPU the local DynamoDB needs.
 */
const FAN_OUT = {
  HealthFanOutThreshold: '200',
  HealthFanOutSliceSize: '1000',
  HealthSliceWorkerConcurrency: '5',
  HealthCheckConcurrency: '200',
};

/**
 * Stores the monitors straight in MonitorsTable (the operators', as seeded ones are), 25 per
 * BatchWriteItem. Not through the API: one user adding 5,000 monitors rewrites that user's id set with
 * every create (quadratic bytes: the first attempt grew the local tables to 2.3 GB and took minutes),
 * which is not what this case measures.
 */
async function storeMonitors(cloud: LocalCloud, inputs: ReturnType<typeof monitorInputs>): Promise<void> {
  const table = cloud.model.tables.find((t) => t.logicalId === 'MonitorsTable')?.name;
  if (!table) throw new Error('no MonitorsTable');
  const documents = DynamoDBDocumentClient.from(
    new DynamoDBClient({
      region: cloud.model.region,
      credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
      endpoint: cloud.endpoints.services.dynamodb,
    }),
  );
  const now = new Date();
  const items = inputs.map((input) => {
    const monitor = createMonitor(input, now);
    return {
      ...monitor,
      listKey: listKeyOf(monitor),
      state: { status: 'PENDING', since: monitor.createdAt },
      buckets: [],
    };
  });
  try {
    for (let i = 0; i < items.length; i += 25) {
      let pending = items.slice(i, i + 25).map((Item) => ({ PutRequest: { Item } }));
      for (let attempt = 0; pending.length > 0; attempt += 1) {
        if (attempt >= 8) throw new Error(`${pending.length} monitors not stored`);
        const { UnprocessedItems } = await documents.send(
          new BatchWriteCommand({ RequestItems: { [table]: pending } }),
        );
        pending = (UnprocessedItems?.[table] ?? []) as typeof pending;
        if (pending.length > 0) await new Promise((resolve) => setTimeout(resolve, 50 * 2 ** attempt));
      }
    }
  } finally {
    documents.destroy();
  }
}

/** One fanned-out run: from the scheduler's invocation to the last slice deleted, and what it did. */
async function fanOutOnce(cloud: LocalCloud, event: unknown) {
  const mapping = cloud.sqsMappings?.mappings.find((m) => m.id === 'CheckSliceFunction/Slices');
  if (!mapping) throw new Error('CheckSliceFunction/Slices is not wired');
  const before = { ...mapping.stats, batchSizes: mapping.stats.batchSizes.length };
  const started = performance.now();
  const invocation = await cloud.invoker.invoke('CheckSitesFunction', event, { source: 'bench' });
  if (!invocation.ok) throw new Error(`CheckSitesFunction failed: ${invocation.error?.errorMessage}`);
  const summary = invocation.payload as { fanOut?: { slices: number; sliceSize: number; monitors: number } };
  if (!summary.fanOut) throw new Error('the run did not fan out');
  const dispatchedMs = performance.now() - started;
  // A slice not done by then has been retried (or timed out) at least once: reported, not waited for.
  const deadline = Date.now() + 180_000;
  let finished = true;
  while (mapping.stats.deleted - before.deleted < summary.fanOut.slices || mapping.inFlight > 0) {
    if (Date.now() > deadline) {
      finished = false;
      break;
    }
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
  return {
    finished,
    wall: performance.now() - started,
    dispatchedMs,
    fanOut: summary.fanOut,
    invocations: mapping.stats.invocations - before.invocations,
    retried: mapping.stats.retried - before.retried,
    maxInFlight: mapping.stats.maxInFlight,
  };
}

/** The slice queue's waiting and in-flight messages (0 and 0 once a run is done). */
async function queueDepth(cloud: LocalCloud): Promise<string> {
  const sqs = new SQSClient({
    region: cloud.model.region,
    credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
    endpoint: cloud.endpoints.services.sqs,
    useQueueUrlAsEndpoint: false,
  });
  try {
    const { Attributes = {} } = await sqs.send(
      new GetQueueAttributesCommand({
        QueueUrl: `${cloud.endpoints.services.sqs}/${cloud.model.accountId}/${cloud.model.stackName}-HealthSliceQueue`,
        AttributeNames: ['ApproximateNumberOfMessages', 'ApproximateNumberOfMessagesNotVisible'],
      }),
    );
    return `${Attributes.ApproximateNumberOfMessages} / ${Attributes.ApproximateNumberOfMessagesNotVisible}`;
  } finally {
    sqs.destroy();
  }
}

/**
 * 5,000 monitors (10% hanging) through the fan-out on the local cloud: CheckSitesFunction queues
 * slices, the local SQS event source runs CheckSliceFunction on them (at most 10 at once). Measured:
 * a steady run, from the scheduler's invocation to the last slice done, against the floor. The
 * sequential baseline is measured on a tenth of the same mix and multiplied by ten (the whole set would
 * take over half an hour one monitor at a time).
 */
async function runFanOut({ quick }: BenchOptions): Promise<Goal[]> {
  const count = quick ? 1_000 : 5_000;
  const targets = await startHealthTargets({ slowMs: 300, certDays: 3 });
  const inputs = monitorInputs(targets, count);
  const hanging = inputs.filter((m) => m.name.startsWith('hang-')).length;
  const { cloud, close } = await startTestCloud('bench-health-fan-out', {
    parameterOverrides: { HealthCheckTargets: '', HealthMonitorQuota: '10000', ...FAN_OUT },
  });
  try {
    let spin = progress(`storing ${inputs.length} monitors`);
    await storeMonitors(cloud, inputs);
    spin.done();
    const concurrency = cloud.model.functions.find((f) => f.logicalId === 'CheckSliceFunction')?.environment
      .CHECK_CONCURRENCY;
    const event = JSON.parse(await readFile(path.join(root, 'events/check-sites-schedule.json'), 'utf8'));
    // First run: every state set, and the workers' execution environments started.
    spin = progress(`first fanned-out run over ${inputs.length} monitors (every state set)`);
    const first = await fanOutOnce(cloud, event);
    spin.done();
    const runs: Awaited<ReturnType<typeof fanOutOnce>>[] = [];
    for (let i = 0; i < steadyRuns(quick); i += 1) {
      spin = progress(
        `checking ${inputs.length} monitors (fanned out, steady state, ${i + 1} of ${steadyRuns(quick)})`,
      );
      runs.push(await fanOutOnce(cloud, event));
      spin.done();
    }
    // The median run is the figure (one run on a 2-core machine varies by ±10%).
    const steady = median(runs, (run) => run.wall);
    const depth = await queueDepth(cloud);

    const sample = monitorInputs(targets, Math.round(count / 10));
    spin = progress(`sequential baseline over a tenth of the mix (${sample.length} monitors) x10`);
    const now = new Date();
    const sequentialStarted = performance.now();
    await checkMonitors(
      sample.map((input) => createMonitor(input, now)),
      createHttpProber({ allowSelfSigned: true, allowPrivateTargets: true }),
      { concurrency: 1 },
    );
    const sequential = ((performance.now() - sequentialStarted) * inputs.length) / sample.length;
    spin.done();

    const floor = TIMEOUT_MS * (1 + RETRIES);
    console.log(`load: ${(await loadAverage()).join(' ')}`);
    printTable([
      ['measure (fan-out)', 'value', 'goal'],
      ['monitors (hanging)', `${inputs.length} (${hanging})`, ''],
      [
        'threshold / slice size / workers at once',
        `${FAN_OUT.HealthFanOutThreshold} / ${steady.fanOut.sliceSize} / ${FAN_OUT.HealthSliceWorkerConcurrency}`,
        '',
      ],
      ['CHECK_CONCURRENCY per worker', String(concurrency), ''],
      [
        'slices / worker invocations / retried',
        `${steady.fanOut.slices} / ${steady.invocations} / ${steady.retried}`,
        '',
      ],
      ['workers in flight (max)', String(steady.maxInFlight), `<= ${FAN_OUT.HealthSliceWorkerConcurrency}`],
      ['floor: timeout x attempts', seconds(floor), ''],
      ['scheduler: list + queue (wall)', seconds(steady.dispatchedMs), ''],
      [
        'run: schedule to last slice (wall, median)',
        steady.finished ? seconds(steady.wall) : `not done in ${seconds(steady.wall)}`,
        '',
      ],
      ['  each steady run', runs.map((run) => seconds(run.wall)).join(', '), ''],
      [
        'wall / floor',
        `${(steady.wall / floor).toFixed(2)}x${steady.finished ? '' : ' (not done)'}`,
        '<= 1.5x',
      ],
      ['sequential checker (wall, sampled)', seconds(sequential), ''],
      ['sequential / run', `${(sequential / steady.wall).toFixed(1)}x`, ''],
      [
        'first run (wall, every state set, cold workers)',
        first.finished ? seconds(first.wall) : `not done in ${seconds(first.wall)}`,
        '',
      ],
      ['slice queue after the run (waiting / in flight)', depth, '0 / 0'],
    ]);
    // A run not done in time is timed at the wait's end: far above the goal.
    return [
      ratioGoal(
        `${inputs.length} monitors, fanned out / floor`,
        steady.wall,
        floor,
        { atMost: 1.5 },
        seconds,
      ),
      ratioGoal('sequential checker (sampled) / fanned-out run', sequential, steady.wall, undefined, seconds),
    ];
  } finally {
    await close();
    await targets.close();
  }
}
