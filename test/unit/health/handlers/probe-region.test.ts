import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { maxMonitorsPerProbeRequest } from '../../../../functions/health/domain/probe-region.js';
import { lambdaContext, makeMonitor } from '../../../helpers/factories.js';

vi.hoisted(() => {
  Object.assign(process.env, {
    AWS_REGION: 'eu-west-1',
    HEALTH_ALLOW_PRIVATE_TARGETS: 'true',
    POWERTOOLS_SERVICE_NAME: 'health-probe',
    POWERTOOLS_METRICS_NAMESPACE: 'Kumo/Health',
    POWERTOOLS_METRICS_DISABLED: 'true',
  });
});

const { probeRegion, answerMarginMs } = await import('../../../../functions/health/handlers/probe-region.js');
const { tracer } = await import('../../../../functions/lib/powertools.js');

let server: Server;
let base: string;

beforeAll(async () => {
  server = createServer((request, response) => {
    if (request.url === '/hang') return; // never answers
    response.statusCode = request.url === '/broken' ? 503 : 200;
    response.end('ok');
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});

afterAll(async () => {
  server.closeAllConnections();
  await new Promise((resolve) => server.close(resolve));
});

describe('ProbeFunction', () => {
  it('checks each monitor from its region and answers in order, storing nothing', async () => {
    const up = makeMonitor({ url: `${base}/ok`, retries: 0 });
    const broken = makeMonitor({ url: `${base}/broken`, retries: 0 });
    const answer = await probeRegion({ monitors: [up, broken] }, lambdaContext());
    expect(answer.region).toBe('eu-west-1');
    expect(answer.checks.map((check) => [check.monitorId, check.status, check.statusCode])).toEqual([
      [up.monitorId, 'UP', 200],
      [broken.monitorId, 'DOWN', 503],
    ]);
    expect(answer.checks[1]?.error).toMatch(/503/);
  });

  it("stops at the home run's deadline: what is left is UNKNOWN, not DOWN", async () => {
    const hanging = makeMonitor({ url: `${base}/hang`, retries: 0, timeoutMs: 20_000 });
    const started = Date.now();
    const answer = await probeRegion(
      { monitors: [hanging], deadline: Date.now() + answerMarginMs + 300 },
      lambdaContext(),
    );
    expect(Date.now() - started).toBeLessThan(5_000);
    expect(answer.checks).toEqual([
      {
        monitorId: hanging.monitorId,
        region: 'eu-west-1',
        status: 'UNKNOWN',
        error: 'not checked before the deadline',
      },
    ]);
  });

  it('refuses a malformed request and probes nothing', async () => {
    const cases: [unknown, RegExp][] = [
      [null, /monitors must be an array/],
      [{ monitors: 'all' }, /monitors must be an array/],
      [{ monitors: [{ monitorId: 'x', url: 5 }] }, /monitors\[0\]: url/],
      [{ monitors: [{ ...makeMonitor(), timeoutMs: 1e9 }] }, /monitors\[0\]: timeoutMs/],
      [{ monitors: [{ ...makeMonitor(), monitorId: '../etc' }] }, /monitors\[0\]: monitorId is invalid/],
      [{ monitors: [], deadline: 'soon' }, /deadline/],
      [{ monitors: Array.from({ length: maxMonitorsPerProbeRequest + 1 }, () => makeMonitor()) }, /at most/],
    ];
    for (const [event, message] of cases) {
      const answer = await probeRegion(event, lambdaContext());
      expect(answer.checks).toEqual([]);
      expect(answer.error).toMatch(message);
    }
  });

  it('traces a probe span for a DOWN or retried check only, not one for each healthy probe', async () => {
    const names: { name: string; annotations: Record<string, unknown> }[] = [];
    vi.spyOn(tracer, 'isTracingEnabled').mockReturnValue(true);
    vi.spyOn(tracer, 'getSegment').mockReturnValue({
      addNewSubsegment: (name: string) => {
        const entry = { name, annotations: {} as Record<string, unknown> };
        names.push(entry);
        return {
          addAnnotation: (key: string, value: unknown) => {
            entry.annotations[key] = value;
          },
          addMetadata: () => {},
          addErrorFlag: () => {},
          close: () => {},
        };
      },
    } as never);
    try {
      const healthy = Array.from({ length: 5 }, () => makeMonitor({ url: `${base}/ok`, retries: 0 }));
      const broken = makeMonitor({ url: `${base}/broken`, retries: 1 });
      const answer = await probeRegion({ monitors: [...healthy, broken] }, lambdaContext());
      expect(answer.checks.map((c) => c.status)).toEqual(['UP', 'UP', 'UP', 'UP', 'UP', 'DOWN']);
      expect(names).toEqual([{ name: 'probe', annotations: { monitorId: broken.monitorId } }]);
    } finally {
      vi.restoreAllMocks();
    }
  });
});
