import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { buildModel, parseTemplateText } from '../../../local/template/index.js';

const fixture = path.resolve('test/fixtures/templates/intrinsics.yaml');

async function model(overrides: Record<string, string> = {}) {
  const raw = parseTemplateText(await readFile(fixture, 'utf8'));
  return buildModel(raw, fixture, { stackName: 'st', parameterOverrides: overrides });
}

describe('Function: buildModel()', () => {
  it('resolves Ref, GetAtt, Sub, Join, Select, Split, FindInMap and If through the short tags', async () => {
    const m = await model();
    const fn = m.functions[0];
    expect(fn?.environment).toMatchObject({
      TABLE: 'st-things-test',
      TABLE_ARN: 'arn:aws:dynamodb:us-east-1:000000000000:table/st-things-test',
      TOPIC: 'arn:aws:sns:us-east-1:000000000000:st-Topic',
      TOPIC_NAME: 'st-Topic',
      TARGETS: 'http://a;http://b',
      FIRST: 'http://a',
      SPLIT_LAST: 'b',
      WHERE: 'arn:aws:x:us-east-1:000000000000:st-things-test',
      NAMED: 'test-fixed',
      CHOICE: 'picked',
    });
    expect(fn?.memoryMb).toBe(1024);
  });

  it('drops a property set to AWS::NoValue and resources whose condition is false', async () => {
    const m = await model();
    expect(m.functions[0]?.environment).not.toHaveProperty('MAYBE');
    expect(m.resources.has('EmailSub')).toBe(false);
    expect(m.outputs).toEqual({ TableName: 'st-things-test' });
  });

  it('applies overrides, conditions follow them, and subscriptions attach to their topic', async () => {
    const m = await model({ Email: 'ops@example.com' });
    expect(m.functions[0]?.environment.MAYBE).toBe('ops@example.com');
    expect(m.conditions).toEqual({ HasEmail: true, IsTest: true, Both: true });
    expect(m.topics[0]?.subscriptions).toEqual([
      { protocol: 'email', endpoint: 'ops@example.com', filterPolicy: undefined, rawMessageDelivery: false },
    ]);
  });

  it('merges Globals: maps merge, the function wins on conflicts', async () => {
    const fn = (await model()).functions[0];
    expect(fn?.timeoutSeconds).toBe(7);
    expect(fn?.runtime).toBe('nodejs22.x');
    expect(fn?.environment.FROM_GLOBALS).toBe('yes');
    expect(fn?.environment.OVERRIDDEN).toBe('local');
  });

  it('reads tables with GSIs and TTL, and SimpleTable keys', async () => {
    const m = await model();
    const table = m.tables.find((t) => t.logicalId === 'Table');
    expect(table?.ttlAttribute).toBe('expiresAt');
    expect(table?.globalSecondaryIndexes[0]).toEqual({
      indexName: 'byGsi1',
      keySchema: [{ attributeName: 'gsi1', keyType: 'HASH' }],
      projection: { projectionType: 'KEYS_ONLY', nonKeyAttributes: undefined },
    });
    const simple = m.tables.find((t) => t.logicalId === 'Simple');
    expect(simple?.keySchema).toEqual([{ attributeName: 'id', keyType: 'HASH' }]);
    expect(simple?.attributeDefinitions).toEqual([{ attributeName: 'id', attributeType: 'N' }]);
  });

  it('reads events and names what the local cloud cannot emulate', async () => {
    const m = await model();
    const events = m.functions[0]?.events ?? [];
    expect(events.map((e) => e.type)).toEqual(['Schedule', 'Schedule', 'Api', 'Unsupported']);
    expect(events[1]).toMatchObject({ expression: 'cron(0 12 ? * MON-FRI *)', enabled: false });
    expect(events[2]).toMatchObject({ path: '/things/{id}', method: 'GET' });
    expect(m.functions[0]?.build).toMatchObject({
      entryPoints: ['src/fn.ts'],
      minify: true,
      target: 'node22',
    });
    expect(m.warnings).toEqual([
      'Queue: resource type AWS::StepFunctions::StateMachine is not emulated by the local cloud; it is ignored',
      'Fn: event Odd of type IoTRule is not delivered by the local cloud',
    ]);
  });

  it('refuses to run a function that depends on an unemulated resource', async () => {
    const m = await model();
    expect(m.errors).toEqual([
      'Fn depends on Queue (AWS::StepFunctions::StateMachine), which the local cloud does not emulate',
    ]);
  });

  it('refuses an override for a parameter the template lacks, and a value outside AllowedValues', async () => {
    await expect(model({ Nope: 'x' })).rejects.toThrow('the template has no parameter Nope');
    await expect(model({ Size: '4' })).rejects.toThrow('Size=4 is not one of 1, 3, 5');
  });

  it('reports a reference to an unknown name instead of guessing', () => {
    const raw = parseTemplateText(
      'Resources:\n  T:\n    Type: AWS::SNS::Topic\n    Properties:\n      DisplayName: !Ref Missing\n',
    );
    const m = buildModel(raw, '/x/template.yaml');
    expect(m.warnings).toEqual(['T.DisplayName: Ref to unknown name "Missing"']);
  });
});
