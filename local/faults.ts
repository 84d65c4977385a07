/**
 * The local cloud's fault switch: cut a region off from targets (`host:port`), so a test or a demo shows
 * one probe region failing without an alert and a quorum failing with one (docs/health.md, Several
 * regions). The switch is a JSON file, `.kumo/faults.json`, written at start from kumo.local.json's
 * `faults` and changed by `npm run fault`; each function process reads it on every outgoing
 * connection (local/runner/fault-switch.ts), so a change applies at once, with no restart.
 */
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { writeAtomic } from './build/write-atomic.js';

/** Targets each region cannot reach: `{ "eu-west-1": ["127.0.0.1:4500"] }`. */
export interface Faults {
  regions: Record<string, string[]>;
}

export const FAULTS_FILE = 'faults.json';

/** The environment variable that points function processes at the file. */
export const FAULTS_FILE_VARIABLE = 'KUMO_FAULTS_FILE';

export function faultsPath(kumoDir: string): string {
  return path.join(kumoDir, FAULTS_FILE);
}

/**
 * `http://localhost:4500/health`, `localhost:4500` or `127.0.0.1:4500` → `127.0.0.1:4500`: what a
 * connection's address looks like (the checker connects to the address it resolved and checked).
 *
 * @throws Error when the target has no port
 */
export function normalizeTarget(target: string): string {
  const text = target.trim();
  const url = new URL(/^[a-z][a-z0-9+.-]*:\/\//i.test(text) ? text : `tcp://${text}`);
  const port = url.port || (url.protocol === 'https:' ? '443' : url.protocol === 'http:' ? '80' : '');
  if (port === '') throw new Error(`${target}: give a port (host:port) or an http(s) URL`);
  const host = url.hostname.replace(/^\[|\]$/g, '');
  return `${host === 'localhost' ? '127.0.0.1' : host}:${port}`;
}

/** Parse kumo.local.json's `faults` (or the file), naming what is wrong. */
export function parseFaults(value: unknown): Faults {
  if (value === undefined || value === null) return { regions: {} };
  const regions = (value as { regions?: unknown }).regions;
  if (
    typeof value !== 'object' ||
    (regions !== undefined && (typeof regions !== 'object' || regions === null))
  ) {
    throw new Error('faults must be { "regions": { "<region>": ["host:port", ...] } }');
  }
  const out: Record<string, string[]> = {};
  for (const [region, targets] of Object.entries((regions ?? {}) as Record<string, unknown>)) {
    if (!Array.isArray(targets) || targets.some((t) => typeof t !== 'string')) {
      throw new Error(`faults.regions.${region} must be a list of host:port targets`);
    }
    out[region] = [...new Set(targets.map((t) => normalizeTarget(t as string)))];
  }
  return { regions: out };
}

export async function readFaults(kumoDir: string): Promise<Faults> {
  try {
    return parseFaults(JSON.parse(await readFile(faultsPath(kumoDir), 'utf8')));
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return { regions: {} };
    throw error;
  }
}

export async function writeFaults(kumoDir: string, faults: Faults): Promise<void> {
  await writeAtomic(faultsPath(kumoDir), `${JSON.stringify(faults, null, 2)}\n`);
}

/** Cut `region` off from `target`. */
export function cut(faults: Faults, region: string, target: string): Faults {
  const targets = new Set(faults.regions[region] ?? []);
  targets.add(normalizeTarget(target));
  return { regions: { ...faults.regions, [region]: [...targets] } };
}

/** Heal `region` (every region when undefined), or only its `target`. */
export function heal(faults: Faults, region?: string, target?: string): Faults {
  if (region === undefined) return { regions: {} };
  const regions = { ...faults.regions };
  if (target === undefined) delete regions[region];
  else {
    const left = (regions[region] ?? []).filter((t) => t !== normalizeTarget(target));
    if (left.length === 0) delete regions[region];
    else regions[region] = left;
  }
  return { regions };
}
