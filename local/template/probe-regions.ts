/**
 * ProbeRegions, locally: when the template's ProbeRegions names regions, the local cloud reads
 * probe-region.yaml (the stack `npm run deploy:probes` puts in each of them) and runs its ProbeFunction
 * once per region, each copy in its own execution environments with that region's `AWS_REGION`. The
 * home CheckSitesFunction invokes them through the local Lambda endpoint by name and region, as on AWS.
 */
import { access } from 'node:fs/promises';
import path from 'node:path';
import { readTemplate } from './read-template.js';
import type { FunctionModel, TemplateModel } from './types.js';

/** The second template, next to template.yaml. */
export const PROBE_TEMPLATE = 'probe-region.yaml';

/** The regions of the ProbeRegions parameter other than the home one. */
export function probeRegionsOf(model: Pick<TemplateModel, 'parameters' | 'region'>): string[] {
  const raw = model.parameters.ProbeRegions;
  const listed = (Array.isArray(raw) ? raw : String(raw ?? '').split(','))
    .map((region) => region.trim())
    .filter((region) => region !== '');
  return [...new Set(listed)].filter((region) => region !== model.region);
}

/** The logical id of a region's copy: `ProbeFunction@eu-west-1`. */
export function regionalLogicalId(logicalId: string, region: string): string {
  return `${logicalId}@${region}`;
}

/** `fn` as it runs in `region`: its own logical id, ARN and `AWS_REGION`; kumo.local.json's `envVars` of the original apply. */
export function regionalCopy(
  fn: FunctionModel,
  region: string,
  envVars: Readonly<Record<string, string>> = {},
): FunctionModel {
  return {
    ...fn,
    logicalId: regionalLogicalId(fn.logicalId, region),
    region,
    arn: fn.arn.replace(/^(arn:[^:]+:lambda:)[^:]+:/, `$1${region}:`),
    environment: { ...fn.environment, ...envVars },
  };
}

/**
 * Adds a copy of probe-region.yaml's functions per probe region to `model.functions`; returns the
 * logical ids added. Nothing when ProbeRegions is blank.
 *
 * @throws Error when ProbeRegions is set and probe-region.yaml is missing or cannot run locally
 */
export async function addProbeRegions(
  model: TemplateModel,
  envVars: Readonly<Record<string, Readonly<Record<string, string>>>> = {},
): Promise<string[]> {
  const regions = probeRegionsOf(model);
  if (regions.length === 0) return [];
  const probePath = path.join(model.rootDir, PROBE_TEMPLATE);
  await access(probePath).catch(() => {
    throw new Error(`ProbeRegions is set but ${PROBE_TEMPLATE} is missing next to the template`);
  });
  const allowPrivate = model.parameters.HealthAllowPrivateTargets;
  const probe = await readTemplate(probePath, {
    stackName: `${model.stackName}-probe-region`,
    region: model.region,
    accountId: model.accountId,
    parameterOverrides: {
      HomeStackName: model.stackName,
      ...(typeof allowPrivate === 'string' ? { HealthAllowPrivateTargets: allowPrivate } : {}),
    },
  });
  if (probe.errors.length > 0)
    throw new Error(`${PROBE_TEMPLATE} cannot run locally: ${probe.errors.join('; ')}`);
  const added: FunctionModel[] = [];
  for (const region of regions) {
    for (const fn of probe.functions) added.push(regionalCopy(fn, region, envVars[fn.logicalId]));
  }
  model.functions.push(...added);
  return added.map((fn) => fn.logicalId);
}
