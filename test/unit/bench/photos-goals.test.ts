import { describe, expect, it } from 'vitest';
import {
  goalRows,
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

describe('Function: goalRows()', () => {
  it('judges the API p99 against its floor and the throughput against main, with the errors and uploads', () => {
    const main = MAIN_RPS[FEED] ?? Number.NaN;
    const rows = goalRows(measured(result(main * 3, 600), result(600, 200)), [900, 1_200]);

    expect(rows).toEqual([
      ['goal', 'route', 'figure', 'goal', 'met'],
      ['API p99 / floor p99', FEED, '3.00x', '<= 3x', 'yes'],
      ['req/s / floor req/s', FEED, `${((main * 3) / 600).toFixed(2)}x`, '', ''],
      ['req/s / baseline req/s', FEED, `${((main * 3) / 1000).toFixed(2)}x`, '', ''],
      [`req/s / main's (${main})`, FEED, '3.00x', '>= 3x', 'yes'],
      ['errors (API, every route)', 'all', 0, '0', 'yes'],
      ['upload -> READY (warm, max)', 'POST /photos + S3', '1.20 s', '<= 3.00 s', 'yes'],
    ]);
  });

  it('says NO for each goal missed: a slow p99, too little throughput, an error, a slow upload', () => {
    const rows = goalRows(measured(result(10, 700, 2), result(600, 200)), [3_100]);

    const met = Object.fromEntries(rows.slice(1).map((row) => [String(row[0]).split(' (')[0], row[4]]));
    expect(met).toMatchObject({
      'API p99 / floor p99': 'NO',
      "req/s / main's": 'NO',
      errors: 'NO',
      'upload -> READY': 'NO',
    });
    expect(rows.find((row) => String(row[0]).startsWith('errors'))?.[2]).toBe(2);
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
