import { describe, expect, it } from 'vitest';
import { buildProxyEvent, type ProxyRequest } from '../../../local/services/apigateway/proxy-event.js';
import type { Route } from '../../../local/services/apigateway/routes.js';

const route: Route = {
  functionLogicalId: 'HealthApiFunction',
  event: { type: 'Api', name: 'ListMonitors', path: '/monitors', method: 'get' },
  resource: '/monitors',
  method: 'GET',
  segments: ['monitors'],
};

const request = (extra: Partial<ProxyRequest> = {}): ProxyRequest => ({
  method: 'GET',
  path: '/monitors',
  query: new URLSearchParams(),
  headers: {},
  rawHeaders: [],
  body: Buffer.alloc(0),
  sourceIp: '127.0.0.1',
  stage: 'dev',
  apiId: 'kumoapi000',
  accountId: '000000000000',
  ...extra,
});

describe('Function: buildProxyEvent()', () => {
  it("passes the stage's variables (template Variables), as API Gateway does", () => {
    const event = buildProxyEvent(
      request({ stageVariables: { webOrigin: 'http://127.0.0.1:4500' } }),
      route,
      null,
    );
    expect(event.stageVariables).toEqual({ webOrigin: 'http://127.0.0.1:4500' });
  });

  it('sends null for a stage without variables', () => {
    expect(buildProxyEvent(request(), route, null).stageVariables).toBeNull();
    expect(buildProxyEvent(request({ stageVariables: {} }), route, null).stageVariables).toBeNull();
  });
});
