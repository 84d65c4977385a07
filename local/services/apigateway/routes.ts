import type { ApiEvent, ApiModel, FunctionModel, TemplateModel } from '../../template/types.js';

export interface Route {
  api?: ApiModel;
  functionLogicalId: string;
  event: ApiEvent;
  /** The template path, e.g. `/monitors/{monitorId}` or `/{proxy+}`. */
  resource: string;
  method: string;
  segments: string[];
  /** Authorizer in force for this route (event's own, else the API's default), undefined when public. */
  authorizer?: string;
}

export type RouteMatch =
  | { kind: 'found'; route: Route; pathParameters: Record<string, string> | null }
  | { kind: 'method-not-allowed'; allowed: string[] }
  | { kind: 'not-found' };

/** Every `Api` event of the template as a route. */
export function collectRoutes(model: TemplateModel): Route[] {
  const routes: Route[] = [];
  for (const fn of model.functions) {
    for (const event of fn.events) {
      if (event.type !== 'Api') continue;
      routes.push(toRoute(model, fn, event));
    }
  }
  return routes;
}

function toRoute(model: TemplateModel, fn: FunctionModel, event: ApiEvent): Route {
  const api = model.apis.find((a) => a.id === event.restApiId);
  const authorizer = event.authorizer ?? api?.defaultAuthorizer;
  return {
    api,
    functionLogicalId: fn.logicalId,
    event,
    resource: event.path,
    method: event.method === 'ANY' ? 'ANY' : event.method.toUpperCase(),
    segments: splitPath(event.path),
    authorizer: authorizer === undefined || authorizer === 'NONE' ? undefined : authorizer,
  };
}

function splitPath(path: string): string[] {
  return path.split('/').filter((s) => s.length > 0);
}

/** How specific a route is: literal segments beat `{param}`, which beats `{proxy+}` (as API Gateway picks). */
function specificity(route: Route): number[] {
  return route.segments.map((s) => (s.endsWith('+}') ? 0 : s.startsWith('{') ? 1 : 2));
}

function matchSegments(route: Route, parts: string[]): Record<string, string> | undefined {
  const params: Record<string, string> = {};
  for (let i = 0; i < route.segments.length; i++) {
    const segment = route.segments[i] as string;
    if (segment.startsWith('{') && segment.endsWith('+}')) {
      if (i >= parts.length) return undefined;
      params[segment.slice(1, -2)] = parts.slice(i).join('/');
      return params;
    }
    const part = parts[i];
    if (part === undefined) return undefined;
    if (segment.startsWith('{') && segment.endsWith('}')) params[segment.slice(1, -1)] = part;
    else if (segment !== part) return undefined;
  }
  return parts.length === route.segments.length ? params : undefined;
}

function compareSpecificity(a: number[], b: number[]): number {
  for (let i = 0; i < Math.max(a.length, b.length); i++) {
    const diff = (b[i] ?? -1) - (a[i] ?? -1);
    if (diff !== 0) return diff;
  }
  return 0;
}

/** Finds the route for a method and a (decoded) path, as API Gateway resolves resources. */
export function matchRoute(routes: Route[], method: string, path: string): RouteMatch {
  const parts = splitPath(path).map((p) => {
    try {
      return decodeURIComponent(p);
    } catch {
      return p;
    }
  });
  const candidates = routes
    .map((route) => ({ route, params: matchSegments(route, parts) }))
    .filter((c): c is { route: Route; params: Record<string, string> } => c.params !== undefined)
    .sort((a, b) => compareSpecificity(specificity(a.route), specificity(b.route)));
  if (candidates.length === 0) return { kind: 'not-found' };
  // The most specific resource wins; then its method (or ANY).
  const best = candidates[0]?.route.resource;
  const sameResource = candidates.filter((c) => c.route.resource === best);
  const hit =
    sameResource.find((c) => c.route.method === method) ?? sameResource.find((c) => c.route.method === 'ANY');
  if (!hit) {
    return { kind: 'method-not-allowed', allowed: [...new Set(sameResource.map((c) => c.route.method))] };
  }
  return {
    kind: 'found',
    route: hit.route,
    pathParameters: Object.keys(hit.params).length ? hit.params : null,
  };
}
