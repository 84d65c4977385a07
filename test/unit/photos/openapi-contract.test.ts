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

  it('keeps every photo route behind the Cognito authorizer the spec names', () => {
    const fn = model.functions.find((f) => f.logicalId === 'PhotosApiFunction');
    const api = model.apis.find((a) => a.logicalId === 'KumoApi');
    expect(api?.defaultAuthorizer).toBe('CognitoAuthorizer');
    for (const event of fn?.events ?? []) {
      expect(event.type === 'Api' && event.authorizer !== 'NONE', event.name).toBe(true);
    }
    expect((spec as unknown as { security: unknown }).security).toEqual([{ cognito: [] }]);
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
        expect(Object.keys(responses), `${method} ${route}`).toEqual(
          expect.arrayContaining(['400', '401', '500']),
        );
      }
    }
  });
});
