import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { readTemplate, type TemplateModel } from '../../local/template/index.js';
import {
  assertConforms,
  loadOpenApi,
  type OpenApiDocument,
  pathTemplateOf,
  validate,
  validateResponse,
} from '../helpers/openapi.js';

const root = path.resolve(import.meta.dirname, '../..');
const METHODS = ['get', 'put', 'post', 'delete', 'patch'];
let model: TemplateModel;

const apis = [
  { name: 'health', functionId: 'HealthApiFunction', file: 'docs/health-api.yaml' },
  { name: 'posts', functionId: 'PostsApiFunction', file: 'docs/posts-api.yaml' },
] as const;
const specs = new Map<string, OpenApiDocument>();

beforeAll(async () => {
  model = await readTemplate(path.join(root, 'template.yaml'));
  for (const api of apis) specs.set(api.name, loadOpenApi(path.join(root, api.file)));
});

interface Operation {
  security?: unknown[];
  requestBody?: unknown;
  responses: Record<string, { $ref?: string }>;
}

function operationsOf(spec: OpenApiDocument): [string, Operation][] {
  return Object.entries(spec.paths).flatMap(([route, item]) =>
    Object.entries(item)
      .filter(([method]) => METHODS.includes(method))
      .map(([method, operation]): [string, Operation] => [
        `${method.toUpperCase()} ${route}`,
        operation as Operation,
      ]),
  );
}

function specOf(name: string): OpenApiDocument {
  const spec = specs.get(name);
  if (spec === undefined) throw new Error(`no document ${name}`);
  return spec;
}

describe.each(apis)('docs/$name-api.yaml ↔ template.yaml', ({ name, functionId }) => {
  const routesInTemplate = () =>
    (model.functions.find((f) => f.logicalId === functionId)?.events ?? []).flatMap((event) =>
      event.type === 'Api' ? [event] : [],
    );

  it(`documents exactly the routes of ${functionId}`, () => {
    const inTemplate = routesInTemplate()
      .map((event) => `${event.method.toUpperCase()} ${event.path}`)
      .sort();
    const inSpec = operationsOf(specOf(name))
      .map(([key]) => key)
      .sort();
    expect(inSpec).toEqual(inTemplate);
  });

  it('declares public exactly the routes the template leaves without an authorizer', () => {
    const spec = specOf(name) as OpenApiDocument & { security?: unknown[] };
    const api = model.apis.find((a) => a.logicalId === 'KumoApi');
    expect(api?.defaultAuthorizer).toBe('CognitoAuthorizer');
    const operations = new Map(operationsOf(spec));
    for (const event of routesInTemplate()) {
      const key = `${event.method.toUpperCase()} ${event.path}`;
      const security = operations.get(key)?.security ?? spec.security ?? [];
      const isPublic = event.type === 'Api' && event.authorizer === 'NONE';
      expect(security, key).toEqual(isPublic ? [] : [{ cognito: [] }]);
      // A private route may answer 401 (API Gateway, or the function without claims); a public one never does.
      expect('401' in (operations.get(key)?.responses ?? {}), key).toBe(!isPublic);
    }
  });

  it('documents a { message, code } error body for every 4xx and 5xx, and a 400 and a 500 everywhere', () => {
    const spec = specOf(name);
    for (const [key, operation] of operationsOf(spec)) {
      for (const [status, response] of Object.entries(operation.responses)) {
        if (Number(status) < 400) continue;
        expect(response.$ref, `${key} ${status}`).toMatch(/^#\/components\/responses\//);
      }
      expect(Object.keys(operation.responses), key).toEqual(expect.arrayContaining(['500']));
      if (key !== 'GET /health') expect(Object.keys(operation.responses), key).toContain('400');
    }
    for (const [responseName, response] of Object.entries(spec.components.responses)) {
      expect(response.content?.['application/json']?.schema, responseName).toEqual({
        $ref: '#/components/schemas/Error',
      });
    }
    expect(spec.components.schemas.Error).toMatchObject({ required: ['message', 'code'] });
  });
});

describe('Function: validate() on the health document', () => {
  const schema = (ref: string) => ({ $ref: `#/components/schemas/${ref}` });

  it('holds expected statuses to canonical ranges in answers, and takes both forms on input', () => {
    const spec = specOf('health');
    for (const good of ['200-299', '200-299,301', '301', '100-599']) {
      expect(validate(spec, schema('ExpectedStatus'), good), good).toEqual([]);
    }
    for (const bad of ['200-299, 301', '2xx', '', '200-', [200, 201]]) {
      expect(validate(spec, schema('ExpectedStatus'), bad), JSON.stringify(bad)).not.toEqual([]);
    }
    expect(validate(spec, schema('ExpectedStatusInput'), '200 - 299')).toEqual([]);
    expect(validate(spec, schema('ExpectedStatusInput'), [200, 301])).toEqual([]);
    expect(validate(spec, schema('ExpectedStatusInput'), 200)).toEqual([
      '$: matches none of its oneOf schemas',
    ]);
  });

  it('finds an unknown field, a missing one, a bad date and a null where none is allowed', () => {
    const spec = specOf('health');
    const result = { checkedAt: 'yesterday', status: 'UP', latencyMs: 3, extra: 1 };
    expect(validate(spec, schema('PublicCheckResult'), result)).toEqual([
      '$.checkedAt: is not an ISO 8601 date-time',
      '$.extra: is not in the schema',
    ]);
    expect(validate(spec, schema('PublicCheckResult'), { status: 'UP', latencyMs: null })).toEqual([
      '$.checkedAt: is required',
      '$.latencyMs: is null',
    ]);
    expect(validate(spec, schema('ReasonCategory'), 'HTTP 503')).toEqual([]);
    expect(validate(spec, schema('ReasonCategory'), 'connection refused by 10.0.0.1')).not.toEqual([]);
  });

  it('takes null for a JSON check value and a nullable $ref, and refuses an object', () => {
    const spec = specOf('health');
    expect(validate(spec, schema('MonitorPatch'), { jsonPath: null, keyword: null })).toEqual([]);
    expect(validate(spec, schema('MonitorPatch'), {})).toEqual(['$: has fewer than 1 properties']);
    expect(validate(spec, schema('JsonPathCheck'), { path: '$.a', equals: null })).toEqual([]);
    expect(validate(spec, schema('JsonPathCheck'), { path: '$.a', equals: { b: 1 } })).not.toEqual([]);
  });
});

describe('Function: pathTemplateOf()', () => {
  it('finds the template of a concrete path, with or without the stage and the query', () => {
    const spec = specOf('health');
    expect(pathTemplateOf(spec, 'GET', '/monitors/abc-1/history?hours=2')).toBe(
      '/monitors/{monitorId}/history',
    );
    expect(pathTemplateOf(spec, 'GET', 'http://127.0.0.1:4501/dev/my/monitors')).toBe('/my/monitors');
    expect(pathTemplateOf(spec, 'PATCH', '/monitors/abc-1')).toBe('/monitors/{monitorId}');
    expect(pathTemplateOf(spec, 'PUT', '/monitors/abc-1')).toBeUndefined();
    expect(pathTemplateOf(specOf('posts'), 'GET', '/dev/posts/123')).toBe('/posts/{postId}');
  });
});

describe('Function: assertConforms()', () => {
  it('passes a documented answer and names what is wrong with any other', () => {
    const spec = specOf('posts');
    const error = { message: 'limit: an integer from 1 to 100', code: 'ValidationError' };
    expect(() => assertConforms(spec, 'GET', '/posts?limit=0', { status: 400, body: error })).not.toThrow();
    expect(() => assertConforms(spec, 'GET', '/posts', { status: 418, body: error })).toThrow(
      /does not document status 418/,
    );
    expect(() => assertConforms(spec, 'GET', '/posts', { status: 400, body: { message: 'x' } })).toThrow(
      /\$\.code: is required/,
    );
    expect(() => assertConforms(spec, 'DELETE', '/posts/1', { status: 405, body: error })).toThrow(
      /matches no path/,
    );
  });

  it('checks an answer of another media type against that type', () => {
    const spec = specOf('health');
    const svg = '<svg xmlns="http://www.w3.org/2000/svg"></svg>';
    expect(
      validateResponse(spec, 'GET', '/badges/{monitorId}', 200, svg, 'image/svg+xml; charset=utf-8'),
    ).toEqual([]);
    expect(validateResponse(spec, 'GET', '/badges/{monitorId}', 200, { svg }, 'application/json')).toEqual([
      'GET /badges/{monitorId} 200 documents no application/json body (only image/svg+xml)',
    ]);
  });
});
