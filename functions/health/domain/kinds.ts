/**
 * The kinds of monitor and how each writes its target. One `url` field holds the target of every kind
 * so that ids, owners' claims (one per owner, method and target), alerts and views need nothing new:
 *
 * - `http`: an http(s) URL (domain/target-url.ts);
 * - `tcp`: `tcp://host:port`, a port that must accept a connection;
 * - `tls`: `tls://host[:port]` (port 443 by default), a certificate only: expiry, host name, chain;
 * - `dns`: `dns://name`, a record of `recordType` that must equal `expectedValue`;
 * - `push`: no target; the monitor is given `push://<monitorId>` and waits for pings (domain/push.ts).
 *
 * Host names go through WHATWG URL's http parser, so `tcp://2130706433:22` is `tcp://127.0.0.1:22` and
 * the address guard sees the address it will connect to. Pure: no DNS, no sockets.
 */
import { parseIPv4 } from './address-policy.js';
import { urlSyntaxProblem } from './target-url.js';
import type { DnsRecordType, Monitor, MonitorKind } from './types.js';

/** Every kind, `http` first (the default). */
export const monitorKinds = ['http', 'push', 'tcp', 'dns', 'tls'] as const satisfies readonly MonitorKind[];

/** The record types a `dns` monitor may check. */
export const dnsRecordTypes = ['A', 'AAAA', 'CNAME', 'MX', 'TXT'] as const satisfies readonly DnsRecordType[];

/** Defaults of the kinds' own settings. */
export const kindDefaults = {
  recordType: 'A',
  periodMinutes: 60,
  graceMinutes: 5,
  tlsPort: 443,
} as const;

/** The kind of `monitor`: `http` for monitors stored before kinds. */
export function kindOf(monitor: Pick<Monitor, 'kind'>): MonitorKind {
  return monitor.kind ?? 'http';
}

/** The scheme of each kind's target (push targets are made, never given). */
const schemes: Readonly<Record<Exclude<MonitorKind, 'http'>, string>> = {
  push: 'push:',
  tcp: 'tcp:',
  tls: 'tls:',
  dns: 'dns:',
};

/** What a tcp or tls monitor connects to. */
export interface HostTarget {
  /** A lower-case name, a dotted IPv4 address or an IPv6 address (no brackets). */
  host: string;
  port: number;
}

/** The target of a push monitor. */
export function pushTargetUrl(monitorId: string): string {
  return `push://${monitorId}`;
}

/** The host of a URL through the http parser (normalised like an http URL's), or `undefined`. */
function normaliseHost(host: string): string | undefined {
  if (host === '') return undefined;
  const value = `http://${host}/`;
  if (!URL.canParse(value)) return undefined;
  const { hostname } = new URL(value);
  return hostname === '' ? undefined : hostname;
}

/** The reserved names and suffixes a `dns` monitor may not query (see docs/security.md). */
const internalSuffixes = ['localhost', 'local', 'internal', 'home.arpa', 'localdomain', 'lan', 'intranet'];

/** Whether `name` is a public DNS name: 2+ labels of letters, digits, `-` and `_`, no internal suffix. */
function dnsNameProblem(name: string): string | undefined {
  if (name.length > 253) return 'must be at most 253 characters';
  if (parseIPv4(name) !== undefined || name.startsWith('[')) return 'must be a DNS name, not an IP address';
  const labels = name.split('.');
  if (labels.length < 2) return 'must be a fully qualified name (at least two labels, e.g. example.com)';
  for (const label of labels) {
    if (!/^[a-z0-9_]([a-z0-9_-]{0,61}[a-z0-9_])?$/.test(label)) {
      return 'must be a DNS name (labels of a-z, 0-9, - and _, at most 63 characters each)';
    }
  }
  const internal = internalSuffixes.find((suffix) => name === suffix || name.endsWith(`.${suffix}`));
  if (internal !== undefined) return `must be a public name (.${internal} names are internal)`;
  return undefined;
}

interface ParsedTarget {
  url: string;
  host: string;
  port?: number;
}

function parseTarget(kind: Exclude<MonitorKind, 'http' | 'push'>, value: string): ParsedTarget | string {
  const scheme = schemes[kind];
  const example =
    kind === 'tcp' ? 'tcp://host:port' : kind === 'tls' ? 'tls://host or tls://host:port' : 'dns://name';
  if (!URL.canParse(value)) return `must be ${example}`;
  const url = new URL(value);
  if (url.protocol !== scheme) return `must be ${example} (a ${kind} monitor)`;
  if (url.username !== '' || url.password !== '') return 'must not contain a user name or password';
  if ((url.pathname !== '' && url.pathname !== '/') || url.search !== '' || url.hash !== '') {
    return `must be ${example}, without a path, query or fragment`;
  }
  const host = normaliseHost(url.hostname);
  if (host === undefined) return `must be ${example}`;
  const bare = host.startsWith('[') ? host.slice(1, -1) : host;
  if (kind === 'dns') {
    if (url.port !== '') return 'must be dns://name, without a port';
    const name = bare.endsWith('.') ? bare.slice(0, -1) : bare;
    const problem = dnsNameProblem(name);
    return problem === undefined ? { url: `dns://${name}`, host: name } : problem;
  }
  if (url.port === '' && kind === 'tcp') return 'must name a port: tcp://host:port';
  const port = url.port === '' ? kindDefaults.tlsPort : Number(url.port);
  if (!Number.isInteger(port) || port < 1 || port > 65_535) return 'port must be 1 to 65535';
  return { url: `${kind}://${host}:${port}`, host: bare, port };
}

/**
 * What is wrong with `value` as the target of a `kind` monitor, or `undefined`. Push monitors take no
 * target (checked by the schema).
 */
export function targetProblem(kind: MonitorKind, value: string): string | undefined {
  if (kind === 'http') return urlSyntaxProblem(value);
  if (kind === 'push') return 'must not be given for a push monitor (its push URL is made for it)';
  const parsed = parseTarget(kind, value);
  return typeof parsed === 'string' ? parsed : undefined;
}

/** The target as stored: `tcp://host:port`, `tls://host:port`, `dns://name`; an http URL as given. */
export function canonicalTarget(kind: MonitorKind, value: string): string {
  if (kind === 'http' || kind === 'push') return value;
  const parsed = parseTarget(kind, value);
  if (typeof parsed === 'string') throw new Error(`invalid ${kind} target: ${parsed}`);
  return parsed.url;
}

/** Host and port of a tcp or tls target (valid, as stored), `undefined` for a bad one. */
export function hostTargetOf(value: string): HostTarget | undefined {
  const kind = value.startsWith('tcp:') ? 'tcp' : value.startsWith('tls:') ? 'tls' : undefined;
  if (kind === undefined) return undefined;
  const parsed = parseTarget(kind, value);
  if (typeof parsed === 'string' || parsed.port === undefined) return undefined;
  return { host: parsed.host, port: parsed.port };
}

/** The name a dns target queries (valid, as stored), `undefined` for a bad one. */
export function dnsNameOf(value: string): string | undefined {
  const parsed = parseTarget('dns', value);
  return typeof parsed === 'string' ? undefined : parsed.host;
}

/** Whether a target's host is written as an IP address (checked without DNS) or is a name. */
export function isIpLiteral(host: string): boolean {
  return parseIPv4(host) !== undefined || host.includes(':');
}

/** What a probe request of `monitor` carries besides the http fields: nothing for http monitors. */
export function probeFieldsOf(monitor: Pick<Monitor, 'kind' | 'recordType'>): {
  kind?: MonitorKind;
  recordType?: DnsRecordType;
} {
  const kind = kindOf(monitor);
  if (kind === 'http') return {};
  return kind === 'dns' ? { kind, recordType: monitor.recordType ?? kindDefaults.recordType } : { kind };
}

/**
 * What an owner's claim on a target covers ("this owner watches this"): the target, and for a dns
 * monitor its record type too, so one owner may check the A and the MX records of one name.
 */
export function watchTargetOf(monitor: Pick<Monitor, 'kind' | 'url' | 'recordType'>): string {
  return kindOf(monitor) === 'dns'
    ? `${monitor.url}?type=${monitor.recordType ?? kindDefaults.recordType}`
    : monitor.url;
}
