/**
 * Monitor settings: validation of `POST /monitors` and `PATCH /monitors/{monitorId}` bodies, defaults,
 * and the monitor id.
 */
import * as z from 'zod';
import { monitorChannelIdsSchema } from './channel-ids.js';
import { isValidJsonPath } from './json-path.js';
import { dnsRecordTypes, kindOf, monitorKinds, targetProblem } from './kinds.js';
import { checkBudgetMs, createMonitor, maxCheckBudgetMs, monitorDefaults } from './monitor-core.js';
import { intervalChoices } from './schedule.js';
import { parseExpectedStatus } from './status-ranges.js';
import type { Monitor, MonitorInput, MonitorKind, MonitorPatch } from './types.js';

// The zod-free part lives in monitor-core.ts (the scheduled checker imports it alone); re-exported so
// that every importer of monitor.ts keeps working.
export {
  type CreateMonitorOptions,
  checkBudgetMs,
  createMonitor,
  initialState,
  maxCheckBudgetMs,
  monitorDefaults,
  monitorIdFor,
  newMonitorId,
  newMonitorIdFor,
  normalizeUrl,
  watchKeyFor,
} from './monitor-core.js';

function intBetween(min: number, max: number) {
  const error = `must be an integer between ${min} and ${max}`;
  return z.int({ error }).min(min, { error }).max(max, { error });
}

const jsonPathCheckSchema = z.strictObject({
  path: z
    .string({ error: 'must be a string' })
    .max(256, { error: 'must be at most 256 characters' })
    .refine(isValidJsonPath, { error: "must be a JSONPath like $.a.b[0].c or $['a-b']" }),
  equals: z
    .union([z.string(), z.number(), z.boolean(), z.null()], {
      error: 'must be a string, number, boolean or null',
    })
    .optional(),
});

/** `"200-299,301"` (or the older `[200, 301]`), turned into the canonical ranges text. */
const expectedStatusSchema = z.unknown().transform((value, ctx): string => {
  const parsed = parseExpectedStatus(value);
  if (parsed.ok) return parsed.value;
  for (const problem of parsed.problems) {
    ctx.addIssue({
      code: 'custom',
      message: problem.message,
      ...(problem.index === undefined ? {} : { path: [problem.index] }),
    });
  }
  return z.NEVER;
});

/** The optional settings each kind takes (besides `url`, `name`, `kind` and `intervalMinutes`). */
const kindSettings: Readonly<Record<MonitorKind, readonly (keyof MonitorInput)[]>> = {
  http: [
    'method',
    'expectedStatus',
    'timeoutMs',
    'retries',
    'keyword',
    'keywordAbsent',
    'jsonPath',
    'maxRedirects',
    'tlsWarningDays',
  ],
  tcp: ['timeoutMs', 'retries'],
  tls: ['timeoutMs', 'retries', 'tlsWarningDays'],
  dns: ['timeoutMs', 'retries', 'recordType', 'expectedValue'],
  push: ['periodMinutes', 'graceMinutes'],
};

/** The kinds a setting applies to, as words: `http and tls monitors`. */
function kindsTaking(field: keyof MonitorInput): string {
  const kinds = monitorKinds.filter((kind) => kindSettings[kind].includes(field));
  return `${kinds.join(' and ')} monitors`;
}

/** Whether `field` is a setting of `kind` monitors. */
export function isSettingOf(kind: MonitorKind, field: keyof MonitorInput): boolean {
  return kindSettings[kind].includes(field);
}

/** The rules of the kinds: a target written for the kind (none for push), and only the kind's settings. */
function kindProblems(input: Partial<Record<keyof MonitorInput, unknown>>, ctx: z.core.$RefinementCtx): void {
  // The input may have bad fields (they have their own messages): judge only what is readable.
  const kind = input.kind === undefined ? 'http' : monitorKinds.find((each) => each === input.kind);
  if (kind === undefined) return;
  if (kind === 'push') {
    if (input.url !== undefined) {
      ctx.addIssue({ code: 'custom', path: ['url'], message: targetProblem('push', '') ?? '' });
    }
  } else if (input.url === undefined) {
    ctx.addIssue({ code: 'custom', path: ['url'], message: 'is required' });
  } else if (typeof input.url === 'string') {
    const problem = targetProblem(kind, input.url.trim());
    if (problem !== undefined) ctx.addIssue({ code: 'custom', path: ['url'], message: problem });
  }
  const settings = new Set(Object.values(kindSettings).flat());
  for (const field of settings) {
    if (input[field] !== undefined && !kindSettings[kind].includes(field)) {
      ctx.addIssue({ code: 'custom', path: [field], message: `only applies to ${kindsTaking(field)}` });
    }
  }
  if (kind === 'dns' && input.expectedValue === undefined) {
    ctx.addIssue({ code: 'custom', path: ['expectedValue'], message: 'is required for a dns monitor' });
  }
}

/** Zod schema of {@link MonitorInput}: strict (unknown fields are refused), defaults not applied. */
export const monitorInputSchema = z
  .strictObject({
    // Required and checked for its kind below (a push monitor has none).
    url: z
      .string({ error: 'must be a string' })
      .trim()
      .max(2048, { error: 'must be at most 2048 characters' })
      .optional(),
    kind: z.enum(monitorKinds, { error: `must be one of ${monitorKinds.join(', ')}` }).optional(),
    intervalMinutes: z
      .literal(intervalChoices, { error: `must be one of ${intervalChoices.join(', ')} (minutes)` })
      .optional(),
    recordType: z.enum(dnsRecordTypes, { error: `must be one of ${dnsRecordTypes.join(', ')}` }).optional(),
    expectedValue: z
      .string({ error: 'must be a string' })
      .trim()
      .min(1, { error: 'must not be empty' })
      .max(1024, { error: 'must be at most 1024 characters' })
      .optional(),
    periodMinutes: intBetween(1, 43_200).optional(),
    graceMinutes: intBetween(1, 1_440).optional(),
    name: z
      .string({ error: 'must be a string' })
      .trim()
      .min(1, { error: 'must not be empty' })
      .max(100, { error: 'must be at most 100 characters' })
      .optional(),
    method: z.enum(['GET', 'HEAD', 'POST'], { error: 'must be one of GET, HEAD, POST' }).optional(),
    expectedStatus: expectedStatusSchema.optional(),
    timeoutMs: intBetween(100, 60_000).optional(),
    retries: intBetween(0, 5).optional(),
    keyword: z
      .string({ error: 'must be a string' })
      .min(1, { error: 'must not be empty' })
      .max(1024, { error: 'must be at most 1024 characters' })
      .optional(),
    keywordAbsent: z.boolean({ error: 'must be a boolean' }).optional(),
    jsonPath: jsonPathCheckSchema.optional(),
    maxRedirects: intBetween(0, 10).optional(),
    tlsWarningDays: z
      .array(intBetween(1, 365), { error: 'must be an array of days' })
      .max(10, { error: 'must list at most 10 thresholds' })
      .optional(),
    channelIds: monitorChannelIdsSchema.optional(),
  })
  // Run even when other fields are bad, so one answer names the target's problem with the rest.
  .check(
    z.superRefine((input: Partial<Record<keyof MonitorInput, unknown>>, ctx) => kindProblems(input, ctx), {
      when: (payload) =>
        typeof payload.value === 'object' && payload.value !== null && !Array.isArray(payload.value),
    }),
  )
  .superRefine((input, ctx) => {
    const timeoutMs = input.timeoutMs ?? monitorDefaults.timeoutMs;
    const retries = input.retries ?? monitorDefaults.retries;
    // Only when both are valid: an out-of-range value already has its own message.
    const valid = timeoutMs >= 100 && timeoutMs <= 60_000 && retries >= 0 && retries <= 5;
    const budget = checkBudgetMs({ timeoutMs, retries });
    if (valid && budget > maxCheckBudgetMs) {
      ctx.addIssue({
        code: 'custom',
        // With the default timeout every allowed retries value fits, so timeoutMs is always given here.
        path: ['timeoutMs'],
        message: `timeoutMs x (retries + 1) is ${budget} ms, more than the ${maxCheckBudgetMs} ms one check may take`,
      });
    }
    if (input.keywordAbsent === true && input.keyword === undefined) {
      ctx.addIssue({ code: 'custom', path: ['keywordAbsent'], message: 'requires keyword' });
    }
    if (input.method === 'HEAD' && input.keyword !== undefined) {
      ctx.addIssue({
        code: 'custom',
        path: ['keyword'],
        message: 'cannot be checked with method HEAD (no body)',
      });
    }
    if (input.method === 'HEAD' && input.jsonPath !== undefined) {
      ctx.addIssue({
        code: 'custom',
        path: ['jsonPath'],
        message: 'cannot be checked with method HEAD (no body)',
      });
    }
  });

/**
 * Zod schema of {@link MonitorPatch}: the fields of {@link monitorInputSchema}, each optional, where
 * `keyword` and `jsonPath` may be `null` (the check is removed), plus `paused` and `public`. The
 * combination rules apply to the merged monitor ({@link applyMonitorPatch}).
 */
export const monitorPatchSchema = z
  .strictObject({
    ...monitorInputSchema.shape,
    keyword: monitorInputSchema.shape.keyword.unwrap().nullable().optional(),
    jsonPath: monitorInputSchema.shape.jsonPath.unwrap().nullable().optional(),
    paused: z.boolean({ error: 'must be a boolean' }).optional(),
    public: z.boolean({ error: 'must be a boolean' }).optional(),
  })
  .superRefine((patch, ctx) => {
    // A target no kind takes is refused at once; one for another kind than the monitor's, on merging.
    if (patch.url === undefined) return;
    const kinds = patch.kind === undefined ? (['http', 'tcp', 'tls', 'dns'] as const) : [patch.kind];
    const problems = kinds.map((kind) => targetProblem(kind, patch.url ?? ''));
    const first = problems[0];
    if (first !== undefined && problems.every((problem) => problem !== undefined)) {
      ctx.addIssue({ code: 'custom', path: ['url'], message: first });
    }
  });

/** A validated patch: `null` removes a check. */
export type ParsedMonitorPatch = Omit<MonitorPatch, 'keyword' | 'jsonPath'> & {
  keyword?: string | null;
  jsonPath?: MonitorInput['jsonPath'] | null;
};

/** Outcome of {@link parseMonitorInput}. */
export type ParseResult<T> = { success: true; data: T } | { success: false; error: string };

function formatPath(path: readonly PropertyKey[]): string {
  let text = '';
  for (const part of path) {
    text += typeof part === 'number' ? `[${part}]` : `${text === '' ? '' : '.'}${String(part)}`;
  }
  return text;
}

/** One line naming every bad field, e.g. `timeoutMs: must be an integer between 100 and 60000`. */
export function formatIssues(issues: readonly z.core.$ZodIssue[]): string {
  const lines: string[] = [];
  for (const issue of issues) {
    const at = formatPath(issue.path);
    if (issue.code === 'unrecognized_keys') {
      for (const key of issue.keys) lines.push(`${at === '' ? key : `${at}.${key}`}: unknown field`);
    } else if (at === '') {
      lines.push(`body: ${issue.code === 'invalid_type' ? 'must be a JSON object' : issue.message}`);
    } else {
      lines.push(`${at}: ${issue.message}`);
    }
  }
  return lines.join('; ');
}

/** Validate an untrusted `POST /monitors` body. On failure `error` names every bad field. */
export function parseMonitorInput(body: unknown): ParseResult<MonitorInput> {
  const parsed = monitorInputSchema.safeParse(body);
  if (!parsed.success) return { success: false, error: formatIssues(parsed.error.issues) };
  return { success: true, data: parsed.data };
}

/** Validate an untrusted `PATCH /monitors/{monitorId}` body: at least one known field. */
export function parseMonitorPatch(body: unknown): ParseResult<ParsedMonitorPatch> {
  const parsed = monitorPatchSchema.safeParse(body);
  if (!parsed.success) return { success: false, error: formatIssues(parsed.error.issues) };
  if (Object.keys(parsed.data).length === 0) {
    return { success: false, error: 'body: must name at least one field to change' };
  }
  return { success: true, data: parsed.data };
}

/** The settings of `monitor` as the input that would create it. */
export function toMonitorInput(monitor: Monitor): MonitorInput {
  const kind = kindOf(monitor);
  if (kind !== 'http') return kindInput(monitor, kind);
  const input: MonitorInput = {
    url: monitor.url,
    name: monitor.name,
    method: monitor.method,
    expectedStatus: monitor.expectedStatus,
    timeoutMs: monitor.timeoutMs,
    retries: monitor.retries,
    keywordAbsent: monitor.keywordAbsent,
    maxRedirects: monitor.maxRedirects,
    tlsWarningDays: [...monitor.tlsWarningDays],
  };
  if (monitor.keyword !== undefined) input.keyword = monitor.keyword;
  if (monitor.jsonPath !== undefined) input.jsonPath = { ...monitor.jsonPath };
  if (monitor.channelIds !== undefined) input.channelIds = [...monitor.channelIds];
  if (monitor.kind !== undefined) input.kind = monitor.kind;
  if (monitor.intervalMinutes !== undefined) input.intervalMinutes = monitor.intervalMinutes;
  return input;
}

/** The input of a monitor of another kind than http: its own settings only (the http ones are defaults). */
function kindInput(monitor: Monitor, kind: MonitorKind): MonitorInput {
  const input: Record<string, unknown> = { url: monitor.url, name: monitor.name, kind };
  if (monitor.intervalMinutes !== undefined) input.intervalMinutes = monitor.intervalMinutes;
  for (const field of kindSettings[kind]) {
    const value = monitor[field as keyof Monitor];
    if (value !== undefined) input[field] = Array.isArray(value) ? [...value] : value;
  }
  // A push monitor's target is made for it, never given.
  if (kind === 'push') delete input.url;
  return input as unknown as MonitorInput;
}

/**
 * `monitor` with `patch` applied and the whole validated again (so `method: 'HEAD'` on a monitor with a
 * keyword is refused, naming `keyword`). Identity, owner and creation time never change; `paused` and
 * `public` are taken from the patch when given. Removing `keyword` also clears `keywordAbsent`.
 */
export function applyMonitorPatch(monitor: Monitor, patch: ParsedMonitorPatch): ParseResult<Monitor> {
  const { paused, public: isPublic, keyword, jsonPath, ...settings } = patch;
  const kind = kindOf(monitor);
  if (
    settings.kind !== undefined &&
    settings.kind !== kind &&
    (kind === 'push' || settings.kind === 'push')
  ) {
    return {
      success: false,
      error: `kind: a ${kind} monitor cannot become a ${settings.kind} monitor (push monitors keep their kind: delete it and add another)`,
    };
  }
  const base: Record<string, unknown> = { ...toMonitorInput(monitor) };
  if (settings.kind !== undefined && settings.kind !== kind) {
    // The settings of the old kind go; those of the new one come from the patch or the defaults.
    for (const field of Object.keys(base)) {
      const key = field as keyof MonitorInput;
      if (isSettingOf(kind, key) && !isSettingOf(settings.kind, key)) delete base[field];
    }
  }
  const merged: Record<string, unknown> = { ...base, ...settings };
  if (keyword === null) {
    delete merged.keyword;
    if (settings.keywordAbsent === undefined) merged.keywordAbsent = false;
  } else if (keyword !== undefined) merged.keyword = keyword;
  if (jsonPath === null) delete merged.jsonPath;
  else if (jsonPath !== undefined) merged.jsonPath = jsonPath;
  const input = parseMonitorInput(merged);
  if (!input.success) return input;
  const next = createMonitor(input.data, new Date(monitor.createdAt), {
    monitorId: monitor.monitorId,
    ownerId: monitor.ownerId,
    public: isPublic ?? monitor.public,
  });
  next.paused = paused ?? monitor.paused;
  return { success: true, data: next };
}

/** What `{monitorId}` in a route may be: the ids this API makes, at most 64 characters. */
export const MONITOR_ID_PATTERN = /^[a-z0-9][a-z0-9-]{0,63}$/;

/** Validate a `{monitorId}` path parameter. */
export function parseMonitorId(value: string | null | undefined): ParseResult<string> {
  if (value === undefined || value === null || value === '') {
    return { success: false, error: 'monitorId: is required' };
  }
  if (!MONITOR_ID_PATTERN.test(value)) {
    return {
      success: false,
      error: 'monitorId: must be a monitor id (1 to 64 characters: a-z, 0-9 and -)',
    };
  }
  return { success: true, data: value };
}
