/**
 * Site smoke test against a deployed stage: CloudFront serves the published web app over HTTPS with
 * its security headers, config.json names this stack's API and user pool (written by the PublishWeb
 * action from the outputs), a router path gets the app shell, hashed assets are immutable, and a
 * missing file is a real 404.
 */
import { describe, expect, it } from 'vitest';
import { apiUrl, requireEnv, siteUrl } from './env.js';

async function get(path: string) {
  const response = await fetch(`${siteUrl()}${path}`, { redirect: 'manual' });
  return { status: response.status, headers: response.headers, text: await response.text() };
}

describe('Site smoke', () => {
  it('serves config.json from the stack outputs, never cached', async () => {
    const { status, headers, text } = await get('/config.json');
    expect(status).toBe(200);
    expect(headers.get('content-type')).toContain('application/json');
    expect(headers.get('cache-control')).toBe('no-cache');
    const config = JSON.parse(text) as Record<string, unknown>;
    expect(config.apiUrl).toBe(apiUrl());
    expect(config.userPoolId).toBe(requireEnv('KUMO_USER_POOL_ID'));
    expect(config).toMatchObject({ userPoolClientId: expect.any(String), stage: expect.any(String) });
  });

  it('serves the index page with the CSP, HSTS, nosniff and no framing', async () => {
    const { status, headers, text } = await get('/');
    expect(status).toBe(200);
    expect(headers.get('content-type')).toContain('text/html');
    expect(text).toContain('<div id="app">');
    const csp = headers.get('content-security-policy') ?? '';
    expect(csp).toContain("frame-ancestors 'none'");
    expect(csp).toContain(new URL(apiUrl()).origin);
    expect(headers.get('strict-transport-security')).toMatch(/max-age=\d+/);
    expect(headers.get('x-content-type-options')).toBe('nosniff');
    expect(headers.get('x-frame-options')).toBe('DENY');
  });

  it("gives a router path the app shell, a hashed asset a year's cache, a missing file 404", async () => {
    const index = await get('/');
    const routed = await get('/status');
    expect(routed.status).toBe(200);
    expect(routed.text).toBe(index.text);
    const script = /<script[^>]+src="(\/assets\/[^"]+\.js)"/.exec(index.text)?.[1];
    expect(script, 'index.html names no /assets/*.js').toBeDefined();
    const asset = await get(script as string);
    expect(asset.status).toBe(200);
    expect(asset.headers.get('cache-control')).toContain('immutable');
    expect((await get('/assets/no-such-file-0000.js')).status).toBe(404);
  });

  it('redirects plain http to https', async () => {
    const response = await fetch(siteUrl().replace(/^https:/, 'http:'), { redirect: 'manual' });
    expect(response.status).toBe(301);
    expect(response.headers.get('location')).toMatch(/^https:\/\//);
  });
});
