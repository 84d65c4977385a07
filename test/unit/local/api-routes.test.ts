import { describe, expect, it } from 'vitest';
import { matchRoute, type Route } from '../../../local/services/apigateway/routes.js';

function route(method: string, path: string): Route {
  return {
    functionLogicalId: `${method}${path}`,
    event: { type: 'Api', name: 'E', path, method },
    resource: path,
    method,
    segments: path.split('/').filter(Boolean),
  };
}

const routes = [
  route('GET', '/monitors'),
  route('POST', '/monitors'),
  route('GET', '/monitors/{monitorId}'),
  route('DELETE', '/monitors/{monitorId}'),
  route('GET', '/monitors/{monitorId}/history'),
  route('GET', '/monitors/special'),
  route('ANY', '/files/{proxy+}'),
];

describe('Function: matchRoute()', () => {
  it('matches literal paths and path parameters', () => {
    expect(matchRoute(routes, 'GET', '/monitors')).toMatchObject({ kind: 'found', pathParameters: null });
    expect(matchRoute(routes, 'DELETE', '/monitors/abc')).toMatchObject({
      kind: 'found',
      route: { resource: '/monitors/{monitorId}', method: 'DELETE' },
      pathParameters: { monitorId: 'abc' },
    });
    expect(matchRoute(routes, 'GET', '/monitors/a%20b/history')).toMatchObject({
      pathParameters: { monitorId: 'a b' },
    });
  });

  it('prefers a literal segment over a parameter', () => {
    expect(matchRoute(routes, 'GET', '/monitors/special')).toMatchObject({
      route: { resource: '/monitors/special' },
      pathParameters: null,
    });
  });

  it('gives a greedy proxy the rest of the path, for any method', () => {
    expect(matchRoute(routes, 'PUT', '/files/a/b/c.txt')).toMatchObject({
      kind: 'found',
      pathParameters: { proxy: 'a/b/c.txt' },
    });
    expect(matchRoute(routes, 'GET', '/files')).toEqual({ kind: 'not-found' });
  });

  it('tells a wrong method (405 with the allowed ones) from an unknown path (404)', () => {
    expect(matchRoute(routes, 'PATCH', '/monitors/abc')).toEqual({
      kind: 'method-not-allowed',
      allowed: ['GET', 'DELETE'],
    });
    expect(matchRoute(routes, 'GET', '/nope')).toEqual({ kind: 'not-found' });
    expect(matchRoute(routes, 'GET', '/monitors/a/b')).toEqual({ kind: 'not-found' });
  });
});
