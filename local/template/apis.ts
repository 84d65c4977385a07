import type { ApiModel, Resolved, ResourceModel } from './types.js';
import { record, str } from './values.js';

/** An `AWS::Serverless::Api`: stage, stage variables, CORS and Cognito authorizers. */
export function apiModel(resource: ResourceModel, id: string): ApiModel {
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
