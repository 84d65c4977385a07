/**
 * Alert messages for the alerts topic (docs/health-api.md): the JSON body is the {@link Alert} itself;
 * the subject is a one-line summary for e-mail subscribers.
 */
import type { Alert } from './types.js';

/**
 * SNS wants a subject "less than 100 characters long" (Publish API reference): 99 at most. A subject of
 * exactly 100 is refused with `Invalid parameter: Subject`, and the alert with it.
 */
export const maxSubjectLength = 99;

function describe(alert: Alert): string {
  switch (alert.type) {
    case 'MONITOR_DOWN':
      return `DOWN: ${alert.name} - ${alert.reason}`;
    case 'MONITOR_UP':
      return `UP: ${alert.name} is back up`;
    case 'CERT_EXPIRING':
      return alert.cert === undefined
        ? `CERT: ${alert.name} certificate expiring`
        : `CERT: ${alert.name} certificate expires in ${alert.cert.daysRemaining} days`;
  }
}

/** The SNS `Subject`: printable ASCII only (accents dropped, other characters as `?`), one line, at most 99 characters. */
export function alertSubject(alert: Alert): string {
  const text = `[Kumo] ${describe(alert)}`
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '')
    .replace(/[\u2010-\u2015]/g, '-')
    .replace(/\s+/g, ' ')
    .replace(/[^\x20-\x7e]/g, '?')
    .trim();
  return text.length <= maxSubjectLength ? text : `${text.slice(0, maxSubjectLength - 3)}...`;
}
