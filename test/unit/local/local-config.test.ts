import { readFile, stat, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import {
  configUrls,
  emptyLocalConfig,
  readLocalConfig,
  unresolvedPlaceholders,
} from '../../../local/config.js';
import {
  endpointsFilePath,
  readEndpointsFile,
  removeEndpointsFile,
  writeEndpointsFile,
} from '../../../local/endpoints-file.js';
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

describe('Function: readLocalConfig() sections', () => {
  it('reads every section, with the defaults for what is missing, and nothing without the file', async () => {
    const root = await tempDataRoot();
    expect(await readLocalConfig(root, {})).toEqual(emptyLocalConfig());
    await writeFile(
      path.join(root, 'kumo.local.json'),
      JSON.stringify({
        ssmParameters: { '/a': 'secret', '/b': { type: 'String', value: '$' + '{x}/b' } },
        x: { postsPerSecond: 0, heartbeatSeconds: 'soon' },
        cognito: { autoConfirm: true },
      }),
    );
    expect(await readLocalConfig(root, { x: 'http://x' })).toEqual({
      parameterOverrides: {},
      envVars: {},
      ssmParameters: {
        '/a': { type: 'SecureString', value: 'secret' },
        '/b': { type: 'String', value: 'http://x/b' },
      },
      x: { postsPerSecond: 0, bearerTokenParameter: undefined, heartbeatSeconds: undefined },
      cognito: { autoConfirm: true },
      functions: {},
    });
  });

  it('reads functions.concurrency and functions.idleMinutes, and names a bad value', async () => {
    const root = await tempDataRoot();
    const file = path.join(root, 'kumo.local.json');
    await writeFile(file, JSON.stringify({ functions: { concurrency: 3, idleMinutes: 0.5 } }));
    expect((await readLocalConfig(root, {})).functions).toEqual({ concurrency: 3, idleMinutes: 0.5 });
    await writeFile(file, JSON.stringify({ functions: { concurrency: 0 } }));
    await expect(readLocalConfig(root, {})).rejects.toThrow(
      /kumo\.local\.json: functions\.concurrency must be a whole number of at least 1$/,
    );
    await writeFile(file, JSON.stringify({ functions: { idleMinutes: 'soon' } }));
    await expect(readLocalConfig(root, {})).rejects.toThrow(
      /kumo\.local\.json: functions\.idleMinutes must be a positive number of minutes$/,
    );
  });

  it('names the file when it is not JSON', async () => {
    const root = await tempDataRoot();
    await writeFile(path.join(root, 'kumo.local.json'), '{ nope');
    await expect(readLocalConfig(root, {})).rejects.toThrow(/kumo\.local\.json: /);
  });
});

describe('Module: endpoints-file', () => {
  it('writes .kumo/endpoints.json for this user only, reads it back, and removes it', async () => {
    const kumoDir = await tempDataRoot();
    const endpoints = {
      web: 'http://127.0.0.1:4500',
      api: 'http://127.0.0.1:4501',
      services: { sqs: 'http://127.0.0.1:4503' },
      token: 't0k3n',
    };
    const file = await writeEndpointsFile(kumoDir, endpoints);
    expect(file).toBe(endpointsFilePath(kumoDir));
    expect((await stat(file)).mode & 0o777).toBe(0o600);
    expect(JSON.parse(await readFile(file, 'utf8'))).toEqual(endpoints);
    expect(await readEndpointsFile(kumoDir)).toEqual(endpoints);
    await removeEndpointsFile(kumoDir);
    expect(await readEndpointsFile(kumoDir)).toBeUndefined();
  });

  it('keeps only the fields of the shape a local cloud writes, and refuses a file without services', async () => {
    const kumoDir = await tempDataRoot();
    await writeFile(
      endpointsFilePath(kumoDir),
      JSON.stringify({ web: 'http://w', api: 4, services: { sqs: 'http://q', bad: 1 }, extra: true }),
    );
    expect(await readEndpointsFile(kumoDir)).toEqual({ web: 'http://w', services: { sqs: 'http://q' } });
    await writeFile(endpointsFilePath(kumoDir), JSON.stringify({ web: 'http://w' }));
    expect(await readEndpointsFile(kumoDir)).toBeUndefined();
    await writeFile(endpointsFilePath(kumoDir), '[]');
    expect(await readEndpointsFile(kumoDir)).toBeUndefined();
  });
});
