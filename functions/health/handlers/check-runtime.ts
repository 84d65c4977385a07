/**
 * What CheckSitesFunction and CheckSliceFunction (the fan-out's worker) share to check monitors: the
 * stores, the alert publisher with the monitors' channels, the probers of every kind behind the same
 * address guard, the probe regions and the incident store. One module so a slice is checked exactly as
 * a run below the fan-out threshold is.
 */
import { documentClient, dynamoDbClient } from '../../lib/clients/dynamodb.js';
import { logger, MetricUnit, metrics, publishMetricsWithDimensions } from '../../lib/powertools.js';
import { createAlertPublisher } from '../adapters/alert-publisher.js';
import { createChannelRuntime } from '../adapters/channel-runtime.js';
import { loadHealthConfig } from '../adapters/config.js';
import { DynamoIncidentStore } from '../adapters/dynamo-maintenance.js';
import { DynamoMonitorStore, DynamoResultStore } from '../adapters/dynamo-stores.js';
import { DynamoUsage } from '../adapters/dynamo-usage.js';
import { createDnsProber } from '../adapters/probe-dns.js';
import { createHttpProber } from '../adapters/probe-http.js';
import { createKindProber } from '../adapters/probe-kinds.js';
import { createRegionalProbes, lambdaRegionInvoker } from '../adapters/probe-regions.js';
import { createTcpProber } from '../adapters/probe-tcp.js';
import { createTlsProber } from '../adapters/probe-tls.js';
import { loadRegionConfig } from '../adapters/region-config.js';
import type { AlertPublisher, MonitorStore } from '../domain/ports.js';
import type { Prober } from '../domain/probe.js';
import type { RegionalProbes, RunDependencies, RunSummary } from '../domain/run.js';
import { traceCheck } from './trace-check.js';

export const config = loadHealthConfig(process.env);
// What each run costs in DynamoDB (requests, write units): logged, returned, and printed by bench/health.
export const dynamoUsage = new DynamoUsage();
dynamoUsage.attach(dynamoDbClient.middlewareStack);
export const monitorStore = new DynamoMonitorStore(documentClient, config.monitorsTable, config.resultsTable);
export const resultStore = new DynamoResultStore(documentClient, config.resultsTable, {
  retentionDays: config.retentionDays,
});
// Written only on a transition into or out of DOWN (domain/incidents.ts).
export const incidentStore = new DynamoIncidentStore(documentClient, config.resultsTable, {
  retentionDays: config.retentionDays,
});
// The region an incident names: this function's own (Lambda sets AWS_REGION), until probes run from several.
export const homeRegions = [process.env.AWS_REGION ?? 'unknown'];
// The topic as before, and each monitor's own channels (adapters/alert-publisher.ts).
export const alertPublisher: AlertPublisher = createAlertPublisher(
  config.alertsTopicArn,
  createChannelRuntime(process.env, documentClient),
);
const guard = { allowSelfSigned: config.allowSelfSigned, allowPrivateTargets: config.allowPrivateTargets };
// Each kind of monitor has its prober (domain/kinds.ts); all go through the same address guard.
const httpProber = createKindProber({
  http: createHttpProber(guard),
  tcp: createTcpProber(guard),
  tls: createTlsProber(guard),
  dns: createDnsProber({ servers: config.dnsServers }),
});
export const probe: Prober = httpProber;

// ProbeRegions: each monitor is also checked from these regions and judged by a quorum (docs/health.md).
const regionConfig = loadRegionConfig(process.env);
export const regions: RegionalProbes | undefined =
  regionConfig === undefined
    ? undefined
    : createRegionalProbes({
        ...regionConfig,
        invoke: lambdaRegionInvoker(regionConfig.functionName),
        logger,
      });

/** The dependencies of a run over `monitors` (the store itself, or a run's listing of it). */
export function runDependencies(monitors: MonitorStore): RunDependencies {
  return {
    monitors,
    results: resultStore,
    alerts: alertPublisher,
    probe,
    logger,
    incidents: incidentStore,
    incidentRegions: homeRegions,
    observeCheck: traceCheck,
    ...(regions === undefined ? {} : { regions }),
  };
}

/**
 * The metrics of a run (or a slice): per monitor its availability and, when a response came back, its
 * latency (a timeout's "latency" would only repeat the timeout); then the run's counts.
 */
export function emitRunMetrics(summary: RunSummary): void {
  for (const { monitor, result } of summary.checks) {
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
