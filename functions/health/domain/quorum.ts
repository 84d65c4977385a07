/**
 * Several regions, one verdict: a monitor checked from the home region and from each probe region
 * (ProbeRegions) is DOWN only when a quorum of the regions that answered saw it down. One region's
 * network trouble is then not an outage, and the alert says which region saw what.
 *
 * A probe region that does not answer in time (its Lambda throttled, the region degraded) has no vote.
 * When fewer regions answered than the quorum, a majority of those that answered decides, so a run with every
 * probe region silent still judges from the home region alone: the checker degrades to what it was
 * before regions, it never goes blind (and says so: the run logs and counts the silent regions).
 */
import type { CheckResult, CheckStatus } from './types.js';

/** What one region saw of one monitor. `UNKNOWN`: the region did not answer (no vote). */
export interface RegionCheck {
  region: string;
  status: CheckStatus | 'UNKNOWN';
  latencyMs?: number;
  statusCode?: number;
  /** Why DOWN (or why UNKNOWN). */
  error?: string;
}

/**
 * The number of DOWN votes that make a monitor DOWN among `regionCount` regions: `configured` when it
 * is between 1 and `regionCount`, a majority otherwise (0 or blank in the template means "majority").
 */
export function quorumFor(regionCount: number, configured?: number): number {
  const count = Math.max(1, Math.floor(regionCount));
  const majority = Math.floor(count / 2) + 1;
  if (configured === undefined || !Number.isInteger(configured) || configured < 1) return majority;
  return Math.min(configured, count);
}

/**
 * The votes needed among the `answered` regions: the quorum while enough regions answered to reach it,
 * else a majority of those that did (one answering region decides alone).
 */
export function effectiveQuorum(quorum: number, answered: number): number {
  if (answered <= 0) return 1;
  return answered >= quorum ? quorum : Math.floor(answered / 2) + 1;
}

function describe(check: RegionCheck): string {
  if (check.status === 'UP') return `${check.region} up`;
  if (check.status === 'UNKNOWN') return `${check.region} no answer${check.error ? ` (${check.error})` : ''}`;
  return `${check.region} ${check.error ?? 'down'}`;
}

/** The verdict over every region's check of one monitor, as the home run records and alerts it. */
export interface RegionVerdict {
  status: CheckStatus;
  down: number;
  answered: number;
  needed: number;
  /** One line naming what each region saw: "DOWN in 2 of 3 regions (quorum 2): ...". */
  summary: string;
}

/** Count the votes of `checks` (home first) against `quorum` ({@link quorumFor}). */
export function judgeRegions(checks: readonly RegionCheck[], quorum: number): RegionVerdict {
  const voting = checks.filter((check) => check.status !== 'UNKNOWN');
  const down = voting.filter((check) => check.status === 'DOWN').length;
  const needed = effectiveQuorum(quorum, voting.length);
  const status: CheckStatus = voting.length > 0 && down >= needed ? 'DOWN' : 'UP';
  const parts = checks.map(describe).join('; ');
  const counted = `${down} of ${voting.length} region${voting.length === 1 ? '' : 's'}`;
  const silent = checks.length - voting.length;
  const degraded = silent > 0 ? `, ${silent} without an answer` : '';
  const summary = `${status === 'DOWN' ? 'DOWN' : 'UP'}: down in ${counted} (quorum ${needed}${degraded}): ${parts}`;
  return { status, down, answered: voting.length, needed, summary };
}

/** The home region's own result as a vote. */
export function homeVote(region: string, result: CheckResult): RegionCheck {
  return {
    region,
    status: result.status,
    latencyMs: result.latencyMs,
    ...(result.statusCode === undefined ? {} : { statusCode: result.statusCode }),
    ...(result.error === undefined ? {} : { error: result.error }),
  };
}

/**
 * The result the home run records for a monitor checked in several regions: the verdict's status, the
 * home region's measurements when it agrees with the verdict (else the first region that does), the
 * per-region checks, and as the error of a DOWN result the summary that the DOWN alert carries.
 */
export function combineRegions(
  home: { region: string; result: CheckResult },
  remote: readonly RegionCheck[],
  quorum: number,
): CheckResult & { regions: RegionCheck[] } {
  const checks = [homeVote(home.region, home.result), ...remote];
  const verdict = judgeRegions(checks, quorum);
  const { error: _homeError, statusCode: _homeCode, cert, ...base } = home.result;
  const combined: CheckResult & { regions: RegionCheck[] } = {
    ...base,
    status: verdict.status,
    regions: checks,
  };
  if (cert !== undefined) combined.cert = cert;
  const witness = checks.find((check) => check.status === verdict.status) ?? checks[0];
  if (witness?.latencyMs !== undefined) combined.latencyMs = Math.round(witness.latencyMs);
  if (witness?.statusCode !== undefined) combined.statusCode = witness.statusCode;
  if (verdict.status === 'DOWN') combined.error = verdict.summary;
  return combined;
}
