import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { readTemplate, type TemplateModel } from '../../../local/template/index.js';
import { loadOpenApi, type OpenApiDocument } from '../../helpers/openapi.js';

const root = path.resolve(import.meta.dirname, '../../..');
const METHODS = ['get', 'put', 'post', 'delete', 'patch'];
let model: TemplateModel;
let spec: OpenApiDocument;

beforeAll(async () => {
  model = await readTemplate(path.join(root, 'template.yaml'));
  spec = loadOpenApi(path.join(root, 'docs/photos-api.yaml'));
});

describe('docs/photos-api.yaml ↔ template.yaml', () => {
  it('documents exactly the routes of PhotosApiFunction', () => {
    const fn = model.functions.find((f) => f.logicalId === 'PhotosApiFunction');
    const inTemplate = (fn?.events ?? [])
      .flatMap((event) => (event.type === 'Api' ? [`${event.method.toUpperCase()} ${event.path}`] : []))
      .sort();
    const inSpec = Object.entries(spec.paths)
      .flatMap(([route, item]) =>
        Object.keys(item)
          .filter((key) => METHODS.includes(key))
          .map((method) => `${method.toUpperCase()} ${route}`),
      )
      .sort();
    expect(inSpec).toEqual(inTemplate);
  });

  it('keeps every photo route behind the Cognito authorizer the spec names, but the read-only /public/ ones', () => {
    const fn = model.functions.find((f) => f.logicalId === 'PhotosApiFunction');
    const api = model.apis.find((a) => a.logicalId === 'KumoApi');
    expect(api?.defaultAuthorizer).toBe('CognitoAuthorizer');
    expect((spec as unknown as { security: unknown }).security).toEqual([{ cognito: [] }]);
    const open: string[] = [];
    for (const event of fn?.events ?? []) {
      if (event.type !== 'Api') continue;
      const isPublic = event.path.startsWith('/public/');
      expect(event.authorizer === 'NONE', event.name).toBe(isPublic);
      const operation = spec.paths[event.path]?.[event.method.toLowerCase()] as { security?: unknown };
      // The spec says the same: `security: []` exactly where the template has no authorizer.
      expect(operation.security, event.name).toEqual(isPublic ? [] : undefined);
      if (isPublic) open.push(`${event.method.toUpperCase()} ${event.path}`);
    }
    expect(open.sort()).toEqual(['GET /public/labels', 'GET /public/photos', 'GET /public/photos/{photoId}']);
  });

  it('documents a { message, code } error body for every 4xx and 5xx', () => {
    for (const [route, item] of Object.entries(spec.paths)) {
      for (const [method, operation] of Object.entries(item)) {
        if (!METHODS.includes(method)) continue;
        const { responses } = operation as { responses: Record<string, { $ref?: string }> };
        for (const [status, response] of Object.entries(responses)) {
          if (Number(status) < 400) continue;
          expect(response.$ref, `${method} ${route} ${status}`).toMatch(/^#\/components\/responses\//);
        }
        // A public route never answers 401 (nothing to sign in for); every other route documents it.
        const expected = route.startsWith('/public/') ? ['400', '500'] : ['400', '401', '500'];
        expect(Object.keys(responses), `${method} ${route}`).toEqual(expect.arrayContaining(expected));
        if (route.startsWith('/public/')) expect(Object.keys(responses)).not.toContain('401');
      }
    }
  });
});
