/**
 * The judgement of a check of any kind: http goes to domain/probe.ts as before; tcp is UP when the
 * port accepted a connection; tls when the certificate is unexpired, covers the host and chains to a
 * trusted root; dns when one record of the type equals the expected value. Reasons name what was
 * expected; a dns reason lists what was found (public DNS data, shown to the owner only: the public
 * page shows a category, domain/public-view.ts).
 */
import { kindOf } from './kinds.js';
import { certInfo, type JudgedMonitor, judgeProbe, type ProbeJudgement, type ProbeOutcome } from './probe.js';
import type { DnsRecordType, Monitor } from './types.js';

/** The monitor settings a judgement of any kind reads. */
export type KindJudgedMonitor = JudgedMonitor &
  Pick<Monitor, 'kind' | 'recordType' | 'expectedValue' | 'url'>;

/** An IPv6 address in its compressed lower-case form (how resolvers write it), or the text as is. */
function canonicalIPv6(value: string): string {
  const bracketed = `http://[${value}]/`;
  return URL.canParse(bracketed) ? new URL(bracketed).hostname.slice(1, -1) : value.toLowerCase();
}

/** A name without case or a trailing dot. */
const canonicalName = (value: string): string => value.toLowerCase().replace(/\.$/, '');

/**
 * Whether `record` (as a dns prober writes it) equals `expected`: addresses in canonical form, names
 * without case or trailing dot, an MX as `priority exchange` or its exchange alone, TXT exactly.
 */
export function dnsRecordMatches(type: DnsRecordType, record: string, expected: string): boolean {
  const wanted = expected.trim();
  switch (type) {
    case 'A':
      return record === wanted;
    case 'AAAA':
      return canonicalIPv6(record) === canonicalIPv6(wanted);
    case 'CNAME':
      return canonicalName(record) === canonicalName(wanted);
    case 'MX': {
      const [priority = '', exchange = ''] = record.split(' ');
      const parts = wanted.split(/\s+/);
      if (parts.length === 2)
        return priority === parts[0] && canonicalName(exchange) === canonicalName(parts[1] ?? '');
      return canonicalName(exchange) === canonicalName(wanted);
    }
    case 'TXT':
      return record === expected;
  }
}

function show(records: readonly string[]): string {
  const listed = records
    .slice(0, 5)
    .map((record) => JSON.stringify(record.length > 60 ? `${record.slice(0, 57)}...` : record));
  return `${listed.join(', ')}${records.length > 5 ? `, and ${records.length - 5} more` : ''}`;
}

/** Judge one attempt of `monitor` of any kind (push monitors are never probed: domain/push.ts). */
export function judgeCheck(outcome: ProbeOutcome, monitor: KindJudgedMonitor, now: Date): ProbeJudgement {
  const kind = kindOf(monitor);
  if (kind === 'http') return judgeProbe(outcome, monitor, now);
  // A network failure reads the same whatever the kind.
  if (outcome.errorKind !== undefined) return judgeProbe(outcome, monitor, now);
  switch (kind) {
    case 'tcp':
      return { status: 'UP' };
    case 'tls': {
      if (outcome.cert === undefined) return { status: 'DOWN', reason: 'TLS error: no certificate' };
      const cert = certInfo(outcome.cert, now, monitor.tlsWarningDays);
      const down = (reason: string): ProbeJudgement => ({ status: 'DOWN', reason, cert });
      if (Date.parse(cert.validTo) <= now.getTime())
        return down(`TLS certificate expired on ${cert.validTo}`);
      if (outcome.tls?.hostnameError !== undefined) {
        return down(`TLS certificate does not match the host: ${outcome.tls.hostnameError}`);
      }
      if (outcome.tls?.chainError !== undefined) {
        return down(`TLS certificate not trusted: ${outcome.tls.chainError}`);
      }
      return { status: 'UP', cert };
    }
    case 'dns': {
      const type = monitor.recordType ?? 'A';
      const records = outcome.records ?? [];
      const expected = monitor.expectedValue ?? '';
      if (records.some((record) => dnsRecordMatches(type, record, expected))) return { status: 'UP' };
      const name = monitor.url.replace(/^dns:\/\//, '');
      return {
        status: 'DOWN',
        reason:
          records.length === 0
            ? `DNS ${type} record of ${name}: none found (expected ${JSON.stringify(expected)})`
            : `DNS ${type} record of ${name} is not ${JSON.stringify(expected)} (found ${show(records)})`,
      };
    }
    case 'push':
      return { status: 'DOWN', reason: 'check failed: push monitors are not probed' };
  }
}
