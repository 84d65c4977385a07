import { describe, expect, it } from 'vitest';
import {
  combineRegions,
  effectiveQuorum,
  judgeRegions,
  quorumFor,
  type RegionCheck,
} from '../../../../functions/health/domain/quorum.js';
import type { CheckResult } from '../../../../functions/health/domain/types.js';

const up = (region: string, latencyMs = 40): RegionCheck => ({
  region,
  status: 'UP',
  latencyMs,
  statusCode: 200,
});
const down = (region: string, error = 'connection refused'): RegionCheck => ({
  region,
  status: 'DOWN',
  latencyMs: 5,
  error,
});
const silent = (region: string): RegionCheck => ({ region, status: 'UNKNOWN', error: 'timed out' });

const homeResult = (status: 'UP' | 'DOWN'): CheckResult => ({
  monitorId: 'shop',
  checkedAt: '2026-12-06T04:00:00.000Z',
  status,
  latencyMs: status === 'UP' ? 30 : 10_000,
  attempts: status === 'UP' ? 1 : 2,
  ...(status === 'UP' ? { statusCode: 200 } : { error: 'timeout after 10000 ms' }),
});

describe('quorumFor', () => {
  it('defaults to a majority of the regions', () => {
    expect([1, 2, 3, 4, 5].map((count) => quorumFor(count))).toEqual([1, 2, 2, 3, 3]);
    expect(quorumFor(3, 0)).toBe(2);
  });

  it('takes a configured quorum, capped at the number of regions', () => {
    expect(quorumFor(3, 1)).toBe(1);
    expect(quorumFor(3, 3)).toBe(3);
    expect(quorumFor(3, 7)).toBe(3);
  });

  it('ignores a quorum that is not a positive integer', () => {
    expect(quorumFor(3, -1)).toBe(2);
    expect(quorumFor(3, 1.5)).toBe(2);
  });
});

describe('effectiveQuorum', () => {
  it('is the quorum while enough regions answered, a majority of those that did otherwise', () => {
    expect(effectiveQuorum(2, 3)).toBe(2);
    expect(effectiveQuorum(2, 2)).toBe(2);
    expect(effectiveQuorum(3, 2)).toBe(2);
    expect(effectiveQuorum(2, 1)).toBe(1);
    expect(effectiveQuorum(2, 0)).toBe(1);
  });
});

describe('judgeRegions', () => {
  it('one region of three down is not an outage', () => {
    const verdict = judgeRegions([down('us-east-1'), up('eu-west-1'), up('ap-south-1')], 2);
    expect(verdict).toMatchObject({ status: 'UP', down: 1, answered: 3, needed: 2 });
  });

  it('a quorum of regions down is', () => {
    const verdict = judgeRegions([down('us-east-1'), down('eu-west-1', 'HTTP 503'), up('ap-south-1')], 2);
    expect(verdict.status).toBe('DOWN');
    expect(verdict.summary).toBe(
      'DOWN: down in 2 of 3 regions (quorum 2): us-east-1 connection refused; eu-west-1 HTTP 503; ap-south-1 up',
    );
  });

  it('a silent region has no vote; the rest decide', () => {
    expect(judgeRegions([down('us-east-1'), silent('eu-west-1'), up('ap-south-1')], 2).status).toBe('UP');
    const alone = judgeRegions([down('us-east-1'), silent('eu-west-1'), silent('ap-south-1')], 2);
    expect(alone).toMatchObject({ status: 'DOWN', answered: 1, needed: 1 });
    expect(alone.summary).toContain('2 without an answer');
    expect(alone.summary).toContain('eu-west-1 no answer (timed out)');
  });

  it('nothing answered is not DOWN', () => {
    expect(judgeRegions([silent('a-b-1')], 1).status).toBe('UP');
  });
});

describe('combineRegions', () => {
  it('records the verdict, every region, and as the DOWN reason what each region saw', () => {
    const combined = combineRegions(
      { region: 'us-east-1', result: homeResult('DOWN') },
      [down('eu-west-1', 'HTTP 503'), up('ap-south-1')],
      2,
    );
    expect(combined.status).toBe('DOWN');
    expect(combined.regions.map((vote) => [vote.region, vote.status])).toEqual([
      ['us-east-1', 'DOWN'],
      ['eu-west-1', 'DOWN'],
      ['ap-south-1', 'UP'],
    ]);
    expect(combined.error).toMatch(
      /^DOWN: down in 2 of 3 regions \(quorum 2\): us-east-1 timeout after 10000 ms; eu-west-1 HTTP 503/,
    );
    expect(combined.attempts).toBe(2);
  });

  it("an UP verdict over a DOWN home region carries an agreeing region's measurements and no error", () => {
    const combined = combineRegions(
      { region: 'us-east-1', result: homeResult('DOWN') },
      [up('eu-west-1', 80), up('ap-south-1', 90)],
      2,
    );
    expect(combined).toMatchObject({ status: 'UP', latencyMs: 80, statusCode: 200 });
    expect(combined.error).toBeUndefined();
  });

  it("keeps the home region's certificate", () => {
    const result = { ...homeResult('UP'), cert: { validTo: '2027-01-01T00:00:00.000Z', daysRemaining: 26 } };
    const combined = combineRegions({ region: 'us-east-1', result }, [up('eu-west-1')], 2);
    expect(combined.cert).toEqual(result.cert);
  });
});
