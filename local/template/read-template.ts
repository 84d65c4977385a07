import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { IntrinsicError, NO_VALUE, type ReferenceResolver, resolveValue } from './intrinsics.js';
import { localBucketName, localUserPoolClientId, localUserPoolId } from './physical-ids.js';
import type {
  ApiModel,
  EsbuildProperties,
  FunctionEvent,
  FunctionModel,
  IndexModel,
  KeyElement,
  Resolved,
  ResourceModel,
  TableModel,
  TemplateModel,
  TopicModel,
} from './types.js';
import { parseTemplateText } from './yaml.js';

export interface ReadTemplateOptions {
  stackName?: string;
  region?: string;
  accountId?: string;
  /** Values that win over the template's parameter defaults (like `--parameter-overrides`). */
  parameterOverrides?: Record<string, string>;
  /**
   * Local endpoints known before the template is read, by service (`sqs`): a queue's Ref is its URL,
   * and SDK clients send requests to the host of the QueueUrl they are given.
   */
  serviceUrls?: Record<string, string>;
}

/** Resource types the local cloud emulates. */
const EMULATED_TYPES = new Set([
  'AWS::Serverless::Function',
  'AWS::Serverless::Api',
  'AWS::Serverless::SimpleTable',
  'AWS::DynamoDB::Table',
  'AWS::SNS::Topic',
  'AWS::SNS::Subscription',
  'AWS::Kinesis::Stream',
  'AWS::SQS::Queue',
  'AWS::SSM::Parameter',
  'AWS::S3::Bucket',
  'AWS::Cognito::UserPool',
  'AWS::Cognito::UserPoolClient',
  'AWS::Cognito::UserPoolGroup',
  // Created and evaluated by the local CloudWatch (local/services/cloudwatch).
  'AWS::CloudWatch::Alarm',
]);

/** Types with no behaviour to emulate offline (permissions, log settings, dashboards): accepted quietly. */
const INERT_TYPES = new Set([
  'AWS::Logs::LogGroup',
  'AWS::IAM::Role',
  'AWS::IAM::Policy',
  'AWS::IAM::ManagedPolicy',
  'AWS::Lambda::Permission',
  'AWS::SNS::TopicPolicy',
  'AWS::CloudWatch::Dashboard',
  // The key that encrypts the alarms' topic (topics are not encrypted locally).
  'AWS::KMS::Key',
  // Bucket policies are not enforced locally (the template's only one denies plain HTTP, and the local
  // S3 speaks nothing else); the local S3 verifies signatures and presigned upload conditions instead.
  'AWS::S3::BucketPolicy',
  // A layer's packages (what a function leaves External) come from the project's node_modules locally.
  'AWS::Serverless::LayerVersion',
  // The deployed web app's CDN: locally the web server serves web/dist and /config.json itself (the
  // site bucket is created like any bucket, and stays empty).
  'AWS::CloudFront::Distribution',
  'AWS::CloudFront::OriginAccessControl',
  'AWS::CloudFront::Function',
  'AWS::CloudFront::CachePolicy',
  'AWS::CloudFront::ResponseHeadersPolicy',
]);

const PSEUDO = [
  'AWS::Region',
  'AWS::AccountId',
  'AWS::StackName',
  'AWS::StackId',
  'AWS::Partition',
  'AWS::URLSuffix',
];

type Raw = Record<string, unknown>;

function isObject(value: unknown): value is Raw {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** Reads and resolves template.yaml into the model every part of the local cloud uses. */
export async function readTemplate(
  templatePath: string,
  options: ReadTemplateOptions = {},
): Promise<TemplateModel> {
  const absolute = path.resolve(templatePath);
  const text = await readFile(absolute, 'utf8');
  return buildModel(parseTemplateText(text), absolute, options);
}

/** Builds the model from an already parsed template (tests pass their own). */
export function buildModel(
  raw: unknown,
  templatePath: string,
  options: ReadTemplateOptions = {},
): TemplateModel {
  if (!isObject(raw) || !isObject(raw.Resources)) {
    throw new Error(`${templatePath}: not a CloudFormation template (no Resources section)`);
  }
  const region = options.region ?? 'us-east-1';
  const accountId = options.accountId ?? '000000000000';
  const stackName = options.stackName ?? 'kumo-local';
  const warnings: string[] = [];
  const rawResources = raw.Resources;
  const parameters = resolveParameters(
    isObject(raw.Parameters) ? raw.Parameters : {},
    options.parameterOverrides ?? {},
  );
  const mappings = isObject(raw.Mappings) ? raw.Mappings : {};
  const globals = isObject(raw.Globals) ? raw.Globals : {};

  const pseudo: Record<string, string> = {
    'AWS::Region': region,
    'AWS::AccountId': accountId,
    'AWS::StackName': stackName,
    'AWS::StackId': `arn:aws:cloudformation:${region}:${accountId}:stack/${stackName}/00000000-0000-0000-0000-000000000000`,
    'AWS::Partition': 'aws',
    'AWS::URLSuffix': 'amazonaws.com',
  };

  const conditionCache = new Map<string, boolean>();
  const rawConditions = isObject(raw.Conditions) ? raw.Conditions : {};
  const resolving = new Set<string>();

  const resolver: ReferenceResolver = {
    ref(name) {
      if (name in parameters) return parameters[name] as Resolved;
      if (name in pseudo) return pseudo[name];
      const resource = rawResources[name];
      if (isObject(resource)) return physicalRef(name, resource);
      return undefined;
    },
    getAtt(logicalId, attribute) {
      const resource = rawResources[logicalId];
      if (!isObject(resource)) return undefined;
      return attributeOf(logicalId, resource, attribute);
    },
    condition(name) {
      const cached = conditionCache.get(name);
      if (cached !== undefined) return cached;
      if (!(name in rawConditions)) throw new IntrinsicError(`unknown condition "${name}"`);
      if (resolving.has(`condition:${name}`))
        throw new IntrinsicError(`condition "${name}" refers to itself`);
      resolving.add(`condition:${name}`);
      const value = resolveValue(rawConditions[name], resolver) === true;
      resolving.delete(`condition:${name}`);
      conditionCache.set(name, value);
      return value;
    },
    findInMap(map, top, second) {
      const m = mappings[map];
      if (!isObject(m)) return undefined;
      const t = m[top];
      if (!isObject(t)) return undefined;
      return t[second] as Resolved | undefined;
    },
  };

  /** Resolves an optional explicit name property (TableName, TopicName...), else a stack-scoped name. */
  function explicitName(logicalId: string, resource: Raw, property: string, fallback: string): string {
    const props = isObject(resource.Properties) ? resource.Properties : {};
    if (props[property] === undefined) return fallback;
    const key = `name:${logicalId}`;
    if (resolving.has(key)) throw new IntrinsicError(`${logicalId}.${property} refers to itself`);
    resolving.add(key);
    try {
      const value = resolveValue(props[property], resolver);
      return typeof value === 'string' ? value : fallback;
    } finally {
      resolving.delete(key);
    }
  }

  function physicalName(logicalId: string, resource: Raw): string {
    const base = `${stackName}-${logicalId}`;
    switch (resource.Type) {
      case 'AWS::DynamoDB::Table':
      case 'AWS::Serverless::SimpleTable':
        return explicitName(logicalId, resource, 'TableName', base);
      case 'AWS::SNS::Topic':
        return explicitName(logicalId, resource, 'TopicName', base);
      case 'AWS::Serverless::Function':
        return explicitName(logicalId, resource, 'FunctionName', base);
      case 'AWS::Kinesis::Stream':
        return explicitName(logicalId, resource, 'Name', base);
      case 'AWS::SQS::Queue':
        return explicitName(logicalId, resource, 'QueueName', fifoName(resource, base));
      case 'AWS::SSM::Parameter':
        return explicitName(logicalId, resource, 'Name', `CFN-${logicalId}`);
      case 'AWS::CloudWatch::Alarm':
        return explicitName(logicalId, resource, 'AlarmName', base);
      case 'AWS::Logs::LogGroup':
        return explicitName(logicalId, resource, 'LogGroupName', `/aws/logs/${base}`);
      case 'AWS::S3::Bucket':
        return explicitName(logicalId, resource, 'BucketName', localBucketName(stackName, logicalId));
      case 'AWS::Cognito::UserPool':
        return localUserPoolId(region, stackName, logicalId);
      case 'AWS::Cognito::UserPoolClient':
        return localUserPoolClientId(stackName, logicalId);
      case 'AWS::Cognito::UserPoolGroup':
        return explicitName(logicalId, resource, 'GroupName', base);
      case 'AWS::Serverless::Api':
        return logicalId
          .toLowerCase()
          .replace(/[^a-z0-9]/g, '')
          .slice(0, 10)
          .padEnd(10, '0');
      default:
        return base;
    }
  }

  function arnOf(logicalId: string, resource: Raw): string {
    const name = physicalName(logicalId, resource);
    switch (resource.Type) {
      case 'AWS::DynamoDB::Table':
      case 'AWS::Serverless::SimpleTable':
        return `arn:aws:dynamodb:${region}:${accountId}:table/${name}`;
      case 'AWS::SNS::Topic':
        return `arn:aws:sns:${region}:${accountId}:${name}`;
      case 'AWS::Serverless::Function':
        return `arn:aws:lambda:${region}:${accountId}:function:${name}`;
      case 'AWS::Logs::LogGroup':
        return `arn:aws:logs:${region}:${accountId}:log-group:${name}:*`;
      case 'AWS::Kinesis::Stream':
        return `arn:aws:kinesis:${region}:${accountId}:stream/${name}`;
      case 'AWS::SQS::Queue':
        return `arn:aws:sqs:${region}:${accountId}:${name}`;
      case 'AWS::SSM::Parameter':
        return `arn:aws:ssm:${region}:${accountId}:parameter/${name.replace(/^\//, '')}`;
      case 'AWS::S3::Bucket':
        return `arn:aws:s3:::${name}`;
      case 'AWS::Cognito::UserPool':
        return `arn:aws:cognito-idp:${region}:${accountId}:userpool/${name}`;
      case 'AWS::CloudWatch::Alarm':
        return `arn:aws:cloudwatch:${region}:${accountId}:alarm:${name}`;
      default: {
        const service = String(resource.Type).split('::')[1]?.toLowerCase() ?? 'unknown';
        return `arn:aws:${service}:${region}:${accountId}:${name}`;
      }
    }
  }

  function physicalRef(logicalId: string, resource: Raw): string {
    // Ref of a topic is its ARN and of a queue its URL, as in CloudFormation; everything else here is
    // its name or id.
    if (resource.Type === 'AWS::SNS::Topic') return arnOf(logicalId, resource);
    if (resource.Type === 'AWS::SQS::Queue') return queueUrl(logicalId, resource);
    return physicalName(logicalId, resource);
  }

  /**
   * The queue URL: on the local SQS when its URL is known (the SQS client sends a request to the host of
   * its QueueUrl, whatever AWS_ENDPOINT_URL_SQS says), else as AWS spells it.
   */
  function queueUrl(logicalId: string, resource: Raw): string {
    const base = options.serviceUrls?.sqs ?? `https://sqs.${region}.amazonaws.com`;
    return `${base}/${accountId}/${physicalName(logicalId, resource)}`;
  }

  function attributeOf(logicalId: string, resource: Raw, attribute: string): Resolved | undefined {
    const name = physicalName(logicalId, resource);
    switch (attribute) {
      case 'Arn':
      case 'TopicArn':
        return arnOf(logicalId, resource);
      case 'TopicName':
      case 'QueueName':
        return name;
      case 'QueueUrl':
        return resource.Type === 'AWS::SQS::Queue' ? queueUrl(logicalId, resource) : undefined;
      case 'StreamArn':
        return `${arnOf(logicalId, resource)}/stream/1970-01-01T00:00:00.000`;
      case 'RootResourceId':
        return `${name}root`;
      // S3 buckets; a CloudFront distribution's name (nothing listens there locally)
      case 'DomainName':
        if (resource.Type === 'AWS::CloudFront::Distribution') return `${name.toLowerCase()}.cloudfront.net`;
        return resource.Type === 'AWS::S3::Bucket' ? `${name}.s3.amazonaws.com` : undefined;
      // CloudFront origin access controls and policies
      case 'Id':
        return String(resource.Type).startsWith('AWS::CloudFront::') ? name : undefined;
      case 'FunctionMetadata.FunctionARN':
        return resource.Type === 'AWS::CloudFront::Function'
          ? `arn:aws:cloudfront::${accountId}:function/${name}`
          : undefined;
      case 'RegionalDomainName':
        return resource.Type === 'AWS::S3::Bucket' ? `${name}.s3.${region}.amazonaws.com` : undefined;
      case 'DualStackDomainName':
        return resource.Type === 'AWS::S3::Bucket'
          ? `${name}.s3.dualstack.${region}.amazonaws.com`
          : undefined;
      case 'WebsiteURL':
        return resource.Type === 'AWS::S3::Bucket'
          ? `http://${name}.s3-website-${region}.amazonaws.com`
          : undefined;
      // Cognito user pools and app clients
      case 'ProviderName':
        return resource.Type === 'AWS::Cognito::UserPool'
          ? `cognito-idp.${region}.amazonaws.com/${name}`
          : undefined;
      case 'ProviderURL':
        return resource.Type === 'AWS::Cognito::UserPool'
          ? `https://cognito-idp.${region}.amazonaws.com/${name}`
          : undefined;
      case 'UserPoolId':
      case 'ClientId':
        return resource.Type === 'AWS::Cognito::UserPool' || resource.Type === 'AWS::Cognito::UserPoolClient'
          ? name
          : undefined;
      default:
        return undefined;
    }
  }

  const resources = new Map<string, ResourceModel>();
  const unsupported = new Set<string>();
  for (const [logicalId, value] of Object.entries(rawResources)) {
    if (!isObject(value) || typeof value.Type !== 'string') {
      warnings.push(`${logicalId}: resource without a Type, ignored`);
      continue;
    }
    const condition = typeof value.Condition === 'string' ? value.Condition : undefined;
    if (condition !== undefined && !safe(() => resolver.condition(condition), warnings, logicalId)) continue;
    const withGlobals = applyGlobals(value, globals);
    const properties = resolveProperties(logicalId, withGlobals.Properties, resolver, warnings);
    const metadata = resolveProperties(logicalId, value.Metadata, resolver, warnings);
    resources.set(logicalId, { logicalId, type: value.Type, condition, properties, metadata });
    if (!EMULATED_TYPES.has(value.Type) && !INERT_TYPES.has(value.Type)) {
      unsupported.add(logicalId);
      warnings.push(
        `${logicalId}: resource type ${value.Type} is not emulated by the local cloud; it is ignored`,
      );
    }
  }

  const functions: FunctionModel[] = [];
  const tables: TableModel[] = [];
  const topics: TopicModel[] = [];
  const apis: ApiModel[] = [];
  for (const resource of resources.values()) {
    const raw = rawResources[resource.logicalId] as Raw;
    const name = physicalName(resource.logicalId, raw);
    const arn = arnOf(resource.logicalId, raw);
    switch (resource.type) {
      case 'AWS::Serverless::Function':
        functions.push(functionModel(resource, name, arn, warnings));
        break;
      case 'AWS::DynamoDB::Table':
        tables.push(tableModel(resource, name, arn));
        break;
      case 'AWS::Serverless::SimpleTable':
        tables.push(simpleTableModel(resource, name, arn));
        break;
      case 'AWS::SNS::Topic':
        topics.push(topicModel(resource, name, arn));
        break;
      case 'AWS::Serverless::Api':
        apis.push(apiModel(resource, name));
        break;
    }
  }
  // AWS::SNS::Subscription resources attach to their topic.
  for (const resource of resources.values()) {
    if (resource.type !== 'AWS::SNS::Subscription') continue;
    const p = resource.properties;
    const topic = topics.find((t) => t.arn === p.TopicArn);
    if (!topic) {
      warnings.push(
        `${resource.logicalId}: subscription to a topic not in this template (${String(p.TopicArn)})`,
      );
      continue;
    }
    topic.subscriptions.push({
      protocol: String(p.Protocol),
      endpoint: String(p.Endpoint),
      filterPolicy: p.FilterPolicy,
      rawMessageDelivery: p.RawMessageDelivery === true || p.RawMessageDelivery === 'true',
    });
  }

  // A function whose environment names an unemulated resource would fail at run time: refuse to start.
  const errors: string[] = [];
  for (const fn of functions) {
    const rawFn = rawResources[fn.logicalId] as Raw;
    const props = isObject(rawFn.Properties) ? rawFn.Properties : {};
    for (const target of referencedResources(props.Environment)) {
      if (!unsupported.has(target)) continue;
      const type = String((rawResources[target] as Raw).Type);
      errors.push(`${fn.logicalId} depends on ${target} (${type}), which the local cloud does not emulate`);
    }
  }

  const outputs: Record<string, Resolved> = {};
  if (isObject(raw.Outputs)) {
    for (const [key, output] of Object.entries(raw.Outputs)) {
      if (!isObject(output)) continue;
      if (
        typeof output.Condition === 'string' &&
        !safe(() => resolver.condition(output.Condition as string), warnings, key)
      )
        continue;
      const value = safe(() => resolveValue(output.Value, resolver), warnings, `Outputs.${key}`);
      if (value !== undefined && value !== NO_VALUE) outputs[key] = value;
    }
  }

  const conditions: Record<string, boolean> = {};
  for (const name of Object.keys(rawConditions)) {
    const value = safe(() => resolver.condition(name), warnings, `Conditions.${name}`);
    if (value !== undefined) conditions[name] = value;
  }

  return {
    templatePath,
    rootDir: path.dirname(templatePath),
    stackName,
    region,
    accountId,
    parameters,
    conditions,
    resources,
    functions,
    tables,
    topics,
    apis,
    outputs,
    warnings,
    errors,
  };
}

/** Logical ids named by Ref, GetAtt or Sub anywhere in a raw value. */
function referencedResources(value: unknown, found = new Set<string>()): Set<string> {
  if (Array.isArray(value)) {
    for (const item of value) referencedResources(item, found);
  } else if (isObject(value)) {
    for (const [key, inner] of Object.entries(value)) {
      if (key === 'Ref' && typeof inner === 'string') found.add(inner);
      else if (key === 'Fn::GetAtt') {
        const target = Array.isArray(inner) ? inner[0] : String(inner).split('.')[0];
        if (typeof target === 'string') found.add(target);
      } else if (key === 'Fn::Sub') {
        const text = Array.isArray(inner) ? inner[0] : inner;
        if (typeof text === 'string') {
          for (const m of text.matchAll(/\$\{([A-Za-z0-9]+)(?:\.[^}]*)?\}/g)) found.add(m[1] as string);
        }
        if (Array.isArray(inner)) referencedResources(inner[1], found);
      } else referencedResources(inner, found);
    }
  }
  return found;
}

function safe<T>(fn: () => T, warnings: string[], where: string): T | undefined {
  try {
    return fn();
  } catch (error) {
    if (!(error instanceof IntrinsicError)) throw error;
    warnings.push(`${where}: ${error.message}`);
    return undefined;
  }
}

function resolveParameters(
  declared: Raw,
  overrides: Record<string, string>,
): Record<string, string | string[]> {
  const out: Record<string, string | string[]> = {};
  for (const [name, spec] of Object.entries(declared)) {
    const s = isObject(spec) ? spec : {};
    const given = overrides[name] ?? (s.Default === undefined ? undefined : String(s.Default));
    if (given === undefined) {
      throw new Error(
        `template parameter ${name} has no Default; give it with --parameter-overrides ${name}=...`,
      );
    }
    if (Array.isArray(s.AllowedValues) && !s.AllowedValues.map(String).includes(given)) {
      throw new Error(`template parameter ${name}=${given} is not one of ${s.AllowedValues.join(', ')}`);
    }
    const type = String(s.Type ?? 'String');
    out[name] =
      type === 'CommaDelimitedList' || type.startsWith('List<')
        ? given === ''
          ? []
          : given.split(',')
        : given;
  }
  for (const name of Object.keys(overrides)) {
    if (!(name in out)) throw new Error(`--parameter-overrides: the template has no parameter ${name}`);
  }
  return out;
}

/** SAM Globals: maps merge (Environment.Variables), scalars and lists from the resource win. */
function applyGlobals(resource: Raw, globals: Raw): Raw {
  const section =
    resource.Type === 'AWS::Serverless::Function'
      ? globals.Function
      : resource.Type === 'AWS::Serverless::Api'
        ? globals.Api
        : resource.Type === 'AWS::Serverless::SimpleTable'
          ? globals.SimpleTable
          : undefined;
  if (!isObject(section)) return resource;
  const properties = isObject(resource.Properties) ? resource.Properties : {};
  return { ...resource, Properties: mergeGlobals(section, properties) };
}

function mergeGlobals(global: Raw, local: Raw): Raw {
  const out: Raw = { ...global };
  for (const [key, value] of Object.entries(local)) {
    const g = out[key];
    const isIntrinsic =
      isObject(value) && Object.keys(value).some((k) => k === 'Ref' || k.startsWith('Fn::'));
    out[key] = isObject(g) && isObject(value) && !isIntrinsic ? mergeGlobals(g, value) : value;
  }
  return out;
}

function resolveProperties(
  logicalId: string,
  value: unknown,
  resolver: ReferenceResolver,
  warnings: string[],
): Record<string, Resolved> {
  if (!isObject(value)) return {};
  const out: Record<string, Resolved> = {};
  for (const [key, raw] of Object.entries(value)) {
    const resolved = safe(() => resolveValue(raw, resolver), warnings, `${logicalId}.${key}`);
    if (resolved !== undefined && resolved !== NO_VALUE) out[key] = resolved;
  }
  return out;
}

/** A FIFO queue's generated name ends in `.fifo`, as CloudFormation's does. */
function fifoName(resource: Raw, base: string): string {
  const props = isObject(resource.Properties) ? resource.Properties : {};
  return props.FifoQueue === true || props.FifoQueue === 'true' ? `${base}.fifo` : base;
}

function str(value: Resolved | undefined, fallback = ''): string {
  return value === undefined || value === null ? fallback : String(value);
}

function record(value: Resolved | undefined): Record<string, Resolved> {
  return typeof value === 'object' && value !== null && !Array.isArray(value) ? value : {};
}

function functionModel(
  resource: ResourceModel,
  name: string,
  arn: string,
  warnings: string[],
): FunctionModel {
  const p = resource.properties;
  const environment: Record<string, string> = {};
  for (const [key, value] of Object.entries(record(record(p.Environment).Variables))) {
    environment[key] = Array.isArray(value) ? value.join(',') : str(value);
  }
  const metadata = resource.metadata;
  let build: EsbuildProperties | undefined;
  if (metadata.BuildMethod === 'esbuild') {
    const bp = record(metadata.BuildProperties);
    const known = ['EntryPoints', 'Minify', 'Sourcemap', 'Target', 'Format', 'External'];
    build = {
      entryPoints: Array.isArray(bp.EntryPoints) ? bp.EntryPoints.map((e) => str(e)) : [],
      minify: bp.Minify === true || bp.Minify === 'true',
      sourcemap: bp.Sourcemap === true || bp.Sourcemap === 'true',
      target: str(bp.Target, 'es2020'),
      format: bp.Format === 'esm' ? 'esm' : 'cjs',
      external: Array.isArray(bp.External) ? bp.External.map((e) => str(e)) : [],
      extra: Object.fromEntries(Object.entries(bp).filter(([k]) => !known.includes(k))),
    };
  }
  const events: FunctionEvent[] = [];
  for (const [eventName, value] of Object.entries(record(p.Events))) {
    const event = record(value);
    const props = record(event.Properties);
    const type = str(event.Type);
    switch (type) {
      case 'Schedule':
      case 'ScheduleV2':
        events.push({
          type: 'Schedule',
          variant: type,
          name: eventName,
          expression: str(type === 'Schedule' ? props.Schedule : props.ScheduleExpression),
          enabled: props.Enabled !== false && props.State !== 'DISABLED',
          input: props.Input === undefined ? undefined : str(props.Input),
          description: props.Description === undefined ? undefined : str(props.Description),
        });
        break;
      case 'Api': {
        const auth = record(props.Auth);
        events.push({
          type: 'Api',
          name: eventName,
          restApiId: props.RestApiId === undefined ? undefined : str(props.RestApiId),
          path: str(props.Path),
          method: str(props.Method).toUpperCase(),
          authorizer: auth.Authorizer === undefined ? undefined : str(auth.Authorizer),
        });
        break;
      }
      case 'SNS':
        events.push({
          type: 'SNS',
          name: eventName,
          topicArn: str(props.Topic),
          filterPolicy: props.FilterPolicy,
        });
        break;
      case 'Kinesis':
        events.push({ type: 'Kinesis', name: eventName, streamArn: str(props.Stream), properties: props });
        break;
      case 'S3': {
        const rules = record(record(props.Filter).S3Key).Rules;
        const filter: { prefix?: string; suffix?: string } = {};
        if (Array.isArray(rules)) {
          for (const rule of rules.map(record)) {
            if (str(rule.Name).toLowerCase() === 'prefix') filter.prefix = str(rule.Value);
            if (str(rule.Name).toLowerCase() === 'suffix') filter.suffix = str(rule.Value);
          }
        }
        const ev = props.Events;
        events.push({
          type: 'S3',
          name: eventName,
          bucket: str(props.Bucket),
          events: Array.isArray(ev) ? ev.map((e) => str(e)) : [str(ev)],
          filter,
        });
        break;
      }
      default:
        events.push({ type: 'Unsupported', name: eventName, eventType: type });
        warnings.push(
          `${resource.logicalId}: event ${eventName} of type ${type} is not delivered by the local cloud`,
        );
    }
  }
  return {
    logicalId: resource.logicalId,
    name,
    arn,
    handler: str(p.Handler),
    codeUri: str(p.CodeUri, '.'),
    runtime: str(p.Runtime),
    architectures: Array.isArray(p.Architectures) ? p.Architectures.map((a) => str(a)) : ['x86_64'],
    timeoutSeconds: Number(p.Timeout ?? 3),
    memoryMb: Number(p.MemorySize ?? 128),
    tracing: p.Tracing === undefined ? undefined : str(p.Tracing),
    environment,
    build,
    events,
  };
}

function keySchema(value: Resolved | undefined): KeyElement[] {
  if (!Array.isArray(value)) return [];
  return value.map(record).map((k) => ({
    attributeName: str(k.AttributeName),
    keyType: k.KeyType === 'RANGE' ? 'RANGE' : 'HASH',
  }));
}

function indexes(value: Resolved | undefined): IndexModel[] {
  if (!Array.isArray(value)) return [];
  return value.map(record).map((index) => {
    const projection = record(index.Projection);
    return {
      indexName: str(index.IndexName),
      keySchema: keySchema(index.KeySchema),
      projection: {
        projectionType: str(projection.ProjectionType, 'ALL'),
        nonKeyAttributes: Array.isArray(projection.NonKeyAttributes)
          ? projection.NonKeyAttributes.map((a) => str(a))
          : undefined,
      },
    };
  });
}

function tableModel(resource: ResourceModel, name: string, arn: string): TableModel {
  const p = resource.properties;
  const ttl = record(p.TimeToLiveSpecification);
  const defs = Array.isArray(p.AttributeDefinitions) ? p.AttributeDefinitions.map(record) : [];
  return {
    logicalId: resource.logicalId,
    name,
    arn,
    attributeDefinitions: defs.map((d) => ({
      attributeName: str(d.AttributeName),
      attributeType: str(d.AttributeType),
    })),
    keySchema: keySchema(p.KeySchema),
    globalSecondaryIndexes: indexes(p.GlobalSecondaryIndexes),
    localSecondaryIndexes: indexes(p.LocalSecondaryIndexes),
    ttlAttribute: ttl.Enabled === true || ttl.Enabled === 'true' ? str(ttl.AttributeName) : undefined,
    streamViewType: record(p.StreamSpecification).StreamViewType as string | undefined,
  };
}

function simpleTableModel(resource: ResourceModel, name: string, arn: string): TableModel {
  const key = record(resource.properties.PrimaryKey);
  const attributeName = str(key.Name, 'id');
  const type = str(key.Type, 'String');
  return {
    logicalId: resource.logicalId,
    name,
    arn,
    attributeDefinitions: [
      { attributeName, attributeType: type === 'Number' ? 'N' : type === 'Binary' ? 'B' : 'S' },
    ],
    keySchema: [{ attributeName, keyType: 'HASH' }],
    globalSecondaryIndexes: [],
    localSecondaryIndexes: [],
  };
}

function topicModel(resource: ResourceModel, name: string, arn: string): TopicModel {
  const subs = Array.isArray(resource.properties.Subscription)
    ? resource.properties.Subscription.map(record)
    : [];
  return {
    logicalId: resource.logicalId,
    name,
    arn,
    subscriptions: subs.map((s) => ({ protocol: str(s.Protocol), endpoint: str(s.Endpoint) })),
  };
}

function apiModel(resource: ResourceModel, id: string): ApiModel {
  const p = resource.properties;
  const cors = p.Cors;
  const unquote = (v: Resolved | undefined, fallback: string) => str(v, fallback).replace(/^'(.*)'$/, '$1');
  const stageVariables: Record<string, string> = {};
  for (const [name, value] of Object.entries(record(p.Variables))) stageVariables[name] = str(value);
  // A mapping value `stageVariables.<name>` (not a quoted literal) reads the stage's variable.
  const mapped = (v: Resolved | undefined, fallback: string) => {
    const variable = /^stageVariables\.([A-Za-z0-9_]+)$/.exec(str(v, ''))?.[1];
    return variable === undefined ? unquote(v, fallback) : (stageVariables[variable] ?? '');
  };
  let corsModel: ApiModel['cors'];
  if (typeof cors === 'string') {
    corsModel = { allowOrigin: mapped(cors, '*'), allowHeaders: '*', allowMethods: '*' };
  } else if (cors !== undefined) {
    const c = record(cors);
    corsModel = {
      allowOrigin: mapped(c.AllowOrigin, '*'),
      allowHeaders: unquote(c.AllowHeaders, '*'),
      allowMethods: unquote(c.AllowMethods, '*'),
      maxAge: c.MaxAge === undefined ? undefined : unquote(c.MaxAge, ''),
    };
  }
  const auth = record(p.Auth);
  const authorizers: ApiModel['authorizers'] = {};
  for (const [name, value] of Object.entries(record(auth.Authorizers))) {
    const a = record(value);
    authorizers[name] = {
      userPoolArn: a.UserPoolArn === undefined ? undefined : str(a.UserPoolArn),
      identityHeader: str(record(a.Identity).Header, 'Authorization'),
    };
  }
  return {
    logicalId: resource.logicalId,
    id,
    stageName: str(p.StageName, 'Prod'),
    stageVariables,
    cors: corsModel,
    authorizers,
    defaultAuthorizer: auth.DefaultAuthorizer === undefined ? undefined : str(auth.DefaultAuthorizer),
  };
}

export { PSEUDO };
