import { localUserPoolClientId, localUserPoolId } from '../../template/physical-ids.js';
import type { Resolved, TemplateModel } from '../../template/types.js';

/** A user pool of the template with the local id the template reader gives it. */
export interface PoolModel {
  logicalId: string;
  id: string;
  arn: string;
  properties: Record<string, Resolved>;
}

/** An app client of the template, attached to its pool. */
export interface ClientModel {
  logicalId: string;
  id: string;
  userPoolId: string;
  properties: Record<string, Resolved>;
}

/** Every `AWS::Cognito::UserPool` of the template. */
export function poolsFromModel(model: TemplateModel): PoolModel[] {
  return [...model.resources.values()]
    .filter((r) => r.type === 'AWS::Cognito::UserPool')
    .map((r) => {
      const id = localUserPoolId(model.region, model.stackName, r.logicalId);
      return {
        logicalId: r.logicalId,
        id,
        arn: `arn:aws:cognito-idp:${model.region}:${model.accountId}:userpool/${id}`,
        properties: r.properties,
      };
    });
}

/** Every `AWS::Cognito::UserPoolClient` of the template. */
export function clientsFromModel(model: TemplateModel): ClientModel[] {
  return [...model.resources.values()]
    .filter((r) => r.type === 'AWS::Cognito::UserPoolClient')
    .map((r) => ({
      logicalId: r.logicalId,
      id: localUserPoolClientId(model.stackName, r.logicalId),
      userPoolId: String(r.properties.UserPoolId ?? ''),
      properties: r.properties,
    }));
}

/** A user pool group of the template, attached to its pool. */
export interface GroupModel {
  logicalId: string;
  name: string;
  userPoolId: string;
  properties: Record<string, Resolved>;
}

/** Every `AWS::Cognito::UserPoolGroup` of the template (its name: `GroupName`, else the physical id). */
export function groupsFromModel(model: TemplateModel): GroupModel[] {
  return [...model.resources.values()]
    .filter((r) => r.type === 'AWS::Cognito::UserPoolGroup')
    .map((r) => ({
      logicalId: r.logicalId,
      name: String(r.properties.GroupName ?? r.logicalId),
      userPoolId: String(r.properties.UserPoolId ?? ''),
      properties: r.properties,
    }));
}

/** The pool id in a Cognito user pool ARN (`arn:aws:cognito-idp:<region>:<account>:userpool/<id>`). */
export function poolIdFromArn(arn: string): string | undefined {
  return /^arn:aws[a-z-]*:cognito-idp:[^:]*:[^:]*:userpool\/(.+)$/.exec(arn)?.[1];
}

/** The pool the web app signs in to: the one an API authorizer trusts, else the first; with its first client. */
export function webPool(model: TemplateModel): { pool: PoolModel; client?: ClientModel } | undefined {
  const pools = poolsFromModel(model);
  const trusted = model.apis
    .flatMap((api) => Object.values(api.authorizers))
    .map((a) => (a.userPoolArn ? poolIdFromArn(a.userPoolArn) : undefined));
  const pool = pools.find((p) => trusted.includes(p.id)) ?? pools[0];
  if (!pool) return undefined;
  return { pool, client: clientsFromModel(model).find((c) => c.userPoolId === pool.id) };
}

/** True when the template has a user pool: the local Cognito is needed. */
export function usesCognito(model: TemplateModel): boolean {
  return poolsFromModel(model).length > 0;
}
