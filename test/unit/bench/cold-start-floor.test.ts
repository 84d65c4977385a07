import path from 'node:path';
import { build } from 'esbuild';
import { describe, expect, it } from 'vitest';
import {
  CLIENT_FLOORS,
  checkFloorDeclarations,
  clientsOfBundle,
  floorSource,
} from '../../../bench/cold-start/floor.js';
import { esbuildOptions } from '../../../local/build/index.js';
import { readTemplate } from '../../../local/template/index.js';

const root = path.resolve(import.meta.dirname, '../../..');

describe('Function: checkFloorDeclarations()', () => {
  it('accepts functions/lib/clients as it is: every client module has a floor', async () => {
    await expect(
      checkFloorDeclarations(path.join(root, 'functions', 'lib', 'clients')),
    ).resolves.toBeUndefined();
  });

  it('names a client module without a floor', async () => {
    // bench/cold-start holds no client modules: every declaration is stale.
    await expect(checkFloorDeclarations(path.join(root, 'bench', 'cold-start'))).rejects.toThrow(
      /no such module cloudwatch, dynamodb/,
    );
  });
});

describe('Function: clientsOfBundle()', () => {
  it('reads the client modules of a bundle, relative to CodeUri', () => {
    expect(
      clientsOfBundle([
        'health/handlers/check-sites.ts',
        'lib/clients/sns.ts',
        'lib/clients/dynamodb.ts',
        '../node_modules/@aws-sdk/client-sns/dist-cjs/index.js',
        '../node_modules/@aws-sdk/client-dynamodb/dist-cjs/index.js',
      ]),
    ).toEqual(['dynamodb', 'sns']);
  });

  it('refuses an SDK client created outside functions/lib/clients', () => {
    expect(() =>
      clientsOfBundle(['lib/clients/dynamodb.ts', '../node_modules/@aws-sdk/client-sqs/dist-cjs/index.js']),
    ).toThrow(/@aws-sdk\/client-sqs outside functions\/lib\/clients/);
  });

  it('finds, for every function of the template, only clients it declares a floor for', async () => {
    const model = await readTemplate(path.join(root, 'template.yaml'));
    const found: Record<string, string[]> = {};
    for (const fn of model.functions) {
      const result = await build({
        ...esbuildOptions(fn, root, '/tmp/unused'),
        metafile: true,
        write: false,
      });
      found[fn.logicalId] = clientsOfBundle(Object.keys(result.metafile?.inputs ?? {}));
    }
    // Lambda, SNS, SQS and SSM load on first use (probe regions, an alert, a fanned-out run, a channel's
    // key), but they are in the bundle.
    expect(found.CheckSitesFunction).toEqual(['dynamodb', 'lambda', 'sns', 'sqs', 'ssm']);
    expect(found.CheckSliceFunction).toEqual(['dynamodb', 'lambda', 'sns', 'ssm']);
    expect(found.LabelPhotoFunction).toEqual(['dynamodb', 'rekognition', 's3']);
    for (const clients of Object.values(found)) expect(clients.length).toBeGreaterThan(0);
  });
});

describe('Function: floorSource()', () => {
  it('imports and constructs each client, then exports an empty handler', () => {
    const source = floorSource(['dynamodb', 'sns']);
    expect(source).toContain(CLIENT_FLOORS.dynamodb?.source);
    expect(source).toContain(CLIENT_FLOORS.sns?.source);
    expect(source).not.toContain('powertools');
    expect(source).toMatch(/export const handler = async \(\) => \(\{ ok: true \}\);\n$/);
  });

  it('refuses a client module it has no floor for', () => {
    expect(() => floorSource(['dynamodb', 'eventbridge'])).toThrow(
      'no floor declared for client module eventbridge',
    );
  });
});
