/**
 * API smoke test against a deployed stage: the public health routes answer (API Gateway → Lambda →
 * DynamoDB), errors have the API's JSON shape, and private routes refuse a request without a token.
 */
import { describe, expect, it } from 'vitest';
import { apiUrl } from './env.js';

async function call(method: string, path: string, body?: unknown) {
  const response = await fetch(`${apiUrl()}${path}`, {
    method,
    headers: body === undefined ? {} : { 'Content-Type': 'application/json' },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await response.text();
  return {
    status: response.status,
    headers: response.headers,
    body: text === '' ? undefined : JSON.parse(text),
  };
}

describe('API smoke', () => {
  it('GET /health answers ok', async () => {
    const { status, body } = await call('GET', '/health');
    expect(status).toBe(200);
    expect(body).toMatchObject({ status: 'ok' });
  });

  it('GET /monitors lists the monitors', async () => {
    const { status, body } = await call('GET', '/monitors');
    expect(status).toBe(200);
    expect(Array.isArray(body.monitors)).toBe(true);
  });

  it('answers 404 with the JSON error shape for an unknown monitor (Lambda + DynamoDB read)', async () => {
    const { status, body } = await call('GET', `/monitors/kumo-smoke-${Date.now()}`);
    expect(status).toBe(404);
    expect(body).toMatchObject({ code: 'NotFound' });
  });

  it('GET /public/photos lists public photos without a token (the landing page and the feed, signed out)', async () => {
    const { status, body } = await call('GET', '/public/photos?limit=1');
    expect(status).toBe(200);
    expect(Array.isArray(body.photos)).toBe(true);
    for (const photo of body.photos as Record<string, unknown>[]) {
      expect(photo).not.toHaveProperty('mine');
      expect(photo).not.toHaveProperty('fileName');
    }
  });

  it.each([
    ['GET', '/photos'],
    ['POST', '/monitors'],
  ])('refuses %s %s without a token, with a JSON error and CORS', async (method, path) => {
    const { status, headers, body } = await call(method, path, method === 'POST' ? {} : undefined);
    expect(status).toBe(401);
    expect(body).toMatchObject({ code: 'Unauthorized' });
    // The template's GatewayResponses answer every 4XX with CORS for WebOrigin: one origin, never `*`.
    expect(headers.get('access-control-allow-origin')).toMatch(/^https?:\/\/[A-Za-z0-9.-]+(:\d+)?$/);
  });
});
