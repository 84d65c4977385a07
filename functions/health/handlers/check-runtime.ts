/**
 * What CheckSitesFunction and CheckSliceFunction (the fan-out's worker) share to check monitors: the
 * stores, the alert publisher with the monitors' channels, the probers of every kind behind the same
 * address guard, the probe regions and the incident store. One module so a slice is checked exactly as
 * a run below the fan-out threshold is.
 */
import { documentClient, dynamoDbClient } from '../../lib/clients/dynamodb.js';
import { once } from '../../lib/once.js';
import { logger } from '../../lib/powertools.js';
import { traceSpan } from '../../lib/tracing.js';
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
import { ChannelAlertPublisher } from '../domain/channel-delivery.js';
import type { AlertPublisher, MonitorStore } from '../domain/ports.js';
import type { Prober } from '../domain/probe.js';
import type { RegionalProbes, RunDependencies } from '../domain/run.js';

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
// SNS (client and adapter) is loaded on the first alert, not at init: most runs change no state.
const loadAlertPublisher = once(async (): Promise<AlertPublisher> => {
  const { LogAlertPublisher, SnsAlertPublisher } = await import('../adapters/sns-alerts.js');
  if (config.alertsTopicArn === undefined) return new LogAlertPublisher(logger);
  const { snsClient } = await import('../../lib/clients/sns.js');
  return new SnsAlertPublisher(snsClient, config.alertsTopicArn);
});
// The topic as before, and each monitor's own channels (domain/channel-delivery.ts).
const channels = createChannelRuntime(process.env, documentClient);
export const alertPublisher: AlertPublisher = new ChannelAlertPublisher(
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
export const probe: Prober = (request, context) =>
  traceSpan('probe', { monitorId: context?.monitorId }, () => httpProber(request));

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
    ...(regions === undefined ? {} : { regions }),
  };
}
