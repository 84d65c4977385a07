import { describe, expect, it } from 'vitest';
import {
  fillTimes,
  formatLogLine,
  matchesFilter,
  parseLogLine,
  parseSince,
} from '../../../local/cli/log-lines.js';

const POWERTOOLS =
  '{"level":"INFO","message":"item read","timestamp":"2026-11-27T17:11:47.605Z","service":"items","cold_start":true,"function_request_id":"req-1","correlation_id":"corr-1","photoId":"abc"}';
const EMF =
  '{"_aws":{"Timestamp":1795799507580,"CloudWatchMetrics":[{"Namespace":"Kumo/Health","Dimensions":[["service"]],"Metrics":[{"Name":"MonitorsDown","Unit":"Count"}]}]},"service":"health-checker","MonitorsDown":2}';

describe('Function: parseLogLine()', () => {
  it('reads a Powertools line: level, time, message, request and correlation ids, other keys', () => {
    expect(parseLogLine(POWERTOOLS)).toMatchObject({
      kind: 'json',
      level: 'INFO',
      message: 'item read',
      timeMs: Date.parse('2026-11-27T17:11:47.605Z'),
      requestId: 'req-1',
      correlationId: 'corr-1',
      extra: { photoId: 'abc' },
    });
  });

  it('reads an EMF document as its metric values', () => {
    expect(parseLogLine(EMF)).toMatchObject({
      kind: 'metrics',
      message: 'MonitorsDown=2',
      timeMs: 1795799507580,
    });
  });

  it("reads Lambda's console format and the platform lines", () => {
    expect(parseLogLine('2026-11-27T17:11:47.700Z\treq-1\tWARN\tcareful')).toMatchObject({
      kind: 'text',
      level: 'WARN',
      message: 'careful',
      requestId: 'req-1',
    });
    expect(parseLogLine('START RequestId: req-1 Version: $LATEST')).toMatchObject({
      kind: 'platform',
      requestId: 'req-1',
    });
    expect(parseLogLine('{not json')).toMatchObject({ kind: 'other', message: '{not json' });
  });
});

describe('Function: fillTimes()', () => {
  it('gives START the time of the lines after it, and END/REPORT the time before them', () => {
    const lines = fillTimes(
      ['START RequestId: r Version: $LATEST', POWERTOOLS, 'END RequestId: r'].map(parseLogLine),
    );
    expect(lines.map((l) => l.timeMs)).toEqual(Array(3).fill(Date.parse('2026-11-27T17:11:47.605Z')));
  });
});

describe('Function: parseSince()', () => {
  it('reads durations and date-times, and refuses anything else', () => {
    expect(parseSince('10m', 1_000_000)).toBe(400_000);
    expect(parseSince('2h', 10_000_000)).toBe(2_800_000);
    expect(parseSince('2026-11-27T17:00:00Z')).toBe(Date.parse('2026-11-27T17:00:00Z'));
    expect(parseSince('10 minutes')).toBeUndefined();
  });
});

describe('Function: formatLogLine()', () => {
  it('shows time, level, message, correlation id and other keys; colour only when asked', () => {
    const line = parseLogLine(POWERTOOLS);
    expect(formatLogLine(line, false)).toBe('17:11:47.605 INFO   item read (corr-1) {"photoId":"abc"}');
    expect(formatLogLine(line, true)).toContain('\u001b[32mINFO');
    expect(matchesFilter(line, 'PHOTOID')).toBe(true);
    expect(matchesFilter(line, 'nothing like it')).toBe(false);
  });
});
