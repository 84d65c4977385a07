import { describe, expect, it } from 'vitest';
import {
  cpuRows,
  goalsOf,
  type LoadResult,
  MAIN_RPS,
  type Measured,
  routeRows,
} from '../../../bench/photos/index.js';

function result(rps: number, p99: number, errors = 0): LoadResult {
  return { requests: rps * 15, errors, p50: p99 / 2, p99, rps };
}

const FEED = 'GET /photos (feed, 24)';

function measured(api: LoadResult, floor: LoadResult): Measured[] {
  return [
    { name: 'GET /health (baseline)', alone: result(1000, 2), result: result(1000, 100) },
    { name: FEED, alone: result(100, 10), result: api, floor },
  ];
}

describe('Function: goalsOf()', () => {
  it('judges the API p99 against its floor and the throughput against main, with the errors and uploads', () => {
    const main = MAIN_RPS[FEED] ?? Number.NaN;
    const goals = goalsOf(measured(result(main * 3, 600), result(600, 200)), [900, 1_200]);
    const byFigure = Object.fromEntries(goals.map((goal) => [goal.figure, goal]));
    expect(byFigure[`${FEED}: p99 / floor p99`]).toMatchObject({ ratio: 3, goal: '<= 3x', met: true });
    expect(byFigure[`${FEED}: req/s / floor req/s`]?.met).toBeUndefined();
    expect(byFigure[`${FEED}: req/s / main's`]).toMatchObject({ goal: '>= 3x', met: true });
    expect(byFigure['errors (API, every route)']).toMatchObject({ measured: '0', met: true });
    expect(byFigure['upload → READY, slowest warm']).toMatchObject({ measured: '1.20 s', met: true });
  });

  it('misses each goal it should: a slow p99, too little throughput, an error, a slow upload', () => {
    const goals = goalsOf(measured(result(10, 700, 2), result(600, 200)), [3_100]);
    const missed = goals.filter((goal) => goal.met === false).map((goal) => goal.figure);
    expect(missed).toEqual([
      `${FEED}: p99 / floor p99`,
      `${FEED}: req/s / main's`,
      'errors (API, every route)',
      'upload → READY, slowest warm',
    ]);
  });
});

describe('Function: routeRows()', () => {
  it('puts each floor under its route, every p99 against the baseline', () => {
    const rows = routeRows(measured(result(100, 300), result(200, 150)));

    expect(rows.map((row) => [row[0], row[7]])).toEqual([
      ['route', 'p99 / baseline'],
      ['GET /health (baseline)', '1.00x'],
      [FEED, '3.00x'],
      ['  floor: its DynamoDB query', '1.50x'],
    ]);
  });
});

describe('Function: cpuRows()', () => {
  it('gives each route and floor its CPU per request, n/a where the children were not read', () => {
    const api = { ...result(100, 300), cpu: { selfMs: 3.25, childrenMs: 4.5 } };
    const floor = { ...result(200, 150), cpu: { selfMs: 1.5, childrenMs: undefined } };
    const rows = cpuRows(measured(api, floor));

    expect(rows).toEqual([
      ['route', 'this process', 'function processes', 'total'],
      ['GET /health (baseline)', 'n/a', 'n/a', 'n/a'],
      [FEED, '3.25', '4.50', '7.75'],
      ['  floor: its DynamoDB query', '1.50', 'n/a', 'n/a'],
    ]);
  });
});
