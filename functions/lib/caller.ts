/**
 * Who calls an API route: the Cognito user the authorizer let through. API Gateway puts the ID token's
 * claims in `requestContext.authorizer.claims`; a function invoked any other way (directly, from a
 * console test event, from `sam local generate-event apigateway aws-proxy`) has none. Handlers read the
 * caller here themselves rather than trusting that the authorizer ran (defence in depth).
 */
import type { APIGatewayProxyEvent } from 'aws-lambda';
import { UnauthorizedError } from './errors.js';
import { cognitoClaims } from './router.js';

/** The signed-in caller: the Cognito `sub` and the user pool groups (`cognito:groups`). */
export interface Caller {
  sub: string;
  groups: readonly string[];
  email?: string;
}

/** Cognito `sub` values are UUIDs; accept any short id of safe characters (it becomes a key part). */
export const SUB_PATTERN = /^[A-Za-z0-9-]{1,128}$/;

/**
 * The `cognito:groups` claim as a list. API Gateway's REST Cognito authorizer passes lists as one string
 * (`a,b`; HTTP APIs spell it `[a b]`); a test may pass an array. Group names hold no commas or spaces.
 */
export function groupsOf(value: unknown): string[] {
  if (Array.isArray(value)) return value.filter((group): group is string => typeof group === 'string');
  if (typeof value !== 'string') return [];
  return value
    .replace(/^\[|\]$/g, '')
    .split(/[\s,]+/)
    .filter((group) => group !== '');
}

/** The caller, or undefined when the event carries no usable `sub` (not signed in, or invoked directly). */
export function findCaller(event: Pick<APIGatewayProxyEvent, 'requestContext'> | null | undefined) {
  const claims = event ? cognitoClaims(event as APIGatewayProxyEvent) : undefined;
  const sub = claims?.sub;
  if (claims === undefined || typeof sub !== 'string' || !SUB_PATTERN.test(sub)) return undefined;
  const caller: Caller = { sub, groups: groupsOf(claims['cognito:groups']) };
  if (typeof claims.email === 'string') caller.email = claims.email;
  return caller;
}

/**
 * The caller.
 *
 * @throws {UnauthorizedError} when the event carries no authorizer claims with a usable `sub`
 */
export function callerOf(event: Pick<APIGatewayProxyEvent, 'requestContext'> | null | undefined): Caller {
  const caller = findCaller(event);
  if (caller === undefined) throw new UnauthorizedError('Sign in to do this (no authorizer claims)');
  return caller;
}
