import { describe, expect, it } from 'vitest';
import {
  incidentChange,
  parseIncidentLimit,
  toPublicIncident,
} from '../../../../functions/health/domain/incidents.js';
import type { MonitorState } from '../../../../functions/health/domain/types.js';
import { makeResult } from '../../../helpers/factories.js';

const REGIONS = ['eu-west-1'];
const up: MonitorState = { status: 'UP', since: '2025-01-15T10:00:00.000Z' };
const down: MonitorState = {
  status: 'DOWN',
  since: '2025-01-15T11:00:00.000Z',
  lastError: 'connection refused (ECONNREFUSED)',
};

describe('Function: incidentChange()', () => {
  it("opens an incident on a transition into DOWN, with the failing check's error and the regions", () => {
    const result = makeResult({ status: 'DOWN', checkedAt: down.since, error: down.lastError });
    expect(incidentChange('m-1', up, down, result, REGIONS)).toEqual({
      monitorId: 'm-1',
      incidentId: '2025-01-15T11:00:00.000Z',
      start: '2025-01-15T11:00:00.000Z',
      reason: 'connection refused (ECONNREFUSED)',
      regions: ['eu-west-1'],
    });
    const pending: MonitorState = { status: 'PENDING', since: '2025-01-15T09:00:00.000Z' };
    expect(incidentChange('m-1', pending, down, result, REGIONS)?.start).toBe(down.since);
  });

  it('marks an incident that began inside a maintenance window', () => {
    const result = makeResult({ status: 'DOWN', checkedAt: down.since, maintenance: true });
    expect(incidentChange('m-1', up, down, result, REGIONS)?.maintenance).toBe(true);
  });

  it('closes it on the transition out of DOWN, whole, with its duration', () => {
    const result = makeResult({ status: 'UP', checkedAt: '2025-01-15T11:42:30.000Z' });
    const next: MonitorState = { status: 'UP', since: result.checkedAt };
    expect(incidentChange('m-1', down, next, result, REGIONS)).toEqual({
      monitorId: 'm-1',
      incidentId: '2025-01-15T11:00:00.000Z',
      start: '2025-01-15T11:00:00.000Z',
      end: '2025-01-15T11:42:30.000Z',
      durationMs: 2_550_000,
      reason: 'connection refused (ECONNREFUSED)',
      regions: ['eu-west-1'],
    });
  });

  it('does nothing on a transition that neither enters nor leaves DOWN', () => {
    const pending: MonitorState = { status: 'PENDING', since: '2025-01-15T09:00:00.000Z' };
    expect(incidentChange('m-1', pending, up, makeResult(), REGIONS)).toBeUndefined();
    expect(incidentChange('m-1', up, up, makeResult(), REGIONS)).toBeUndefined();
    expect(incidentChange('m-1', down, down, makeResult({ status: 'DOWN' }), REGIONS)).toBeUndefined();
  });
});

describe('Function: toPublicIncident()', () => {
  it('replaces the reason by its category and drops the monitor id', () => {
    expect(
      toPublicIncident({
        monitorId: 'm-1',
        incidentId: down.since,
        start: down.since,
        reason: 'keyword "secret token" not found',
        regions: REGIONS,
      }),
    ).toEqual({
      incidentId: down.since,
      start: down.since,
      reason: 'keyword check failed',
      regions: REGIONS,
    });
  });
});

describe('Function: parseIncidentLimit()', () => {
  it('defaults to 20 and accepts 1..100', () => {
    expect(parseIncidentLimit(undefined)).toEqual({ success: true, data: 20 });
    expect(parseIncidentLimit('100')).toEqual({ success: true, data: 100 });
    for (const bad of ['0', '101', '-1', '1.5', 'ten']) {
      expect(parseIncidentLimit(bad), bad).toEqual({
        success: false,
        error: 'limit: must be an integer between 1 and 100',
      });
    }
  });
});
