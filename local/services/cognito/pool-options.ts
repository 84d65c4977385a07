import type { AppClient } from 'cognito-local/lib/services/appClient.js';
import { USER_POOL_AWS_DEFAULTS } from 'cognito-local/lib/services/cognitoService.js';
import type { UserPool } from 'cognito-local/lib/services/userPoolService.js';
import type { Resolved } from '../../template/types.js';
import type { ClientModel, PoolModel } from './template-pools.js';

type Json = Record<string, Resolved>;

function record(value: Resolved | undefined): Json | undefined {
  return typeof value === 'object' && value !== null && !Array.isArray(value) ? value : undefined;
}

function strings(value: Resolved | undefined): string[] | undefined {
  return Array.isArray(value) ? value.map(String) : undefined;
}

function num(value: Resolved | undefined): number | undefined {
  return value === undefined || value === null || Number.isNaN(Number(value)) ? undefined : Number(value);
}

/** The template's Schema over Cognito's standard attributes; others become `custom:` attributes. */
function schemaAttributes(schema: Resolved | undefined) {
  const defaults = USER_POOL_AWS_DEFAULTS.SchemaAttributes ?? [];
  const declared = Array.isArray(schema) ? schema.map((s) => record(s) ?? {}) : [];
  const byName = new Map(declared.map((s) => [String(s.Name), s]));
  const standard = defaults.map((attr) => ({ ...attr, ...(attr.Name ? byName.get(attr.Name) : undefined) }));
  const names = new Set(defaults.map((a) => a.Name));
  const custom = declared
    .filter((s) => !names.has(String(s.Name)))
    .map((s) => ({
      Name: `custom:${String(s.Name)}`,
      AttributeDataType: String(s.AttributeDataType ?? 'String'),
      DeveloperOnlyAttribute: s.DeveloperOnlyAttribute === true,
      Mutable: s.Mutable !== false,
      Required: s.Required === true,
    }));
  return [...standard, ...custom] as UserPool['SchemaAttributes'];
}

/** cognito-local's options for a pool of the template (what CreateUserPool would store). */
export function poolOptions(pool: PoolModel, created: Date, now: Date): UserPool {
  const p = pool.properties;
  const passwordPolicy = record(record(p.Policies)?.PasswordPolicy);
  return {
    ...USER_POOL_AWS_DEFAULTS,
    Id: pool.id,
    Arn: pool.arn,
    Name: typeof p.UserPoolName === 'string' ? p.UserPoolName : pool.logicalId,
    CreationDate: created,
    LastModifiedDate: now,
    UsernameAttributes: strings(p.UsernameAttributes),
    AliasAttributes: strings(p.AliasAttributes),
    AutoVerifiedAttributes: strings(p.AutoVerifiedAttributes),
    MfaConfiguration: typeof p.MfaConfiguration === 'string' ? p.MfaConfiguration : 'OFF',
    Policies: {
      PasswordPolicy: {
        ...USER_POOL_AWS_DEFAULTS.Policies?.PasswordPolicy,
        ...(passwordPolicy as object | undefined),
      },
    },
    SchemaAttributes: schemaAttributes(p.Schema),
    VerificationMessageTemplate: record(p.VerificationMessageTemplate),
    EmailVerificationMessage:
      typeof p.EmailVerificationMessage === 'string' ? p.EmailVerificationMessage : undefined,
    EmailVerificationSubject:
      typeof p.EmailVerificationSubject === 'string' ? p.EmailVerificationSubject : undefined,
    AdminCreateUserConfig: record(p.AdminCreateUserConfig),
    AccountRecoverySetting: record(p.AccountRecoverySetting),
    UsernameConfiguration: record(p.UsernameConfiguration),
    // Triggers are not run locally (the service warns when the template declares some).
    LambdaConfig: {},
  } as UserPool;
}

/** cognito-local's app client for a client of the template (what CreateUserPoolClient would store). */
export function appClient(client: ClientModel, created: Date, now: Date): AppClient {
  const p = client.properties;
  const units = record(p.TokenValidityUnits);
  return {
    UserPoolId: client.userPoolId,
    ClientId: client.id,
    ClientName: typeof p.ClientName === 'string' ? p.ClientName : client.logicalId,
    ClientSecret: undefined,
    CreationDate: created,
    LastModifiedDate: now,
    ExplicitAuthFlows: strings(p.ExplicitAuthFlows),
    AccessTokenValidity: num(p.AccessTokenValidity),
    IdTokenValidity: num(p.IdTokenValidity),
    RefreshTokenValidity: num(p.RefreshTokenValidity),
    TokenValidityUnits: {
      AccessToken: String(units?.AccessToken ?? 'hours'),
      IdToken: String(units?.IdToken ?? 'hours'),
      RefreshToken: String(units?.RefreshToken ?? 'days'),
    },
    ReadAttributes: strings(p.ReadAttributes),
    WriteAttributes: strings(p.WriteAttributes),
    PreventUserExistenceErrors:
      typeof p.PreventUserExistenceErrors === 'string' ? p.PreventUserExistenceErrors : undefined,
    EnableTokenRevocation: p.EnableTokenRevocation === true,
    CallbackURLs: strings(p.CallbackURLs),
    LogoutURLs: strings(p.LogoutURLs),
    AllowedOAuthFlows: strings(p.AllowedOAuthFlows),
    AllowedOAuthScopes: strings(p.AllowedOAuthScopes),
    AllowedOAuthFlowsUserPoolClient: p.AllowedOAuthFlowsUserPoolClient === true,
    SupportedIdentityProviders: strings(p.SupportedIdentityProviders),
  } as AppClient;
}

/** Cognito's messages when a password breaks the pool's policy (InvalidPasswordException). */
export function passwordProblem(
  password: string,
  policy: Record<string, unknown> | undefined,
): string | undefined {
  if (!policy) return undefined;
  const min = Number(policy.MinimumLength ?? 8);
  if (password.length < min) return 'Password not long enough';
  if (policy.RequireUppercase === true && !/[A-Z]/.test(password))
    return 'Password must have uppercase characters';
  if (policy.RequireLowercase === true && !/[a-z]/.test(password))
    return 'Password must have lowercase characters';
  if (policy.RequireNumbers === true && !/[0-9]/.test(password))
    return 'Password must have numeric characters';
  if (policy.RequireSymbols === true && !/[\^$*.[\]{}()?"!@#%&/\\,><':;|_~`=+-]/.test(password)) {
    return 'Password must have symbol characters';
  }
  return undefined;
}
