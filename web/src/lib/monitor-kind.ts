/** How each kind of monitor is shown: its target and what it checks (docs/health.md, "Monitor kinds"). */
import type { AnyMonitorView, MonitorKind, MonitorView } from '../types/health';

/** The kind of a monitor; views of monitors stored before kinds have none: http. */
export function kindOf(monitor: Pick<MonitorView, 'kind'> | AnyMonitorView): MonitorKind {
  return ('kind' in monitor ? monitor.kind : undefined) ?? 'http';
}

/** Labels of the kinds, for the form's select and the cards. */
export const kindLabels: Readonly<Record<MonitorKind, string>> = {
  http: 'HTTP(S)',
  tcp: 'TCP port',
  dns: 'DNS record',
  tls: 'TLS certificate',
  push: 'Push (heartbeat)',
};

/** Whether the target is a web address a link may open (http ones only: tcp://, dns:// are not). */
export function isWebTarget(url: string): boolean {
  return url.startsWith('http://') || url.startsWith('https://');
}

/** The target as a reader wants it: the URL, `host:port`, the DNS name, or "push" for heartbeats. */
export function targetLabel(url: string): string {
  if (isWebTarget(url)) return url;
  if (url.startsWith('push://')) return 'push (heartbeat)';
  return url.replace(/^(tcp|tls):\/\//, '$1 ').replace(/^dns:\/\//, 'dns ');
}

/** Placeholders of the target field per kind. */
export const targetPlaceholders: Readonly<Record<Exclude<MonitorKind, 'push'>, string>> = {
  http: 'https://example.com/health',
  tcp: 'tcp://db.example.com:5432',
  tls: 'tls://example.com:443',
  dns: 'dns://example.com',
};
