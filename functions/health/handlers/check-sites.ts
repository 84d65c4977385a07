/**
 * CheckSitesFunction: on each schedule tick, probe every monitor, record state and results, publish
 * alerts on state changes, and emit per-monitor metrics.
 */
import { randomUUID } from 'node:crypto';
import type { Context } from 'aws-lambda';
import { withPowertools } from '../../lib/middy.js';
import { once } from '../../lib/once.js';
import { logger, MetricUnit, metrics } from '../../lib/powertools.js';
import { checkScheduledEvent } from '../../lib/scheduled-event-check.js';
import type { DynamoUsageReport } from '../adapters/dynamo-usage.js';
import { loadFanOutConfig } from '../adapters/fan-out-config.js';
import {
  type Dispatched,
  dispatchSlices,
  type SliceQueue,
  shouldFanOut,
  storeListing,
} from '../domain/fan-out.js';
import type { MonitorStore } from '../domain/ports.js';
import { monitorsOfRun, runChecks, runDeadline } from '../domain/run.js';
import { needsLastCheck } from '../domain/schedule.js';
import { seedMonitors } from '../domain/seed.js';
import { config, dynamoUsage, emitRunMetrics, monitorStore, runDependencies } from './check-runtime.js';

// Above HealthFanOutThreshold monitors the run is queued in slices for CheckSliceFunction (fan-out.ts).
const fanOut = loadFanOutConfig(process.env);
const seedOnce = once(async () => {
  // Monitors stored before monitors had owners become the operators' (and stay public).
  const adopted = await monitorStore.adoptLegacy();
  if (adopted > 0) logger.info('Monitors without an owner given to the operators', { adopted });
  if (config.seedMonitors.length === 0) return;
  const report = await seedMonitors(config.seedMonitors, monitorStore, new Date());
  logger.info('Seeded monitors', { ...report });
  if (report.invalid.length > 0)
    logger.warn('Invalid SEED_MONITORS entries skipped', { invalid: report.invalid });
});

// The SQS client is loaded with the first fanned-out run: below the threshold it is never needed.
const loadSliceQueue = once(async (): Promise<SliceQueue | undefined> => {
  if (fanOut === undefined) return undefined;
  const [{ sqsClient }, { SqsSliceQueue }] = await Promise.all([
    import('../../lib/clients/sqs.js'),
    import('../adapters/slice-queue.js'),
  ]);
  return new SqsSliceQueue(sqsClient, fanOut.queueUrl);
});

export { checkScheduledEvent };

/** What the function returns. */
export interface CheckSitesSummary {
  checked: number;
  up: number;
  down: number;
  alerts: number;
  /** Monitors skipped or stopped at the run's deadline (state unchanged; checked again next run). */
  notChecked: number;
  /** DynamoDB requests and consumed capacity of this invocation (seeding included). */
  dynamodb: DynamoUsageReport;
  /** Present when the run was queued in slices for CheckSliceFunction instead of probed here. */
  fanOut?: Dispatched;
}

/** The handler before middleware: validate (log, never throw), seed once, run, report. */
export async function checkSites(event: unknown, context?: Context): Promise<CheckSitesSummary> {
  // Taken first: seeding spends the same invocation's time.
  const deadline =
    context === undefined ? undefined : runDeadline(Date.now(), context.getRemainingTimeInMillis());
  dynamoUsage.reset();
  const parsed = checkScheduledEvent(event);
  if (!parsed.success) {
    logger.warn('Unexpected event shape; running the checks anyway', { issues: parsed.issues });
  }
  try {
    await seedOnce();
  } catch (error) {
    logger.error('Seeding monitors failed; will retry on the next invocation', { error: error as Error });
  }
  let monitors: MonitorStore = monitorStore;
  if (fanOut !== undefined) {
    const runStartedAt = new Date().toISOString();
    // Above the threshold the scheduler only hands out ids (each worker reads its monitors' latest
    // checks): latest checks are read for every monitor only when the listing is at most the threshold.
    const { threshold } = fanOut;
    let listed = 0;
    const records = await monitorsOfRun(monitorStore, new Date(), {
      summariesFor: (monitor, count) => {
        listed = count;
        return count <= threshold || needsLastCheck(monitor);
      },
    });
    const queue = shouldFanOut(records.length, fanOut.threshold) ? await loadSliceQueue() : undefined;
    if (queue !== undefined) {
      const runId = parsed.success ? parsed.data.id : randomUUID();
      const dispatched = await dispatchSlices(records, fanOut, queue, { runId, runStartedAt });
      const dynamodb = dynamoUsage.snapshot();
      metrics.addMetric('SlicesQueued', MetricUnit.Count, dispatched.slices);
      logger.info('Run fanned out in slices', { ...dispatched, dynamodb });
      return { checked: 0, up: 0, down: 0, alerts: 0, notChecked: 0, dynamodb, fanOut: dispatched };
    }
    // Below the threshold the run goes on as before, over the monitors just read when they were read in
    // full; when more were listed than are due (paused, longer intervals), the run lists them again.
    monitors = listed <= threshold ? storeListing(monitorStore, records) : monitorStore;
  }
  const summary = await runChecks(
    runDependencies(monitors),
    deadline === undefined
      ? { concurrency: config.concurrency }
      : { concurrency: config.concurrency, deadline },
  );
  emitRunMetrics(summary);
  const { checked, up, down, alerts, failures, skipped, aborted } = summary;
  if (summary.notChecked.length > 0) {
    logger.warn('Monitors not checked: the run reached its deadline', {
      skipped,
      aborted,
      monitorIds: summary.notChecked.slice(0, 50),
    });
  }
  const dynamodb = dynamoUsage.snapshot();
  metrics.addMetric('DynamoRequests', MetricUnit.Count, dynamodb.requests);
  metrics.addMetric('DynamoWriteUnits', MetricUnit.Count, dynamodb.writeUnits);
  logger.info('Health checks complete', { checked, up, down, alerts, failures, skipped, aborted, dynamodb });
  return { checked, up, down, alerts, notChecked: summary.notChecked.length, dynamodb };
}

/** Lambda entry point (template.yaml: `check-sites.handler`). */
export const handler = withPowertools(checkSites, {
  correlationId: (event) => {
    const id = (event as { id?: unknown } | null)?.id;
    return typeof id === 'string' ? id : undefined;
  },
});
