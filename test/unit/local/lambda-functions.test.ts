import { describe, expect, it } from 'vitest';
import { findFunction, parseFunctionName, signedRegionOf } from '../../../local/services/lambda/functions.js';
import { probeRegionsOf, regionalCopy } from '../../../local/template/probe-regions.js';
import type { FunctionModel } from '../../../local/template/types.js';

const fn = (name: string, region?: string): FunctionModel => ({
  logicalId: name,
  name,
  arn: `arn:aws:lambda:${region ?? 'us-east-1'}:000000000000:function:${name}`,
  handler: 'x.handler',
  codeUri: 'functions/',
  runtime: 'nodejs22.x',
  architectures: ['arm64'],
  timeoutSeconds: 3,
  memoryMb: 128,
  environment: { A: '1' },
  events: [],
  ...(region === undefined ? {} : { region }),
});

describe('the local Lambda API finds functions as Lambda does', () => {
  it('reads a name, a full ARN or a partial ARN, in the signed region unless the ARN says', () => {
    expect(parseFunctionName('kumo-probe', 'eu-west-1')).toEqual({ name: 'kumo-probe', region: 'eu-west-1' });
    expect(
      parseFunctionName('arn:aws:lambda:ap-south-1:000000000000:function:kumo-probe', 'eu-west-1'),
    ).toEqual({
      name: 'kumo-probe',
      region: 'ap-south-1',
    });
    expect(parseFunctionName('000000000000:function:kumo-probe:$LATEST', 'eu-west-1')).toEqual({
      name: 'kumo-probe',
      region: 'eu-west-1',
      qualifier: '$LATEST',
    });
    expect(parseFunctionName('../../etc/passwd', 'eu-west-1')).toBeUndefined();
  });

  it('takes the region from the SigV4 credential scope', () => {
    expect(
      signedRegionOf(
        'AWS4-HMAC-SHA256 Credential=AKID/20261206/eu-west-1/lambda/aws4_request, SignedHeaders=host',
      ),
    ).toBe('eu-west-1');
    expect(signedRegionOf(undefined)).toBeUndefined();
  });

  it("finds a probe region's copy only in its region, and home functions only at home", () => {
    const functions = [fn('kumo-api'), regionalCopy(fn('kumo-probe'), 'eu-west-1')];
    expect(findFunction(functions, { name: 'kumo-probe', region: 'eu-west-1' }, 'us-east-1')?.logicalId).toBe(
      'kumo-probe@eu-west-1',
    );
    expect(findFunction(functions, { name: 'kumo-probe', region: 'us-east-1' }, 'us-east-1')).toBeUndefined();
    expect(findFunction(functions, { name: 'kumo-api', region: 'eu-west-1' }, 'us-east-1')).toBeUndefined();
  });
});

describe('probe regions in the local template', () => {
  it('lists ProbeRegions once each, without the home region', () => {
    expect(
      probeRegionsOf({
        region: 'us-east-1',
        parameters: { ProbeRegions: ['eu-west-1', 'us-east-1', 'eu-west-1'] },
      }),
    ).toEqual(['eu-west-1']);
    expect(probeRegionsOf({ region: 'us-east-1', parameters: { ProbeRegions: ' ap-south-1 , ' } })).toEqual([
      'ap-south-1',
    ]);
    expect(probeRegionsOf({ region: 'us-east-1', parameters: {} })).toEqual([]);
  });

  it("gives a region's copy its own id, ARN and region, and kumo.local.json's variables", () => {
    const copy = regionalCopy(fn('kumo-probe'), 'ap-south-1', { HEALTH_ALLOW_SELF_SIGNED: 'true' });
    expect(copy).toMatchObject({
      logicalId: 'kumo-probe@ap-south-1',
      region: 'ap-south-1',
      arn: 'arn:aws:lambda:ap-south-1:000000000000:function:kumo-probe',
      environment: { A: '1', HEALTH_ALLOW_SELF_SIGNED: 'true' },
    });
  });
});
