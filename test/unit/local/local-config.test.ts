import { writeFile } from 'node:fs/promises';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { configUrls, readLocalConfig, unresolvedPlaceholders } from '../../../local/config.js';
import { tempDataRoot } from '../../helpers/service-context.js';

describe('Function: configUrls()', () => {
  it('takes web, api and x from a cloud’s endpoints (the same keys as .kumo/endpoints.json)', () => {
    expect(
      configUrls({ web: 'http://127.0.0.1:4500', api: 'http://127.0.0.1:4501', x: 'http://127.0.0.1:4510' }),
    ).toEqual({ web: 'http://127.0.0.1:4500', api: 'http://127.0.0.1:4501', x: 'http://127.0.0.1:4510' });
    expect(configUrls({ web: 'http://127.0.0.1:4500', api: '' })).toEqual({ web: 'http://127.0.0.1:4500' });
  });
});

describe('Function: readLocalConfig()', () => {
  it('fills every placeholder it has a URL for, and unresolvedPlaceholders() names the rest', async () => {
    const root = await tempDataRoot();
    await writeFile(
      path.join(root, 'kumo.local.json'),
      JSON.stringify({
        parameterOverrides: { XApiBaseUrl: '$' + '{x}', Targets: '$' + '{web}/,$' + '{api}/health' },
        envVars: { Fn: { OTHER: '$' + '{nope}' } },
      }),
    );
    const config = await readLocalConfig(
      root,
      configUrls({ web: 'http://w', api: 'http://a', x: 'http://x' }),
    );
    expect(config.parameterOverrides).toEqual({
      XApiBaseUrl: 'http://x',
      Targets: 'http://w/,http://a/health',
    });
    expect(unresolvedPlaceholders(config)).toEqual(['$' + '{nope}']);
  });
});
