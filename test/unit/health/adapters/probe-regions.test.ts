import { describe, expect, it } from 'vitest';
import {
  MemoryAlertPublisher,
  MemoryMonitorStore,
  MemoryResultStore,
} from '../../../../functions/health/adapters/memory-stores.js';
import {
  createRegionalProbes,
  type RegionInvoker,
} from '../../../../functions/health/adapters/probe-regions.js';
import { loadRegionConfig } from '../../../../functions/health/adapters/region-config.js';
import { silentLogger } from '../../../../functions/health/domain/ports.js';
import type { Prober } from '../../../../functions/health/domain/probe.js';
import type { ProbeRequest } from '../../../../functions/health/domain/probe-region.js';
import { runChecks } from '../../../../functions/health/domain/run.js';
import { makeMonitor, makeOutcome, makeRecord, NOW } from '../../../helpers/factories.js';

const shop = makeMonitor({ url: 'https://shop.example.com/' });
const blog = makeMonitor({ url: 'https://blog.example.com/' });

/** A region answering each monitor UP or DOWN from `down` (monitor ids seen down there). */
function regionSaying(down: Record<string, string[]>): RegionInvoker & { asked: string[] } {
  const asked: string[] = [];
  const invoke = async (region: string, request: ProbeRequest) => {
    asked.push(region);
    return {
      region,
      checks: request.monitors.map((monitor) =>
        down[region]?.includes(monitor.monitorId)
          ? {
              monitorId: monitor.monitorId,
              region,
              status: 'DOWN',
              latencyMs: 3,
              error: 'connection refused',
            }
          : { monitorId: monitor.monitorId, region, status: 'UP', latencyMs: 50, statusCode: 200 },
      ),
    };
  };
  return Object.assign(invoke, { asked });
}

const homeDownFor =
  (ids: string[]): Prober =>
  async (request) =>
    [shop, blog].some((m) => ids.includes(m.monitorId) && m.url === request.url)
      ? makeOutcome({ statusCode: undefined, body: undefined, errorKind: 'connectionRefused' })
      : makeOutcome();

async function run(
  invoke: RegionInvoker,
  homeDown: string[],
  records = [makeRecord(shop), makeRecord(blog)],
) {
  const monitors = new MemoryMonitorStore(records);
  const alerts = new MemoryAlertPublisher();
  const regions = createRegionalProbes({
    homeRegion: 'us-east-1',
    regions: ['eu-west-1', 'ap-south-1'],
    quorum: 2,
    invoke,
    logger: silentLogger,
  });
  const summary = await runChecks(
    { monitors, results: new MemoryResultStore(), alerts, probe: homeDownFor(homeDown), regions },
    { concurrency: 4, clock: () => NOW, writeDelayMs: 0 },
  );
  return { summary, alerts: alerts.alerts, monitors };
}

describe('runChecks with probe regions', () => {
  it('asks every probe region once per run', async () => {
    const invoke = regionSaying({});
    await run(invoke, []);
    expect(invoke.asked.sort()).toEqual(['ap-south-1', 'eu-west-1']);
  });

  it('one region cut off from a site raises no alert', async () => {
    const { summary, alerts } = await run(regionSaying({ 'eu-west-1': [shop.monitorId] }), []);
    expect(summary.down).toBe(0);
    expect(alerts).toEqual([]);
    const check = summary.checks.find((c) => c.monitor.monitorId === shop.monitorId);
    expect(check?.result.regions?.map((vote) => vote.status)).toEqual(['UP', 'DOWN', 'UP']);
  });

  it('a quorum down raises one alert that names what each region saw', async () => {
    const { summary, alerts } = await run(regionSaying({ 'eu-west-1': [shop.monitorId] }), [shop.monitorId]);
    expect(summary.down).toBe(1);
    expect(alerts).toHaveLength(1);
    expect(alerts[0]).toMatchObject({ type: 'MONITOR_DOWN', monitorId: shop.monitorId });
    expect(alerts[0]?.reason).toMatch(
      /down in 2 of 3 regions \(quorum 2\): us-east-1 .*; eu-west-1 connection refused; ap-south-1 up/,
    );
  });

  it('a region that fails has no vote and is named; the others decide', async () => {
    const failing: RegionInvoker = async (region, request) => {
      if (region === 'eu-west-1') throw new Error('Rate exceeded');
      return regionSaying({ 'ap-south-1': [shop.monitorId] })(region, request, AbortSignal.timeout(1000));
    };
    const { alerts } = await run(failing, [shop.monitorId]);
    expect(alerts).toHaveLength(1);
    expect(alerts[0]?.reason).toContain('eu-west-1 no answer (Rate exceeded)');
  });

  it('a region answering for monitors it was not asked about, or nonsense, is ignored', async () => {
    const odd: RegionInvoker = async () => ({
      checks: [{ monitorId: 'someone-else', status: 'DOWN' }, 42, null],
    });
    const { summary } = await run(odd, [shop.monitorId]);
    const votes = summary.checks.find((c) => c.monitor.monitorId === shop.monitorId)?.result.regions ?? [];
    expect(votes.slice(1).map((vote) => [vote.status, vote.error])).toEqual([
      ['UNKNOWN', 'no answer for this monitor'],
      ['UNKNOWN', 'no answer for this monitor'],
    ]);
    // Two silent regions: the home region decides alone.
    expect(summary.down).toBe(1);
  });
});

describe('loadRegionConfig', () => {
  const base = { AWS_REGION: 'us-east-1', PROBE_FUNCTION_NAME: 'kumo-probe' };

  it('is off without probe regions, or with only the home region', () => {
    expect(loadRegionConfig(base)).toBeUndefined();
    expect(loadRegionConfig({ ...base, PROBE_REGIONS: ' us-east-1 ' })).toBeUndefined();
  });

  it('lists the other regions once, with a majority quorum by default', () => {
    expect(loadRegionConfig({ ...base, PROBE_REGIONS: 'eu-west-1,us-east-1, ap-south-1,eu-west-1' })).toEqual(
      {
        homeRegion: 'us-east-1',
        regions: ['eu-west-1', 'ap-south-1'],
        quorum: 2,
        functionName: 'kumo-probe',
      },
    );
    expect(
      loadRegionConfig({ ...base, PROBE_REGIONS: 'eu-west-1,ap-south-1', PROBE_QUORUM: '3' })?.quorum,
    ).toBe(3);
  });

  it('names what is wrong', () => {
    expect(() => loadRegionConfig({ ...base, PROBE_REGIONS: 'mars-1' })).toThrow(
      /PROBE_REGIONS has invalid regions mars-1/,
    );
    expect(() => loadRegionConfig({ AWS_REGION: 'us-east-1', PROBE_REGIONS: 'eu-west-1' })).toThrow(
      /PROBE_FUNCTION_NAME/,
    );
    expect(() => loadRegionConfig({ ...base, PROBE_REGIONS: 'eu-west-1', PROBE_QUORUM: 'two' })).toThrow(
      /PROBE_QUORUM/,
    );
  });
});
