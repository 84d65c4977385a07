import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { readTemplate } from '../../../local/template/index.js';

const fixture = path.resolve('test/fixtures/templates/deployment-safety.yaml');

describe('Function: readTemplate() with deployment guards', () => {
  it('reads LanguageExtensions, Rules and Fn::If in DeletionPolicy without a warning', async () => {
    const model = await readTemplate(fixture);
    expect(model.warnings).toEqual([]);
    expect(model.errors).toEqual([]);
    expect(model.tables.map((table) => table.logicalId)).toEqual(['Table']);
    expect(model.resources.get('Table')?.properties.DeletionProtectionEnabled).toBe(false);
    // No boundary and no secret outside prod: both properties drop out, as AWS::NoValue makes them.
    const fn = model.resources.get('Fn')?.properties ?? {};
    expect(fn).not.toHaveProperty('PermissionsBoundary');
    expect(fn.Policies).toEqual([{ DynamoDBReadPolicy: { TableName: 'kumo-local-Table' } }]);
  });

  it('follows the stage and the boundary given as overrides', async () => {
    const model = await readTemplate(fixture, {
      parameterOverrides: {
        Stage: 'prod',
        PermissionsBoundaryArn: 'arn:aws:iam::123456789012:policy/kumo-boundary',
        SecretParameterName: '/kumo/prod/secret',
      },
    });
    expect(model.conditions).toMatchObject({ IsProd: true, HasPermissionsBoundary: true, HasSecret: true });
    expect(model.resources.get('Table')?.properties.DeletionProtectionEnabled).toBe(true);
    const fn = model.resources.get('Fn')?.properties ?? {};
    expect(fn.PermissionsBoundary).toBe('arn:aws:iam::123456789012:policy/kumo-boundary');
    expect(fn.Policies).toContainEqual({
      SSMParameterWithSlashPrefixReadPolicy: { ParameterName: '/kumo/prod/secret' },
    });
    expect(model.functions[0]?.environment.SECRET_PARAMETER).toBe('/kumo/prod/secret');
  });
});
