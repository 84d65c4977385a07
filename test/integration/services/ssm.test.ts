import { writeFile } from 'node:fs/promises';
import path from 'node:path';
import {
  DescribeParametersCommand,
  type DescribeParametersCommandInput,
  GetParameterCommand,
  GetParametersByPathCommand,
  GetParametersCommand,
  PutParameterCommand,
  SSMClient,
} from '@aws-sdk/client-ssm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readLocalConfig } from '../../../local/config.js';
import { createSsmService, type SsmService } from '../../../local/services/ssm/index.js';
import { readTemplate, type TemplateModel } from '../../../local/template/index.js';
import { tempDataRoot, testContext } from '../../helpers/service-context.js';

const TEMPLATE = `
Transform: AWS::Serverless-2016-10-31
Resources:
  QueryParameter:
    Type: AWS::SSM::Parameter
    Properties:
      Name: /kumo/local/search-query
      Type: String
      Value: "#aws OR #serverless"
  PollerFunction:
    Type: AWS::Serverless::Function
    Properties:
      Runtime: nodejs22.x
      Handler: index.handler
      Policies:
        - SSMParameterWithSlashPrefixReadPolicy:
            ParameterName: /kumo/local/x-bearer-token
`;

async function start(model: TemplateModel, dataRoot: string, fresh: boolean) {
  const config = await readLocalConfig(model.rootDir, {});
  const { ctx } = testContext(model, dataRoot, { fresh, config });
  const service = (await createSsmService().start(ctx)) as SsmService;
  const client = new SSMClient({
    endpoint: service.url,
    region: 'us-east-1',
    credentials: { accessKeyId: 'x', secretAccessKey: 'x' },
  });
  return { service, client };
}

describe('Service: ssm', () => {
  let model: TemplateModel;
  let dataRoot: string;
  let running: Awaited<ReturnType<typeof start>>;

  beforeAll(async () => {
    const root = await tempDataRoot();
    await writeFile(path.join(root, 'template.yaml'), TEMPLATE);
    await writeFile(
      path.join(root, 'kumo.local.json'),
      JSON.stringify({
        ssmParameters: {
          '/kumo/local/x-bearer-token': 'local-dev-token',
          '/kumo/local/plain': { type: 'String', value: 'p' },
        },
      }),
    );
    model = await readTemplate(path.join(root, 'template.yaml'));
    dataRoot = await tempDataRoot();
    running = await start(model, dataRoot, true);
  });

  afterAll(async () => {
    running.client.destroy();
    await running.service.stop();
  });

  it('is needed when a function may read Parameter Store or the template declares a parameter', () => {
    expect(createSsmService().needed(model)).toBe(true);
    expect(createSsmService().needed({ ...model, resources: new Map() })).toBe(false);
  });

  it('serves the kumo.local.json seeds: a SecureString decrypted only WithDecryption', async () => {
    const { client } = running;
    const plain = await client.send(
      new GetParameterCommand({ Name: '/kumo/local/x-bearer-token', WithDecryption: true }),
    );
    expect(plain.Parameter).toMatchObject({
      Name: '/kumo/local/x-bearer-token',
      Type: 'SecureString',
      Value: 'local-dev-token',
      Version: 1,
      ARN: 'arn:aws:ssm:us-east-1:000000000000:parameter/kumo/local/x-bearer-token',
    });
    expect(plain.Parameter?.LastModifiedDate).toBeInstanceOf(Date);
    const hidden = await client.send(new GetParameterCommand({ Name: '/kumo/local/x-bearer-token' }));
    expect(hidden.Parameter?.Value).not.toBe('local-dev-token');
    const byArn = await client.send(
      new GetParameterCommand({ Name: 'arn:aws:ssm:us-east-1:000000000000:parameter/kumo/local/plain' }),
    );
    expect(byArn.Parameter).toMatchObject({ Type: 'String', Value: 'p' });
  });

  it('serves template parameters, GetParameters with invalid names, and by path', async () => {
    const { client } = running;
    const many = await client.send(
      new GetParametersCommand({ Names: ['/kumo/local/search-query', '/nope'] }),
    );
    expect(many.Parameters?.map((p) => p.Value)).toEqual(['#aws OR #serverless']);
    expect(many.InvalidParameters).toEqual(['/nope']);
    const tree = await client.send(
      new GetParametersByPathCommand({ Path: '/kumo/local', WithDecryption: true }),
    );
    expect(tree.Parameters?.map((p) => p.Name)).toEqual([
      '/kumo/local/plain',
      '/kumo/local/search-query',
      '/kumo/local/x-bearer-token',
    ]);
    await expect(client.send(new GetParameterCommand({ Name: '/nope' }))).rejects.toMatchObject({
      name: 'ParameterNotFound',
    });
  });

  it('describes parameters (DescribeParameters): filters by name, type and path, pages, never a value', async () => {
    const { client } = running;
    const names = async (input: DescribeParametersCommandInput) =>
      ((await client.send(new DescribeParametersCommand(input))).Parameters ?? []).map((p) => p.Name);

    const all = await client.send(new DescribeParametersCommand({ MaxResults: 50 }));
    expect(all.Parameters?.map((p) => p.Name)).toEqual(
      expect.arrayContaining(['/kumo/local/plain', '/kumo/local/search-query', '/kumo/local/x-bearer-token']),
    );
    const token = all.Parameters?.find((p) => p.Name === '/kumo/local/x-bearer-token');
    expect(token).toMatchObject({
      Type: 'SecureString',
      KeyId: 'alias/aws/ssm',
      Version: 1,
      Tier: 'Standard',
      DataType: 'text',
      ARN: 'arn:aws:ssm:us-east-1:000000000000:parameter/kumo/local/x-bearer-token',
    });
    expect(token?.LastModifiedDate).toBeInstanceOf(Date);
    expect(JSON.stringify(all.Parameters)).not.toContain('local-dev-token');

    expect(await names({ ParameterFilters: [{ Key: 'Name', Values: ['/kumo/local/plain'] }] })).toEqual([
      '/kumo/local/plain',
    ]);
    expect(
      await names({ ParameterFilters: [{ Key: 'Name', Option: 'Contains', Values: ['search', 'bearer'] }] }),
    ).toEqual(['/kumo/local/search-query', '/kumo/local/x-bearer-token']);
    expect(
      await names({
        ParameterFilters: [
          { Key: 'Path', Option: 'Recursive', Values: ['/kumo'] },
          { Key: 'Type', Values: ['String'] },
        ],
      }),
    ).toEqual(['/kumo/local/plain', '/kumo/local/search-query']);
    // The older Filters: a Name matches by prefix.
    expect(await names({ Filters: [{ Key: 'Name', Values: ['/kumo/local/x-'] }] })).toEqual([
      '/kumo/local/x-bearer-token',
    ]);

    const first = await client.send(
      new DescribeParametersCommand({
        MaxResults: 1,
        ParameterFilters: [{ Key: 'Path', Values: ['/kumo/local'] }],
      }),
    );
    expect(first.Parameters).toHaveLength(1);
    expect(first.NextToken).toEqual(expect.any(String));
    const second = await client.send(
      new DescribeParametersCommand({
        MaxResults: 1,
        NextToken: first.NextToken,
        ParameterFilters: [{ Key: 'Path', Values: ['/kumo/local'] }],
      }),
    );
    expect(second.Parameters?.[0]?.Name).not.toBe(first.Parameters?.[0]?.Name);

    await expect(
      client.send(new DescribeParametersCommand({ ParameterFilters: [{ Key: 'Colour', Values: ['red'] }] })),
    ).rejects.toMatchObject({ name: 'ValidationException', message: expect.stringContaining('Colour') });
    await expect(
      client.send(
        new DescribeParametersCommand({
          ParameterFilters: [{ Key: 'Type', Option: 'Contains', Values: ['S'] }],
        }),
      ),
    ).rejects.toMatchObject({ name: 'ValidationException' });
  });

  it('puts parameters with versions, refuses an overwrite not asked for, and keeps them across a restart', async () => {
    const { client } = running;
    await client.send(
      new PutParameterCommand({ Name: '/kumo/local/extra', Type: 'SecureString', Value: 'v1' }),
    );
    await expect(
      client.send(new PutParameterCommand({ Name: '/kumo/local/extra', Type: 'SecureString', Value: 'v2' })),
    ).rejects.toMatchObject({ name: 'ParameterAlreadyExists' });
    const put = await client.send(
      new PutParameterCommand({ Name: '/kumo/local/extra', Value: 'v2', Overwrite: true }),
    );
    expect(put.Version).toBe(2);

    const other = await tempDataRoot();
    const first = await start(model, other, true);
    await first.client.send(new PutParameterCommand({ Name: '/kept', Type: 'String', Value: 'yes' }));
    first.client.destroy();
    await first.service.stop();
    const second = await start(model, other, false);
    expect(second.service.valueOf('/kept')).toBe('yes');
    expect(second.service.valueOf('/kumo/local/x-bearer-token')).toBe('local-dev-token');
    second.client.destroy();
    await second.service.stop();
  });
});
