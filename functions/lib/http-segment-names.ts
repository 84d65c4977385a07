/**
 * X-Ray names the subsegment of an outgoing HTTP call after the host name alone: aws-xray-sdk-core's
 * http/https capture (which Powertools Tracer installs) and Powertools' own fetch instrumentation both
 * use `hostname`, dropping the port. Two services on one host then read as one downstream, and on the
 * local cloud, where everything is 127.0.0.1:<port>, every call looks the same. This keeps the port
 * when the URL has a non-default one (`127.0.0.1:4510`, `api.example.com:8443`; `example.com` for
 * :443 over HTTPS, as X-Ray would show it).
 *
 * Neither instrumentation takes a naming hook, so this listens on the same Node diagnostics channels
 * after them, finds the subsegment just opened for the request by the id it put in the request's
 * `X-Amzn-Trace-Id` (`Parent=`), and renames it before it closes and is sent.
 */
import { subscribe, unsubscribe } from 'node:diagnostics_channel';

/** The part of an X-Ray segment or subsegment this module reads and renames. */
export interface NamedSegment {
  id: string;
  name: string;
  namespace?: string;
  subsegments?: NamedSegment[];
  /** A subsegment's root segment. */
  segment?: NamedSegment;
}

/** Where the current segment comes from: the Powertools Tracer (its `getSegment`). */
export interface SegmentSource {
  getSegment(): unknown;
}

const defaultPorts: Readonly<Record<string, string>> = { 'http:': '80', 'https:': '443' };

/**
 * The subsegment name for a call to `hostname` on `port` over `protocol`: the host, with `:port`
 * unless it is the protocol's default. IPv6 literals keep their brackets.
 */
export function httpSegmentName(
  protocol: string,
  hostname: string,
  port: string | number | undefined,
): string {
  const portText = port === undefined || port === null ? '' : String(port);
  if (portText === '' || defaultPorts[protocol] === portText) return hostname;
  return `${hostname}:${portText}`;
}

/** The subsegment id in an `X-Amzn-Trace-Id` header (`Root=…;Parent=<16 hex>;Sampled=…`). */
export function parentIdOf(traceHeader: string | undefined): string | undefined {
  return traceHeader ? /(?:^|;)\s*Parent=([0-9a-f]{16})\b/i.exec(traceHeader)?.[1]?.toLowerCase() : undefined;
}

/** The subsegment `id` anywhere under `segment` (depth first). */
function findById(segment: NamedSegment, id: string): NamedSegment | undefined {
  if (segment.id === id) return segment;
  for (const child of segment.subsegments ?? []) {
    const found = findById(child, id);
    if (found) return found;
  }
  return undefined;
}

/** The direct child `id` of `segment`, newest first (an instrumentation appends what it opens). */
function findChild(segment: NamedSegment, id: string): NamedSegment | undefined {
  const children = segment.subsegments ?? [];
  for (let i = children.length - 1; i >= 0; i -= 1) if (children[i]?.id === id) return children[i];
  return undefined;
}

function isNamedSegment(value: unknown): value is NamedSegment {
  return typeof value === 'object' && value !== null && typeof (value as NamedSegment).id === 'string';
}

/**
 * Renames the HTTP subsegment whose id `traceHeader` carries to `name`. Only a `remote` subsegment still
 * named `hostname` (as the instrumentation opened it): an AWS SDK call's header names its `aws`
 * subsegment (DynamoDB, S3...), which keeps its service name. Returns whether one was renamed.
 */
export function renameHttpSubsegment(
  current: unknown,
  traceHeader: string | undefined,
  hostname: string,
  name: string,
): boolean {
  const id = parentIdOf(traceHeader);
  if (id === undefined || name === hostname || !isNamedSegment(current)) return false;
  // The instrumentation has just opened it under the current (sub)segment: looked for there first, newest
  // child first. Walking the whole trace for every request made a run of N probes cost O(N²) (a
  // thousand-monitor slice spent about 15% of its CPU here); the root is the fallback.
  const root = isNamedSegment(current.segment) ? current.segment : current;
  const subsegment =
    findChild(current, id) ?? findById(current, id) ?? (root === current ? undefined : findById(root, id));
  if (subsegment?.namespace !== 'remote' || subsegment.name !== hostname) return false;
  subsegment.name = name;
  return true;
}

/** The value of `name` in undici's request headers: a flat [name, value, ...] array or raw header text. */
function undiciHeader(headers: unknown, name: string): string | undefined {
  const wanted = name.toLowerCase();
  if (Array.isArray(headers)) {
    for (let i = 0; i + 1 < headers.length; i += 2) {
      if (String(headers[i]).toLowerCase() === wanted) return String(headers[i + 1]);
    }
    return undefined;
  }
  if (typeof headers === 'string') {
    for (const line of headers.split('\r\n')) {
      const colon = line.indexOf(':');
      if (colon > 0 && line.slice(0, colon).trim().toLowerCase() === wanted)
        return line.slice(colon + 1).trim();
    }
  }
  return undefined;
}

/** What `http.client.request.start` publishes (node:http's ClientRequest). */
interface ClientRequestLike {
  protocol?: string;
  host?: string;
  getHeader(name: string): unknown;
}

/** What `undici:request:create` publishes (fetch). */
interface UndiciRequestLike {
  origin?: string | URL;
  headers?: unknown;
}

/**
 * Subscribes the renaming to node:http/https requests (`http.client.request.start`) and fetch
 * (`undici:request:create`, after Powertools' own subscriber, which opens the subsegment). Call it once,
 * after the Tracer is created; returns the function that unsubscribes.
 */
export function keepPortsInHttpSegmentNames(source: SegmentSource): () => void {
  const onHttp = (message: unknown) => {
    const request = (message as { request?: ClientRequestLike }).request;
    if (!request || typeof request.getHeader !== 'function' || !request.host) return;
    // node:http puts the port in the Host header exactly when it is not the protocol's default.
    const hostHeader = request.getHeader('host');
    const traceHeader = request.getHeader('x-amzn-trace-id');
    if (typeof hostHeader !== 'string' || typeof traceHeader !== 'string') return;
    const hostPart = request.host.includes(':') ? `[${request.host}]` : request.host;
    const port = hostHeader.startsWith(`${hostPart}:`) ? hostHeader.slice(hostPart.length + 1) : undefined;
    const name = httpSegmentName(request.protocol ?? 'http:', request.host, port);
    renameHttpSubsegment(source.getSegment(), traceHeader, request.host, name);
  };
  const onFetch = (message: unknown) => {
    const request = (message as { request?: UndiciRequestLike }).request;
    if (!request?.origin || !URL.canParse(String(request.origin))) return;
    const url = new URL(String(request.origin));
    const name = httpSegmentName(url.protocol, url.hostname, url.port);
    renameHttpSubsegment(
      source.getSegment(),
      undiciHeader(request.headers, 'x-amzn-trace-id'),
      url.hostname,
      name,
    );
  };
  subscribe('http.client.request.start', onHttp);
  subscribe('undici:request:create', onFetch);
  return () => {
    unsubscribe('http.client.request.start', onHttp);
    unsubscribe('undici:request:create', onFetch);
  };
}
