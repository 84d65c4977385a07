import { isObject, type Raw } from './values.js';

/** SAM Globals: maps merge (Environment.Variables), scalars and lists from the resource win. */
export function applyGlobals(resource: Raw, globals: Raw): Raw {
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
