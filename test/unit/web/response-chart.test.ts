import { describe, expect, it } from 'vitest';
import {
  type ChartCheck,
  chartWindow,
  checkSeries,
  formatCheckTime,
  localDateFormat,
  minWindowSeconds,
  xRange,
} from '../../../web/src/lib/response-chart.js';

const now = Date.parse('2026-03-10T12:00:00.000Z');
const clock = () => now;
const minutesAgo = (minutes: number) => new Date(now - minutes * 60_000).toISOString();
const down = (minutes: number): ChartCheck => ({
  checkedAt: minutesAgo(minutes),
  status: 'DOWN',
  latencyMs: 5000,
});
const up = (minutes: number, latencyMs = 120): ChartCheck => ({
  checkedAt: minutesAgo(minutes),
  status: 'UP',
  latencyMs,
});

/**
 * What uPlot 1.6 hands the x range function: the first and last x, except for a lone point, where a
 * time scale in seconds gets `min + 86400 / 1e-3` (1,000 days) as its max (uPlot's autoScaleX).
 */
function uPlotMinMax(xs: readonly number[]): [number, number] {
  const min = xs[0] as number;
  const max = xs[xs.length - 1] as number;
  return [min, min === max ? min + 86_400_000 : max];
}

function windowOf(results: readonly ChartCheck[], hours = 24): [number, number] {
  const series = checkSeries(results);
  const [min, max] = uPlotMinMax(series[0]);
  return xRange(hours, clock)({ data: series }, min, max);
}

describe('checkSeries()', () => {
  it('puts every check of a monitor that was only ever DOWN on the chart as a down mark, at its own time', () => {
    const results = [down(3), down(2), down(1)];
    const [xs, latencies, downs] = checkSeries(results);
    expect(xs).toEqual(results.map((r) => Date.parse(r.checkedAt) / 1000));
    expect(latencies).toEqual([null, null, null]);
    expect(downs).toEqual([0, 0, 0]);
  });

  it('draws UP latency and leaves a gap where the monitor was DOWN', () => {
    const [, latencies, downs] = checkSeries([up(3, 80), down(2), up(1, 95)]);
    expect(latencies).toEqual([80, null, 95]);
    expect(downs).toEqual([null, 0, null]);
  });
});

describe('xRange()', () => {
  it('shows the dates of a lone DOWN check (uPlot pads a lone point by 1,000 days), ending now', () => {
    const [start, end] = windowOf([down(1)]);
    expect(end).toBe(now / 1000);
    const check = Date.parse(minutesAgo(1)) / 1000;
    expect(start).toBeLessThan(check);
    expect(end).toBeGreaterThan(check);
  });

  it('shows the dates of a lone UP check as well', () => {
    const [start, end] = windowOf([up(5)]);
    expect(end).toBe(now / 1000);
    expect(start).toBeLessThan(Date.parse(minutesAgo(5)) / 1000);
  });
});

describe('chartWindow()', () => {
  const nowSeconds = now / 1000;

  it('spans the data it has when the checks cover less than the window, with a margin before the first', () => {
    const [start, end] = windowOf([up(120), down(60), up(1)]);
    expect(end).toBe(nowSeconds);
    expect(start).toBeLessThan(nowSeconds - 120 * 60);
    expect(start).toBeGreaterThan(nowSeconds - 130 * 60);
  });

  it('shows at least 15 minutes, so checks seconds old are not squeezed against the edge', () => {
    expect(chartWindow([nowSeconds - 10], nowSeconds, 24)).toEqual([
      nowSeconds - minWindowSeconds,
      nowSeconds,
    ]);
  });

  it('shows the whole window once the checks cover it, and never more', () => {
    expect(windowOf([up(24 * 60 - 1), up(600), up(1)])).toEqual([nowSeconds - 24 * 3600, nowSeconds]);
    expect(chartWindow([nowSeconds - 30 * 3600, nowSeconds - 60], nowSeconds, 24)).toEqual([
      nowSeconds - 24 * 3600,
      nowSeconds,
    ]);
  });

  it('shows the whole window without checks, and ends at a check stamped after now (clock skew)', () => {
    expect(chartWindow([], nowSeconds, 24)).toEqual([nowSeconds - 24 * 3600, nowSeconds]);
    const [, end] = chartWindow([nowSeconds + 5], nowSeconds, 24);
    expect(end).toBe(nowSeconds + 5);
  });
});

describe('formatCheckTime()', () => {
  it('gives the time alone for a check of today and the date with it for an older one', () => {
    const local = new Date(2026, 2, 10, 15, 4, 5);
    const today = formatCheckTime(local.toISOString(), new Date(2026, 2, 10, 18, 0, 0).getTime(), 'en-GB');
    expect(today).toBe('15:04:05');
    const older = formatCheckTime(local.toISOString(), new Date(2026, 2, 11, 9, 0, 0).getTime(), 'en-GB');
    expect(older).toMatch(/^10 Mar,? 15:04:05$/);
  });

  it('leaves a value that is not a date as it came', () => {
    expect(formatCheckTime('not a date', now)).toBe('not a date');
  });
});

describe('localDateFormat()', () => {
  const at = new Date(2026, 11, 6, 13, 45, 7, 250);

  it("formats uPlot's axis and legend templates in the reader's locale, line by line", () => {
    const de = localDateFormat('de');
    expect(de('{h}:{mm}{aa}')(at)).toBe('13:45');
    expect(de('{h}:{mm}{aa}\n{M}/{D}/{YY}')(at)).toBe('13:45\n6.12.26');
    expect(de('{YYYY}-{MM}-{DD} {h}:{mm}{aa}')(at)).toBe('06.12.2026, 13:45');
    const us = localDateFormat('en-US');
    expect(us('{h}:{mm}{aa}')(at)).toBe('1:45 PM');
    expect(us('\n{M}/{D}')(at)).toBe('\n12/6');
    expect(us('{MMM}')(at)).toBe('Dec');
    expect(us('{YYYY}')(at)).toBe('2026');
  });

  it('gives the seconds of a fine tick as uPlot does, and keeps literal text', () => {
    const format = localDateFormat('fr');
    expect(format(':{ss}')(at)).toBe(':07');
    expect(format(':{ss}.{fff}')(at)).toBe(':07.250');
    expect(format('')(at)).toBe('');
  });
});
