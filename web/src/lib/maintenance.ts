/**
 * What the status page says about maintenance windows and incidents. No imports (the shapes are the
 * API's, written out structurally): the unit tests load it under Node.
 */

type MaintenanceWindow =
  | { kind: 'once'; start: string; end: string }
  | { kind: 'recurring'; cron: string; timeZone: string; durationMinutes: number };

type MaintenanceWindowInput =
  | { start: string; end: string; label?: string }
  | { cron: string; timeZone?: string; durationMinutes: number; label?: string };

/** A duration of minutes: "45 min", "2 h", "1 h 30 min". */
export function formatMinutes(minutes: number): string {
  if (minutes < 60) return `${minutes} min`;
  const rest = minutes % 60;
  return rest === 0 ? `${minutes / 60} h` : `${Math.floor(minutes / 60)} h ${rest} min`;
}

/** A coarse span: "12 s", "5 min", "3 h 20 min", "2 d". */
export function formatSpan(ms: number): string {
  const seconds = Math.max(0, Math.floor(ms / 1000));
  if (seconds < 60) return `${seconds} s`;
  const minutes = Math.floor(seconds / 60);
  if (minutes < 48 * 60) return formatMinutes(minutes);
  return `${Math.floor(minutes / 1440)} d`;
}

/** The browser's IANA time zone, the default of a recurring window; UTC when it cannot tell. */
export function browserTimeZone(): string {
  return Intl.DateTimeFormat().resolvedOptions().timeZone || 'UTC';
}

/** A `<input type="datetime-local">` value (local wall time) as an ISO instant; undefined when empty or invalid. */
export function localInputToIso(value: string): string | undefined {
  if (value === '') return undefined;
  const date = new Date(value);
  return Number.isNaN(date.getTime()) ? undefined : date.toISOString();
}

/**
 * One line saying when a window happens: "24 Dec 2026, 22:00 → 25 Dec 2026, 02:00" (with `formatDate`)
 * or "cron 0 3 * * SUN (Europe/Berlin), 1 h each".
 */
export function describeWindow(window: MaintenanceWindow, formatDate: (iso: string) => string): string {
  if (window.kind === 'once') return `${formatDate(window.start)} → ${formatDate(window.end)}`;
  return `cron ${window.cron} (${window.timeZone}), ${formatMinutes(window.durationMinutes)} each`;
}

/** The fields of the add-window form. */
export interface WindowForm {
  kind: 'once' | 'recurring';
  start: string;
  end: string;
  cron: string;
  timeZone: string;
  durationMinutes: number;
  label: string;
}

/** The request body of `form`, or the sentence saying what is missing (the API checks the rest). */
export function windowInputOf(form: WindowForm): MaintenanceWindowInput | string {
  const label = form.label.trim() === '' ? {} : { label: form.label.trim() };
  if (form.kind === 'recurring') {
    if (form.cron.trim() === '') return 'Give a cron expression, e.g. 0 3 * * SUN.';
    return {
      cron: form.cron.trim(),
      timeZone: form.timeZone,
      durationMinutes: form.durationMinutes,
      ...label,
    };
  }
  const start = localInputToIso(form.start);
  const end = localInputToIso(form.end);
  if (start === undefined || end === undefined) return 'Give a start and an end.';
  return { start, end, ...label };
}

/** How long an incident lasted, or that it goes on. */
export function incidentDuration(incident: { start: string; durationMs?: number }, nowMs: number): string {
  if (incident.durationMs !== undefined) return formatSpan(incident.durationMs);
  return `ongoing, ${formatSpan(nowMs - Date.parse(incident.start))} so far`;
}
