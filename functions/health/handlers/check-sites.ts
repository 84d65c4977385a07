/**
 * CheckSitesFunction: on each schedule tick, probe every monitor, record state and results, publish
 * alerts on state changes, and emit per-monitor metrics.
 */
import type { Context } from 'aws-lambda';
import { documentClient, dynamoDbClient } from '../../lib/clients/dynamodb.js';
import { withPowertools } from '../../lib/middy.js';
import { once } from '../../lib/once.js';
import { logger, MetricUnit, metrics, publishMetricsWithDimensions } from '../../lib/powertools.js';
import { checkScheduledEvent } from '../../lib/scheduled-event-check.js';
import { traceSpan } from '../../lib/tracing.js';
import { createChannelRuntime } from '../adapters/channel-runtime.js';
import { loadHealthConfig } from '../adapters/config.js';
import { DynamoIncidentStore } from '../adapters/dynamo-maintenance.js';
import { DynamoMonitorStore, DynamoResultStore } from '../adapters/dynamo-stores.js';
import { DynamoUsage, type DynamoUsageReport } from '../adapters/dynamo-usage.js';
import { createDnsProber } from '../adapters/probe-dns.js';
import { createHttpProber } from '../adapters/probe-http.js';
import { createKindProber } from '../adapters/probe-kinds.js';
import { createRegionalProbes, lambdaRegionInvoker } from '../adapters/probe-regions.js';
import { createTcpProber } from '../adapters/probe-tcp.js';
import { createTlsProber } from '../adapters/probe-tls.js';
import { loadRegionConfig } from '../adapters/region-config.js';
import { ChannelAlertPublisher } from '../domain/channel-delivery.js';
import type { AlertPublisher } from '../domain/ports.js';
import type { Prober } from '../domain/probe.js';
import { type RegionalProbes, type RunSummary, runChecks, runDeadline } from '../domain/run.js';
import { seedMonitors } from '../domain/seed.js';

const config = loadHealthConfig(process.env);
// What each run costs in DynamoDB (requests, write units): logged, returned, and printed by bench/health.
const dynamoUsage = new DynamoUsage();
dynamoUsage.attach(dynamoDbClient.middlewareStack);
const monitorStore = new DynamoMonitorStore(documentClient, config.monitorsTable, config.resultsTable);
const resultStore = new DynamoResultStore(documentClient, config.resultsTable, {
  retentionDays: config.retentionDays,
});
// Written only on a transition into or out of DOWN (domain/incidents.ts).
const incidentStore = new DynamoIncidentStore(documentClient, config.resultsTable, {
  retentionDays: config.retentionDays,
});
// The region an incident names: this function's own (Lambda sets AWS_REGION), until probes run from several.
const homeRegions = [process.env.AWS_REGION ?? 'unknown'];
// SNS (client and adapter) is loaded on the first alert, not at init: most runs change no state.
const loadAlertPublisher = once(async (): Promise<AlertPublisher> => {
  const { LogAlertPublisher, SnsAlertPublisher } = await import('../adapters/sns-alerts.js');
  if (config.alertsTopicArn === undefined) return new LogAlertPublisher(logger);
  const { snsClient } = await import('../../lib/clients/sns.js');
  return new SnsAlertPublisher(snsClient, config.alertsTopicArn);
});
// The topic as before, and each monitor's own channels (domain/channel-delivery.ts).
const channels = createChannelRuntime(process.env, documentClient);
const alertPublisher: AlertPublisher = new ChannelAlertPublisher(
  { publish: async (alert) => (await loadAlertPublisher()).publish(alert) },
  () =>
    channels.store === undefined
      ? undefined
      : { channels: channels.store, send: channels.send, retries: channels.retries, logger },
);
const guard = { allowSelfSigned: config.allowSelfSigned, allowPrivateTargets: config.allowPrivateTargets };
// Each kind of monitor has its prober (domain/kinds.ts); all go through the same address guard.
const httpProber = createKindProber({
  http: createHttpProber(guard),
  tcp: createTcpProber(guard),
  tls: createTlsProber(guard),
  dns: createDnsProber({ servers: config.dnsServers }),
});
// One subsegment per probe, annotated with its monitor: the HTTP call (and each redirect) nests under it.
const probe: Prober = (request, context) =>
  traceSpan('probe', { monitorId: context?.monitorId }, () => httpProber(request));

// ProbeRegions: each monitor is also checked from these regions and judged by a quorum (docs/health.md).
const regionConfig = loadRegionConfig(process.env);
const regions: RegionalProbes | undefined =
  regionConfig === undefined
    ? undefined
    : createRegionalProbes({
        ...regionConfig,
        invoke: lambdaRegionInvoker(regionConfig.functionName),
        logger,
      });

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
}

function emitMetrics(summary: RunSummary): void {
  for (const { monitor, result } of summary.checks) {
    // Latency only when a response came back: a timeout's "latency" would just repeat the timeout.
    publishMetricsWithDimensions({ MonitorName: monitor.name }, [
      { name: 'Availability', unit: MetricUnit.Percent, value: result.status === 'UP' ? 100 : 0 },
      ...(result.statusCode === undefined
        ? []
        : [{ name: 'Latency', unit: MetricUnit.Milliseconds, value: result.latencyMs }]),
    ]);
  }
  metrics.addMetric('MonitorsDown', MetricUnit.Count, summary.down);
  if (regions !== undefined) {
    // Votes a probe region owed and did not give: the quorum then rests on fewer regions (quorum.ts).
    const missing = summary.checks.reduce(
      (sum, { result }) => sum + (result.regions ?? []).filter((vote) => vote.status === 'UNKNOWN').length,
      0,
    );
    metrics.addMetric('RegionVotesMissing', MetricUnit.Count, missing);
  }
  metrics.addMetric('MonitorsNotChecked', MetricUnit.Count, summary.notChecked.length);
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
  const summary = await runChecks(
    {
      monitors: monitorStore,
      results: resultStore,
      alerts: alertPublisher,
      probe,
      logger,
      incidents: incidentStore,
      incidentRegions: homeRegions,
      regions,
    },
    deadline === undefined
      ? { concurrency: config.concurrency }
      : { concurrency: config.concurrency, deadline },
  );
  emitMetrics(summary);
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
