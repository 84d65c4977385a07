import { mkdtemp, rm } from 'node:fs/promises';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type LocalCloud, startLocalCloud } from '../../local/index.js';
import { createMemoryLogger } from '../../local/log.js';
import type { TraceDetail, TraceSummary } from '../../local/tracing/trace-view.js';
import { traceOf } from '../helpers/traces.js';

const rootDir = path.resolve(import.meta.dirname, '../fixtures/tracing');
let cloud: LocalCloud;
let dataDir: string;

beforeAll(async () => {
  dataDir = await mkdtemp(path.join(tmpdir(), 'kumo-tracing-'));
  cloud = await startLocalCloud({
    rootDir,
    dataDir,
    portBase: 0,
    fresh: true,
    schedules: false,
    log: createMemoryLogger(),
    functionLogSink: () => {},
    web: false,
  });
});

afterAll(async () => {
  await cloud?.stop();
  await rm(dataDir, { recursive: true, force: true });
});

/** The local cloud's /_kumo routes ask for the run's token. */
const withToken = () => ({ headers: { 'X-Kumo-Token': cloud.token } });

async function json<T>(url: string): Promise<T> {
  const response = await fetch(url, withToken());
  expect(response.status, url).toBe(200);
  return (await response.json()) as T;
}

describe('local tracing: API → Lambda → DynamoDB as one trace', () => {
  it('records the API stage, the Lambda segments and the function subsegments under one trace id', async () => {
    const response = await fetch(`${cloud.endpoints.api}/test/items/abc`);
    expect(response.status).toBe(404);
    const traceId = /^Root=(1-[0-9a-f]{8}-[0-9a-f]{24})$/.exec(
      response.headers.get('x-amzn-trace-id') ?? '',
    )?.[1];
    expect(traceId).toBeDefined();

    const trace = await traceOf(cloud, String(traceId), (t) => t.spans.some((s) => s.name === 'DynamoDB'));
    const byName = (name: string) => trace.spans.find((s) => s.name === name);
    const api = trace.spans[0];
    expect(api).toMatchObject({
      kind: 'AWS::ApiGateway::Stage',
      depth: 0,
      http: { method: 'GET', status: 404 },
    });
    expect(api?.name).toBe('ItemsApi/test');
    const integration = byName('Lambda');
    expect(integration).toMatchObject({ kind: 'aws', parentId: api?.id });
    const service = trace.spans.find((s) => s.kind === 'AWS::Lambda');
    expect(service?.parentId).toBe(integration?.id);
    const fn = trace.spans.find((s) => s.kind === 'AWS::Lambda::Function');
    expect(fn?.parentId).toBe(service?.id);
    expect(trace.spans.some((s) => s.name === 'Initialization' && s.parentId === fn?.id)).toBe(true);

    // Powertools: the handler subsegment under the function segment, the DynamoDB call under it.
    const handler = trace.spans.find((s) => s.name.startsWith('## '));
    expect(handler?.parentId).toBe(fn?.id);
    expect(handler?.annotations).toMatchObject({ photoId: 'abc', ColdStart: true });
    const dynamodb = byName('DynamoDB');
    expect(dynamodb).toMatchObject({ kind: 'aws', aws: expect.objectContaining({ operation: 'GetItem' }) });
    expect(trace.spans.findIndex((s) => s.id === dynamodb?.id)).toBeGreaterThan(
      trace.spans.findIndex((s) => s.id === handler?.id),
    );
    for (const span of trace.spans) expect(span.durationMs, span.name).toBeGreaterThanOrEqual(0);
  });

  it('lists the trace with its request line, and marks a failed invocation as a fault', async () => {
    const failed = await fetch(`${cloud.endpoints.api}/test/items/fail`);
    expect(failed.status).toBe(502);
    const traceId = failed.headers.get('x-amzn-trace-id')?.slice('Root='.length) ?? '';
    const trace = await traceOf(cloud, traceId, (t) =>
      t.spans.some((s) => s.kind === 'AWS::Lambda::Function'),
    );
    expect(trace.fault).toBe(true);
    expect(trace.spans.find((s) => s.kind === 'AWS::Lambda::Function')?.errorMessage).toContain(
      'asked to fail',
    );

    const list = await json<{ enabled: boolean; traces: TraceSummary[] }>(
      `${cloud.endpoints.web}/_kumo/traces`,
    );
    expect(list.enabled).toBe(true);
    expect(list.traces[0]).toMatchObject({
      id: traceId,
      name: 'ItemsApi/test',
      request: 'GET /test/items/fail',
      status: 502,
      fault: true,
    });
    expect(list.traces.length).toBeGreaterThanOrEqual(2);
  });

  it('names HTTP subsegments host:port, so calls to two local services do not look alike', async () => {
    const server = createServer((_req, res) => res.end('pong'));
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    try {
      const port = (server.address() as AddressInfo).port;
      const response = await fetch(`${cloud.endpoints.api}/test/items/abc?ping=${port}`);
      expect(response.status).toBe(404);
      const traceId = response.headers.get('x-amzn-trace-id')?.slice('Root='.length) ?? '';
      const remoteCalls = (t: TraceDetail) => t.spans.filter((s) => s.kind === 'remote');
      const trace = await traceOf(cloud, traceId, (t) => remoteCalls(t).length >= 2);
      // node:http (the X-Ray SDK's capture) and fetch (Powertools'), both with the port.
      expect(remoteCalls(trace).map((s) => s.name)).toEqual([`127.0.0.1:${port}`, `127.0.0.1:${port}`]);
      // An AWS call keeps its service name, though it goes to 127.0.0.1:<port> too.
      expect(trace.spans.some((s) => s.name === 'DynamoDB' && s.kind === 'aws')).toBe(true);
    } finally {
      await new Promise<void>((resolve) => server.close(() => resolve()));
    }
  });

  it('answers 404 for a trace it does not hold', async () => {
    const response = await fetch(
      `${cloud.endpoints.web}/_kumo/traces/1-00000000-000000000000000000000000`,
      withToken(),
    );
    expect(response.status).toBe(404);
  });
});
