/**
 * The shared local cloud of a test run (test/helpers/shared-cloud.ts, started by
 * test/helpers/shared-cloud-setup.ts): the same running template for every file that asks, its functions
 * invoked and its traces read through the broker, which answers no one without the run's secret.
 */
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { beforeAll, describe, expect, inject, it } from 'vitest';
import { configUrls, readLocalConfig } from '../../local/config.js';
import { readTemplate } from '../../local/template/index.js';
import { loadEvent } from '../helpers/factories.js';
import { repoRoot } from '../helpers/local-cloud.js';
import { SHARED_CLOUD_SECRET_HEADER, type SharedCloud, sharedCloud } from '../helpers/shared-cloud.js';

let cloud: SharedCloud;

beforeAll(async () => {
  cloud = await sharedCloud();
}, 120_000);

describe('the shared local cloud', () => {
  it("describes the running template as kumo.local.json sets it, with the run's endpoints, token and data", async () => {
    // The model the cloud runs: the template read with kumo.local.json's overrides at the cloud's URLs.
    const config = await readLocalConfig(repoRoot, configUrls(cloud.endpoints));
    const model = await readTemplate(path.join(repoRoot, 'template.yaml'), {
      parameterOverrides: config.parameterOverrides,
      serviceUrls: { sqs: String(cloud.endpoints.services.sqs) },
    });
    expect(cloud.model.parameters).toEqual(model.parameters);
    expect(cloud.model.outputs).toEqual(model.outputs);
    expect([...cloud.model.resources.keys()]).toEqual([...model.resources.keys()]);
    expect(cloud.model.resources.get('SiteBucket')).toEqual(model.resources.get('SiteBucket'));
    expect(cloud.model.functions.map((fn) => fn.logicalId)).toEqual(
      model.functions.map((fn) => fn.logicalId),
    );

    const endpoints = JSON.parse(await readFile(path.join(cloud.dataDir, 'endpoints.json'), 'utf8'));
    expect(endpoints).toMatchObject({
      token: cloud.token,
      web: cloud.endpoints.web,
      api: cloud.endpoints.api,
    });
    expect(cloud.guard.webOrigins).toContain(new URL(String(cloud.endpoints.web)).origin);
    const health = await fetch(`${cloud.endpoints.web}/_kumo/health`);
    expect(health.status).toBe(200);
  });

  it('is one cloud: a second request describes the same one', async () => {
    const again = await sharedCloud();
    expect(again.token).toBe(cloud.token);
    expect(again.endpoints).toEqual(cloud.endpoints);
    expect(again.dataDir).toBe(cloud.dataDir);
  });

  it("invokes a function with the cloud's own invoker", async () => {
    const result = await cloud.invoke('HealthApiFunction', loadEvent('health-api-list-monitors'));
    expect(result.ok, JSON.stringify(result.error)).toBe(true);
    const payload = result.payload as { statusCode: number; body: string };
    expect(payload.statusCode).toBe(200);
    expect(Array.isArray(JSON.parse(payload.body).monitors)).toBe(true);
  });

  it('reads the traces the cloud recorded, this file’s request among them', async () => {
    const response = await fetch(`${cloud.endpoints.api}/health`);
    expect(response.status).toBe(200);
    const traceId = /^Root=(1-[0-9a-f]{8}-[0-9a-f]{24})$/.exec(
      response.headers.get('x-amzn-trace-id') ?? '',
    )?.[1];
    expect(traceId).toBeDefined();
    const deadline = Date.now() + 10_000;
    let ids: string[] = [];
    while (!ids.includes(String(traceId)) && Date.now() < deadline) {
      ids = ((await cloud.traces()) as { id: string }[]).map((trace) => trace.id);
      if (!ids.includes(String(traceId))) await new Promise((resolve) => setTimeout(resolve, 100));
    }
    expect(ids).toContain(traceId);
  });

  it("refuses a caller without the run's secret", async () => {
    const broker = inject('kumoSharedCloud');
    const refused: Record<string, string>[] = [
      {},
      { [SHARED_CLOUD_SECRET_HEADER]: 'x'.repeat(broker.secret.length) },
    ];
    for (const headers of refused) {
      const response = await fetch(`${broker.url}/cloud`, { method: 'POST', headers });
      expect(response.status).toBe(403);
      expect(await response.json()).toEqual({ message: 'the shared cloud broker serves the test run only' });
    }
  });
});
