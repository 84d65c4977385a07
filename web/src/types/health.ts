// The health API's types, from the types generated out of docs/health-api.yaml (npm run gen:types):
// change the document, not these names.
import type { components, operations } from './generated/health';

type Schemas = components['schemas'];

/** PENDING: not checked yet (or since resumed); PAUSED: not probed. */
export type MonitorStatus = Schemas['MonitorStatus'];

export type HttpMethod = Schemas['HttpMethod'];

export type JsonPathAssertion = Schemas['JsonPathCheck'];

/** Body of `POST /monitors`; unknown fields are rejected with a 400. */
export type MonitorInput = Schemas['MonitorInput'];

/** Body of `PATCH /monitors/{monitorId}`: any field of the input (null removes a check), and the switches. */
export type MonitorPatch = Schemas['MonitorPatch'];

export type CertInfo = Schemas['CertInfo'];

export type MonitorState = Schemas['MonitorState'];

/** A monitor as its owner (or an operator) sees it: `GET /my/monitors`. Expected statuses as ranges, `200-299,301`. */
export type MonitorView = Schemas['MonitorView'];

/** A fixed reason category: the public page never shows text that came from the target. */
export type ReasonCategory = Schemas['ReasonCategory'];

/** A public monitor as anyone sees it: `GET /monitors`. */
export type PublicMonitorView = Schemas['PublicMonitorView'];

/** Either view: what a card or the detail panel shows. */
export type AnyMonitorView = MonitorView | PublicMonitorView;

/** True for the owner's full view. */
export function isFullView(monitor: AnyMonitorView): monitor is MonitorView {
  return 'ownerId' in monitor;
}

/** A check as either history route answers it: the public fields, and the owner's when full. */
export type CheckResult = Schemas['PublicCheckResult'] &
  Partial<Omit<Schemas['CheckResult'], keyof Schemas['PublicCheckResult']>>;

/** One page of either listing, `T` the view it holds. */
export type MonitorPage<T extends AnyMonitorView> = Omit<Schemas['MonitorPage'], 'monitors'> & {
  monitors: T[];
};

export type MonitorResponse = Schemas['MonitorResponse'];

type FullHistory = operations['getMyHistory']['responses'][200]['content']['application/json'];

/** `GET [/my]/monitors/{monitorId}/history`. */
export type HistoryResponse = Omit<FullHistory, 'results'> & { results: CheckResult[] };

/** A notification channel's kind. */
export type ChannelKind = Schemas['ChannelKind'];

/** Body of `POST /channels`. */
export type ChannelInput = Schemas['ChannelInput'];

/** One delivery's outcome (the last one, or the last failure). */
export type DeliveryRecord = Schemas['DeliveryRecord'];

/** A channel as its owner sees it: where it goes, never the URL or the secret. */
export type ChannelView = Schemas['ChannelView'];

/** `POST /channels`: the channel and, for a webhook, its signing secret (shown once). */
export type ChannelCreated = operations['createChannel']['responses'][201]['content']['application/json'];

/** `POST /channels/{channelId}/test`: how the test went. */
export type TestDelivery =
  operations['testChannel']['responses'][200]['content']['application/json']['delivery'];

/** What a monitor checks: http (default), push (heartbeat pings), tcp, dns, tls. */
export type MonitorKind = Schemas['MonitorKind'];

/** Minutes between two checks: 1, 5, 15 or 60. */
export type IntervalMinutes = Schemas['IntervalMinutes'];

export type DnsRecordType = Schemas['DnsRecordType'];

/** A push monitor's secret token and its path on the API, shown once (creation, rotation). */
export type PushToken = Schemas['PushToken'];

/** Response-time percentiles of a history window (checks with a response, outside maintenance). */
export type LatencyPercentiles = Schemas['LatencyPercentiles'];

/** A DOWN stretch as its owner sees it. */
export type Incident = Schemas['Incident'];

/** A DOWN stretch as the public status page shows it (reason as a category). */
export type PublicIncident = Schemas['PublicIncident'];

/** Either view of an incident. */
export type AnyIncident = Incident | PublicIncident;

/** Body of `POST /monitors/{monitorId}/maintenance`: one-off (start, end) or recurring (cron). */
export type MaintenanceWindowInput = Schemas['MaintenanceWindowInput'];

export type MaintenanceWindow = Schemas['MaintenanceWindow'];

export type WindowOccurrence = Schemas['WindowOccurrence'];

/** `GET /monitors/{monitorId}/maintenance`. */
export type MaintenanceList = Schemas['MaintenanceList'];
