import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { apiModel } from './apis.js';
import { unemulatedDependencies } from './dependencies.js';
import { functionModel } from './functions.js';
import { applyGlobals } from './globals.js';
import { NO_VALUE, resolveValue } from './intrinsics.js';
import { PSEUDO, pseudoParameters, resolveParameters } from './parameters.js';
import { createReferenceResolver } from './references.js';
import { EMULATED_TYPES, INERT_TYPES } from './resource-types.js';
import { simpleTableModel, tableModel } from './tables.js';
import { attachSubscriptions, topicModel } from './topics.js';
import type {
  ApiModel,
  FunctionModel,
  Resolved,
  ResourceModel,
  TableModel,
  TemplateModel,
  TopicModel,
} from './types.js';
import { isObject, type Raw, resolveProperties, safe } from './values.js';
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

/** Reads and resolves template.yaml into the model every part of the local cloud uses. */
export async function readTemplate(
  templatePath: string,
  options: ReadTemplateOptions = {},
): Promise<TemplateModel> {
  const absolute = path.resolve(templatePath);
  const text = await readFile(absolute, 'utf8');
  return buildModel(parseTemplateText(text), absolute, options);
}

/**
 * Builds the model from an already parsed template (tests pass their own): parameters, then every
 * resource's properties resolved with Globals applied (references.ts, intrinsics.ts), then the typed
 * models of the resources the local cloud runs (functions, tables, topics, APIs), outputs and conditions.
 */
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
  const globals = isObject(raw.Globals) ? raw.Globals : {};
  const rawConditions = isObject(raw.Conditions) ? raw.Conditions : {};
  const { resolver, names } = createReferenceResolver({
    stackName,
    region,
    accountId,
    ...(options.serviceUrls?.sqs === undefined ? {} : { sqsUrl: options.serviceUrls.sqs }),
    parameters,
    pseudo: pseudoParameters(region, accountId, stackName),
    resources: rawResources,
    conditions: rawConditions,
    mappings: isObject(raw.Mappings) ? raw.Mappings : {},
  });

  // Every resource whose condition holds, its properties resolved; unknown types are named.
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

  // The typed models, by resource type.
  const functions: FunctionModel[] = [];
  const tables: TableModel[] = [];
  const topics: TopicModel[] = [];
  const apis: ApiModel[] = [];
  for (const resource of resources.values()) {
    const rawResource = rawResources[resource.logicalId] as Raw;
    const name = names.name(resource.logicalId, rawResource);
    const arn = names.arn(resource.logicalId, rawResource);
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
  attachSubscriptions(resources.values(), topics, warnings);

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
    errors: unemulatedDependencies(functions, rawResources, unsupported),
  };
}

export { PSEUDO };
