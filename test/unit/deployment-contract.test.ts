/**
 * Deployment safety (docs/security.md): what template.yaml keeps in prod, what its Rules refuse, and
 * what the pipeline's deploy roles may do. cfn-lint and checkov check the same templates in
 * scripts/check-static.sh.
 */
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { parseTemplateText, readTemplate } from '../../local/template/index.js';

const root = path.resolve(import.meta.dirname, '../..');

type Raw = Record<string, unknown>;
interface Resource {
  Type: string;
  Condition?: string;
  DeletionPolicy?: unknown;
  UpdateReplacePolicy?: unknown;
  Properties?: Raw;
}
interface Template {
  Transform?: unknown;
  Parameters: Record<string, { Default?: string; AllowedPattern?: string }>;
  Rules?: Record<string, { RuleCondition?: unknown; Assertions: { Assert: unknown }[] }>;
  Globals?: { Function?: Raw };
  Resources: Record<string, Resource>;
}
interface Statement {
  Sid?: string;
  Effect: 'Allow' | 'Deny';
  Action: string | string[];
  Resource: unknown;
  Condition?: Record<string, Record<string, unknown>>;
}

let app: Template;
let pipeline: Template;

beforeAll(async () => {
  app = parseTemplateText(await readFile(path.join(root, 'template.yaml'), 'utf8')) as Template;
  pipeline = parseTemplateText(await readFile(path.join(root, 'pipeline/template.yaml'), 'utf8')) as Template;
});

/** Resource types whose deletion loses data (or, for a key, the data it encrypts). */
const STATEFUL_TYPES = [
  'AWS::DynamoDB::Table',
  'AWS::S3::Bucket',
  'AWS::Kinesis::Stream',
  'AWS::SQS::Queue',
  'AWS::KMS::Key',
  'AWS::Cognito::UserPool',
];

const RETAIN_IN_PROD = { 'Fn::If': ['IsProd', 'Retain', 'Delete'] };

/** The AWS managed policies SAM attaches to a function's role, by what the function declares. */
const SAM_MANAGED_POLICIES = {
  basic: 'service-role/AWSLambdaBasicExecutionRole',
  tracing: 'AWSXrayWriteOnlyAccess',
  Kinesis: 'service-role/AWSLambdaKinesisExecutionRole',
  SQS: 'service-role/AWSLambdaSQSQueueExecutionRole',
  DynamoDB: 'service-role/AWSLambdaDynamoDBExecutionRole',
} as const;

function entries(template: Template, type: string): [string, Resource][] {
  return Object.entries(template.Resources).filter(([, resource]) => resource.Type === type);
}

/** Evaluates a rule expression with the rule functions the templates use. */
function evaluate(template: Template, expression: unknown, parameters: Record<string, string>): unknown {
  if (typeof expression !== 'object' || expression === null) return expression;
  if (Array.isArray(expression)) return expression.map((item) => evaluate(template, item, parameters));
  const [[name, args]] = Object.entries(expression) as [[string, unknown]];
  if (name === 'Ref') {
    const value = parameters[args as string] ?? template.Parameters[args as string]?.Default;
    if (value === undefined) throw new Error(`no value for ${String(args)}`);
    return value;
  }
  const values = evaluate(template, args, parameters) as unknown[];
  switch (name) {
    case 'Fn::Equals':
      return values[0] === values[1];
    case 'Fn::Not':
      return !values[0];
    case 'Fn::And':
      return values.every(Boolean);
    case 'Fn::Or':
      return values.some(Boolean);
    case 'Fn::Contains':
      return (values[0] as unknown[]).includes(values[1]);
    default:
      throw new Error(`${name} is not a rule function this test knows`);
  }
}

/** The first rule a template's Rules refuse these parameters by (undefined: accepted). */
function refusal(parameters: Record<string, string>, template: Template = app): string | undefined {
  for (const [name, rule] of Object.entries(template.Rules ?? {})) {
    if (rule.RuleCondition !== undefined && evaluate(template, rule.RuleCondition, parameters) !== true) {
      continue;
    }
    for (const assertion of rule.Assertions) {
      if (evaluate(template, assertion.Assert, parameters) !== true) return name;
    }
  }
  return undefined;
}

function allowedBy(template: Template, parameter: string): RegExp {
  return new RegExp(template.Parameters[parameter]?.AllowedPattern ?? '(?!)');
}

/** Every statement of a role's inline policies or a managed policy's document. */
function statementsOf(resource: Resource | undefined): Statement[] {
  const props = resource?.Properties ?? {};
  const documents = [
    ...((props.Policies as { PolicyDocument: { Statement: Statement[] } }[] | undefined) ?? []).map(
      (policy) => policy.PolicyDocument,
    ),
    ...(props.PolicyDocument ? [props.PolicyDocument as { Statement: Statement[] }] : []),
  ];
  return documents.flatMap((document) => document.Statement);
}

/** Every IAM statement anywhere under `value`. */
function allStatements(value: unknown, found: Statement[] = []): Statement[] {
  if (Array.isArray(value)) for (const item of value) allStatements(item, found);
  else if (value && typeof value === 'object') {
    const record = value as Raw;
    if (Array.isArray(record.Statement)) found.push(...(record.Statement as Statement[]));
    for (const inner of Object.values(record)) allStatements(inner, found);
  }
  return found;
}

function actions(statement: Statement): string[] {
  return [statement.Action].flat();
}

/** Whether an IAM action pattern (`dynamodb:*`, `s3:Get*`) covers an action. */
function covers(pattern: string, action: string): boolean {
  const regex = new RegExp(`^${pattern.replace(/[.+?^${}()|[\]\\]/g, '\\$&').replace(/\*/g, '.*')}$`, 'i');
  return regex.test(action);
}

/** The `!Sub` text of a resource entry, for checking which stack it names. */
function subText(value: unknown): string {
  return JSON.stringify(value);
}

describe('template.yaml: prod keeps its data', () => {
  it('resolves Fn::If in DeletionPolicy through AWS::LanguageExtensions, before the SAM transform', () => {
    expect(app.Transform).toEqual(['AWS::LanguageExtensions', 'AWS::Serverless-2016-10-31']);
  });

  it('retains every stateful resource in prod, on deletion and on replacement', () => {
    const stateful = Object.entries(app.Resources).filter(([, r]) => STATEFUL_TYPES.includes(r.Type));
    expect(stateful.map(([id]) => id)).toEqual(
      expect.arrayContaining([
        'PhotosTable',
        'PhotosBucket',
        'PostsStream',
        'PostsDeadLetterQueue',
        'UserPool',
      ]),
    );
    for (const [logicalId, resource] of stateful) {
      expect(resource.DeletionPolicy, `${logicalId} DeletionPolicy`).toEqual(RETAIN_IN_PROD);
      expect(resource.UpdateReplacePolicy, `${logicalId} UpdateReplacePolicy`).toEqual(RETAIN_IN_PROD);
    }
  });

  it('turns on deletion protection for every table and the user pool in prod only', async () => {
    const prod = await readTemplate(path.join(root, 'template.yaml'), {
      parameterOverrides: {
        Stage: 'prod',
        WebOrigin: 'https://kumo.example.com',
        CursorSecretParameterName: '/kumo/prod/cursor-secret',
      },
    });
    const dev = await readTemplate(path.join(root, 'template.yaml'));
    expect(prod.tables.length).toBeGreaterThan(0);
    for (const table of prod.tables) {
      expect(prod.resources.get(table.logicalId)?.properties.DeletionProtectionEnabled, table.logicalId).toBe(
        true,
      );
      expect(dev.resources.get(table.logicalId)?.properties.DeletionProtectionEnabled, table.logicalId).toBe(
        false,
      );
    }
    expect(prod.resources.get('UserPool')?.properties.DeletionProtection).toBe('ACTIVE');
    expect(dev.resources.get('UserPool')?.properties.DeletionProtection).toBe('INACTIVE');
  });
});

describe('template.yaml: prod guards (Rules)', () => {
  const prod = {
    Stage: 'prod',
    WebOrigin: 'https://kumo.example.com',
    CursorSecretParameterName: '/kumo/prod/c',
    ChannelKeyParameterName: '/kumo/prod/k',
  };

  it('accepts prod with an https origin and a cursor secret, and dev with its defaults', () => {
    expect(refusal(prod)).toBeUndefined();
    expect(refusal({})).toBeUndefined();
    expect(refusal({ Stage: 'dev', WebOrigin: '*' })).toBeUndefined();
  });

  it("accepts a blank WebOrigin in prod (the stack's own https site), and a custom domain only with its certificate", () => {
    expect(refusal({ ...prod, WebOrigin: '' })).toBeUndefined();
    expect(allowedBy(app, 'WebOrigin').test('')).toBe(true);
    expect(app.Parameters.WebOrigin?.Default).toBe('');
    const certificate = 'arn:aws:acm:us-east-1:123456789012:certificate/0a1b2c3d-aaaa-bbbb-cccc-1234567890ab';
    expect(refusal({ SiteDomainName: 'kumo.example.com', SiteCertificateArn: certificate })).toBeUndefined();
    expect(refusal({ SiteDomainName: 'kumo.example.com' })).toBe('SiteDomainWithCertificate');
    expect(refusal({ SiteCertificateArn: certificate })).toBe('SiteDomainWithCertificate');
    expect(allowedBy(app, 'SiteCertificateArn').test(certificate.replace('us-east-1', 'eu-west-1'))).toBe(
      false,
    );
  });

  it('refuses prod with *, a local http origin, or no cursor secret', () => {
    expect(refusal({ ...prod, WebOrigin: '*' })).toBe('ProdWebOriginIsHttps');
    expect(refusal({ ...prod, WebOrigin: 'http://localhost:4500' })).toBe('ProdWebOriginIsHttps');
    expect(refusal({ ...prod, WebOrigin: 'http://127.0.0.1:4173' })).toBe('ProdWebOriginIsHttps');
    expect(refusal({ ...prod, CursorSecretParameterName: '' })).toBe('ProdHasCursorSecret');
    expect(refusal({ ...prod, ChannelKeyParameterName: '' })).toBe('ProdHasChannelKey');
  });

  it('leaves prod nothing but https: every http origin the pattern allows is one the rule refuses', () => {
    const pattern = allowedBy(app, 'WebOrigin');
    const hosts = ['localhost', '127.0.0.1', 'example.com', '10.0.0.1', 'kumo.example.com'];
    const ports = ['', ':80', ':443', ':4173', ':4500', ':5173', ':8080'];
    const allowedHttp = hosts
      .flatMap((host) => ports.map((port) => `http://${host}${port}`))
      .filter((origin) => pattern.test(origin));
    expect(allowedHttp.length).toBeGreaterThan(0);
    for (const origin of allowedHttp) {
      expect(refusal({ ...prod, WebOrigin: origin }), origin).toBe('ProdWebOriginIsHttps');
    }
    expect(pattern.test('http://example.com')).toBe(false);
    expect(pattern.test('https://kumo.example.com')).toBe(true);
  });

  it('allows only https for the X API in every deployed stage', () => {
    const pattern = allowedBy(app, 'XApiBaseUrl');
    expect(pattern.test(String(app.Parameters.XApiBaseUrl?.Default))).toBe(true);
    expect(pattern.test('https://api.x.com/2')).toBe(true);
    expect(pattern.test('http://api.x.com')).toBe(false);
    expect(pattern.test('http://127.0.0.1:4599')).toBe(false);
  });
});

describe('template.yaml: the cursor secret', () => {
  it('reaches PhotosApiFunction as an SSM parameter name, readable by that function alone', () => {
    const fn = app.Resources.PhotosApiFunction?.Properties ?? {};
    const variables = (fn.Environment as { Variables: Raw }).Variables;
    expect(variables.CURSOR_SECRET_PARAMETER).toEqual({ Ref: 'CursorSecretParameterName' });
    expect(variables).not.toHaveProperty('CURSOR_SECRET');
    expect(fn.Policies).toContainEqual({
      'Fn::If': [
        'HasCursorSecretParameter',
        { SSMParameterWithSlashPrefixReadPolicy: { ParameterName: { Ref: 'CursorSecretParameterName' } } },
        { Ref: 'AWS::NoValue' },
      ],
    });
  });

  it('puts no NoEcho parameter (a secret) into any environment', () => {
    const secrets = Object.entries(app.Parameters)
      .filter(([, spec]) => (spec as { NoEcho?: boolean }).NoEcho === true)
      .map(([name]) => name);
    const environments = JSON.stringify(
      Object.values(app.Resources).map((r) => r.Properties?.Environment ?? null),
    );
    for (const name of secrets) expect(environments).not.toContain(`"Ref":"${name}"`);
  });
});

describe('template.yaml: every role takes the permissions boundary', () => {
  it('sets the boundary on every function role through Globals, when one is given', () => {
    expect(app.Globals?.Function?.PermissionsBoundary).toEqual({
      'Fn::If': ['HasPermissionsBoundary', { Ref: 'PermissionsBoundaryArn' }, { Ref: 'AWS::NoValue' }],
    });
    expect(app.Parameters.PermissionsBoundaryArn?.Default).toBe('');
  });

  it('sets it on every explicit IAM role and on every function that overrides Globals', () => {
    for (const [logicalId, role] of entries(app, 'AWS::IAM::Role')) {
      expect(role.Properties?.PermissionsBoundary, logicalId).toEqual({
        'Fn::If': ['HasPermissionsBoundary', { Ref: 'PermissionsBoundaryArn' }, { Ref: 'AWS::NoValue' }],
      });
    }
    for (const [logicalId, fn] of entries(app, 'AWS::Serverless::Function')) {
      expect(fn.Properties?.Role, `${logicalId}: a Role of its own escapes the boundary`).toBeUndefined();
      expect(fn.Properties?.PermissionsBoundary, logicalId).toBeUndefined();
    }
  });
});

describe('pipeline/template.yaml: deploy roles', () => {
  const stages = [
    { role: 'DevDeployRole', boundary: 'DevDeployBoundary', stack: 'DevStackName', other: 'ProdStackName' },
    { role: 'ProdDeployRole', boundary: 'ProdDeployBoundary', stack: 'ProdStackName', other: 'DevStackName' },
  ];
  const BOUNDED_ACTIONS = [
    'iam:CreateRole',
    'iam:PutRolePolicy',
    'iam:AttachRolePolicy',
    'iam:DeleteRolePolicy',
    'iam:DetachRolePolicy',
    'iam:PutRolePermissionsBoundary',
  ];

  it('has one deploy role and one boundary per stage', () => {
    for (const { role, boundary } of stages) {
      expect(pipeline.Resources[role]?.Type).toBe('AWS::IAM::Role');
      expect(pipeline.Resources[boundary]?.Type).toBe('AWS::IAM::ManagedPolicy');
    }
  });

  it.each(stages)(
    '$role creates and edits roles only with $boundary as their boundary',
    ({ role, boundary }) => {
      const statements = statementsOf(pipeline.Resources[role]);
      const granting = statements.filter(
        (s) => s.Effect === 'Allow' && actions(s).some((a) => BOUNDED_ACTIONS.some((b) => covers(a, b))),
      );
      expect(granting.flatMap(actions).sort()).toEqual([...BOUNDED_ACTIONS].sort());
      for (const statement of granting) {
        expect(statement.Condition?.StringEquals?.['iam:PermissionsBoundary'], statement.Sid).toEqual({
          Ref: boundary,
        });
      }
      const deny = statements.find(
        (s) => s.Effect === 'Deny' && actions(s).includes('iam:DeleteRolePermissionsBoundary'),
      );
      expect(deny?.Resource).toBe('*');
      expect(
        statements.some(
          (s) =>
            s.Effect === 'Allow' && actions(s).some((a) => covers(a, 'iam:DeleteRolePermissionsBoundary')),
        ),
      ).toBe(false);
      const rewrite = statements.find(
        (s) => s.Effect === 'Deny' && actions(s).includes('iam:CreatePolicyVersion'),
      );
      expect(rewrite?.Resource).toEqual({ Ref: boundary });
    },
  );

  it.each(stages)('$role attaches only the AWS managed policies SAM attaches', ({ role }) => {
    const statements = statementsOf(pipeline.Resources[role]);
    const attach = statements.filter(
      (s) => s.Effect === 'Allow' && actions(s).includes('iam:AttachRolePolicy'),
    );
    expect(attach).toHaveLength(1);
    const allowList = (
      (attach[0]?.Condition?.ArnEquals?.['iam:PolicyARN'] ?? []) as { 'Fn::Sub': string }[]
    ).map((arn) => arn['Fn::Sub'].replace(`arn:\${AWS::Partition}:iam::aws:policy/`, ''));
    // What SAM attaches to this template's functions: the basic role, X-Ray with Tracing: Active, the
    // poller's policy for each stream/queue/table event source.
    const needed = new Set<string>();
    const tracing = app.Globals?.Function?.Tracing;
    for (const [logicalId, fn] of entries(app, 'AWS::Serverless::Function')) {
      needed.add(SAM_MANAGED_POLICIES.basic);
      if ((fn.Properties?.Tracing ?? tracing) === 'Active') needed.add(SAM_MANAGED_POLICIES.tracing);
      for (const event of Object.values((fn.Properties?.Events ?? {}) as Record<string, { Type: string }>)) {
        const policy = SAM_MANAGED_POLICIES[event.Type as 'Kinesis' | 'SQS' | 'DynamoDB'];
        if (policy) needed.add(policy);
      }
      for (const policy of (fn.Properties?.Policies ?? []) as unknown[]) {
        expect(typeof policy, `${logicalId}: a managed policy by name is not on the allow-list`).not.toBe(
          'string',
        );
      }
    }
    expect(new Set(allowList)).toEqual(needed);
  });

  it.each(stages)('$role and $boundary name only their own stack', ({ role, boundary, stack, other }) => {
    for (const logicalId of [role, boundary]) {
      const text = subText(pipeline.Resources[logicalId]?.Properties);
      expect(text, logicalId).toContain(`\${${stack}}`);
      expect(text, logicalId).not.toContain(other);
    }
  });

  it('hands each stage its own role and boundary', () => {
    const stagesOfPipeline = (pipeline.Resources.Pipeline?.Properties?.Stages ?? []) as {
      Name: string;
      Actions: { Configuration: Raw }[];
    }[];
    const create = (name: string) => stagesOfPipeline.find((s) => s.Name === name)?.Actions[0]?.Configuration;
    expect(create('DeployDev')?.RoleArn).toEqual({ 'Fn::GetAtt': ['DevDeployRole', 'Arn'] });
    expect(JSON.stringify(create('DeployDev')?.ParameterOverrides)).toContain(
      `\\"PermissionsBoundaryArn\\": \\"\${DevDeployBoundary}\\"`,
    );
    expect(create('DeployProd')?.RoleArn).toEqual({
      'Fn::If': [
        'ProdInThisAccount',
        { 'Fn::GetAtt': ['ProdDeployRole', 'Arn'] },
        { Ref: 'ProdDeployRoleArn' },
      ],
    });
    expect(JSON.stringify(create('DeployProd')?.ParameterOverrides)).toContain(
      '{"Boundary":{"Fn::If":["ProdInThisAccount",{"Ref":"ProdDeployBoundary"},{"Ref":"ProdPermissionsBoundaryArn"}]}}',
    );
  });

  it('lets the boundary allow every action template.yaml grants in its own statements', () => {
    const boundary = statementsOf(pipeline.Resources.DevDeployBoundary).filter((s) => s.Effect === 'Allow');
    // Identity policies only: a key policy (with a Principal) grants nothing to the functions' roles.
    const granted = allStatements(app.Resources)
      .filter((s) => s.Effect === 'Allow' && !('Principal' in s))
      .flatMap(actions);
    expect(granted.length).toBeGreaterThan(0);
    for (const action of granted) {
      expect(
        boundary.some((s) => actions(s).some((pattern) => covers(pattern, action))),
        `${action} is outside the permissions boundary`,
      ).toBe(true);
    }
  });

  it.each(stages)(
    '$role may create the CloudFront resources template.yaml declares, only for its own stack',
    ({ role, stack }) => {
      const statements = statementsOf(pipeline.Resources[role]).filter((s) => s.Effect === 'Allow');
      const allowing = (action: string) =>
        statements.filter((s) => actions(s).some((p) => covers(p, action)));
      const CREATE: Record<string, string> = {
        'AWS::CloudFront::Distribution': 'cloudfront:CreateDistribution',
        'AWS::CloudFront::Function': 'cloudfront:CreateFunction',
        'AWS::CloudFront::OriginAccessControl': 'cloudfront:CreateOriginAccessControl',
        'AWS::CloudFront::CachePolicy': 'cloudfront:CreateCachePolicy',
        'AWS::CloudFront::ResponseHeadersPolicy': 'cloudfront:CreateResponseHeadersPolicy',
      };
      const types = new Set(Object.values(app.Resources).map((r) => r.Type));
      const cloudfrontTypes = [...types].filter((type) => type.startsWith('AWS::CloudFront::'));
      expect(cloudfrontTypes.sort()).toEqual(Object.keys(CREATE).sort());
      for (const type of cloudfrontTypes) {
        expect(allowing(CREATE[type] as string).length, `${role}: ${type}`).toBeGreaterThan(0);
      }
      // A distribution is the stack's by its tag, at creation and after; a function by its name.
      for (const statement of allowing('cloudfront:CreateDistribution')) {
        expect(statement.Condition?.StringEquals?.['aws:RequestTag/kumo:stack']).toEqual({ Ref: stack });
      }
      for (const statement of allowing('cloudfront:UpdateDistribution')) {
        expect(statement.Condition?.StringEquals?.['aws:ResourceTag/kumo:stack']).toEqual({ Ref: stack });
      }
      for (const statement of allowing('cloudfront:CreateFunction')) {
        expect(subText(statement.Resource)).toContain(`:function/\${${stack}}-*`);
      }
      expect(app.Resources.SiteDistribution?.Properties?.Tags).toEqual([
        { Key: 'kumo:stack', Value: { Ref: 'AWS::StackName' } },
      ]);
    },
  );

  it('publishes the one web build to each stage after its deploy, with a role that may only do that', () => {
    const stagesOfPipeline = (pipeline.Resources.Pipeline?.Properties?.Stages ?? []) as {
      Name: string;
      Actions: Raw[];
    }[];
    const publish = (name: string) => {
      const items = stagesOfPipeline.find((s) => s.Name === name)?.Actions ?? [];
      const actionsOf = items.map(
        (item) => (item['Fn::If'] as [string, Raw, unknown] | undefined)?.[1] ?? item,
      );
      const last = actionsOf[actionsOf.length - 1] as Raw;
      return { last, all: actionsOf, wrapped: items[items.length - 1] };
    };
    for (const [name, stack] of [
      ['DeployDev', 'DevStackName'],
      ['DeployProd', 'ProdStackName'],
    ] as const) {
      const { last, all } = publish(name);
      expect(last.Name, name).toBe('PublishWeb');
      expect(last.RunOrder).toBe(Math.max(...all.map((a) => Number(a.RunOrder ?? 1))));
      expect(all.find((a) => a.Name === 'ExecuteChangeSet')?.RunOrder).toBeLessThan(Number(last.RunOrder));
      expect(last.InputArtifacts).toEqual([{ Name: 'SourceOutput' }, { Name: 'BuildOutput' }]);
      expect(subText((last.Configuration as Raw).EnvironmentVariables)).toContain(`\${${stack}}`);
      expect((last.Configuration as Raw).ProjectName).toEqual({ Ref: 'PublishWebProject' });
    }
    // Prod in another account: this account's project cannot reach its bucket (docs/deployment.md).
    expect(publish('DeployProd').wrapped).toMatchObject({
      'Fn::If': ['ProdInThisAccount', expect.anything(), { Ref: 'AWS::NoValue' }],
    });

    const statements = statementsOf(pipeline.Resources.PublishWebRole);
    const puts = statements.filter((s) => actions(s).some((a) => covers(a, 's3:PutObject')));
    const siteBuckets = puts.find((s) => s.Sid === 'PutSiteFiles');
    expect(subText(siteBuckets?.Resource)).toContain(
      `\${DevStackName}-site-\${AWS::AccountId}-\${AWS::Region}/*`,
    );
    expect(subText(siteBuckets?.Resource)).toContain(
      `\${ProdStackName}-site-\${AWS::AccountId}-\${AWS::Region}/*`,
    );
    expect(puts.filter((s) => s !== siteBuckets).map((s) => s.Resource)).toEqual([
      { 'Fn::Sub': `\${ArtifactBucket.Arn}/*` },
    ]);
    const invalidate = statements.find((s) => actions(s).includes('cloudfront:CreateInvalidation'));
    expect(invalidate?.Condition?.StringEquals?.['aws:ResourceTag/kumo:stack']).toEqual([
      { Ref: 'DevStackName' },
      { Ref: 'ProdStackName' },
    ]);
    expect(statements.flatMap(actions).filter((a) => /Delete|iam:|\*$/.test(a))).toEqual([]);
  });

  it('grants no * action on * resource, in either template', () => {
    for (const statement of [...allStatements(pipeline.Resources), ...allStatements(app.Resources)]) {
      const wildcardAction = actions(statement).includes('*');
      const wildcardResource = [statement.Resource].flat().includes('*');
      expect(
        statement.Effect === 'Allow' && wildcardAction && wildcardResource,
        JSON.stringify(statement),
      ).toBe(false);
    }
  });
});

describe('pipeline/template.yaml: prod in another account', () => {
  const other = {
    ProdWebOrigin: 'https://kumo.example.com',
    ProdActionRoleArn: 'arn:aws:iam::222222222222:role/kumo-prod-action',
    ProdDeployRoleArn: 'arn:aws:iam::222222222222:role/kumo-prod-deploy',
    ProdPermissionsBoundaryArn: 'arn:aws:iam::222222222222:policy/kumo-prod-boundary',
  };

  it('takes the three prod-account ARNs together or not at all', () => {
    expect(refusal({ ProdWebOrigin: other.ProdWebOrigin }, pipeline)).toBeUndefined();
    expect(refusal(other, pipeline)).toBeUndefined();
    expect(refusal({ ...other, ProdDeployRoleArn: '' }, pipeline)).toBe('ProdAccountRolesTogether');
    expect(refusal({ ...other, ProdPermissionsBoundaryArn: '' }, pipeline)).toBe('ProdAccountRolesTogether');
    expect(refusal({ ...other, ProdActionRoleArn: '' }, pipeline)).toBe('ProdAccountRolesOnlyWithActionRole');
  });

  it('creates the prod role and boundary here only when prod is here', () => {
    for (const logicalId of ['ProdDeployRole', 'ProdDeployBoundary']) {
      expect(pipeline.Resources[logicalId]?.Condition, logicalId).toBe('ProdInThisAccount');
    }
    expect(pipeline.Resources.DevDeployRole?.Condition).toBeUndefined();
  });

  it("grants the prod account's two roles, by ARN, read and decrypt of the artifacts, nothing more", () => {
    /** The statements of a policy that exist only when prod is in another account. */
    const crossAccount = (document: unknown) =>
      ((document as { Statement: unknown[] }).Statement ?? [])
        .map((item) => (item as { 'Fn::If'?: [string, Statement, unknown] })['Fn::If'])
        .filter((branches) => branches?.[0] === 'ProdInOtherAccount')
        .map((branches) => branches?.[1] as Statement);
    const key = crossAccount(pipeline.Resources.ArtifactKey?.Properties?.KeyPolicy);
    const bucket = crossAccount(pipeline.Resources.ArtifactBucketPolicy?.Properties?.PolicyDocument);
    expect(key.map(actions)).toEqual([['kms:Decrypt', 'kms:DescribeKey']]);
    expect(bucket.map(actions)).toEqual([
      ['s3:GetObject', 's3:GetObjectVersion', 's3:GetBucketLocation', 's3:ListBucket'],
    ]);
    for (const statement of [...key, ...bucket]) {
      expect(statement.Effect).toBe('Allow');
      expect(statement.Condition?.ArnEquals?.['aws:PrincipalArn']).toEqual([
        { Ref: 'ProdActionRoleArn' },
        { Ref: 'ProdDeployRoleArn' },
      ]);
    }
  });

  it('runs both DeployProd change-set actions as the prod account action role when there is one', () => {
    const stagesOfPipeline = (pipeline.Resources.Pipeline?.Properties?.Stages ?? []) as {
      Name: string;
      Actions: { RoleArn?: unknown; ActionTypeId?: { Provider: string } }[];
    }[];
    const prod = stagesOfPipeline.find((stage) => stage.Name === 'DeployProd');
    const changeSets = prod?.Actions.filter((action) => action.ActionTypeId?.Provider === 'CloudFormation');
    expect(changeSets?.map((action) => action.RoleArn)).toEqual([
      { 'Fn::If': ['ProdInOtherAccount', { Ref: 'ProdActionRoleArn' }, { Ref: 'AWS::NoValue' }] },
      { 'Fn::If': ['ProdInOtherAccount', { Ref: 'ProdActionRoleArn' }, { Ref: 'AWS::NoValue' }] },
    ]);
  });
});
