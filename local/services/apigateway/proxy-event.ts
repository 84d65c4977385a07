import { randomUUID } from 'node:crypto';
import type { IncomingMessage } from 'node:http';
import type { Route } from './routes.js';

export interface ProxyRequest {
  method: string;
  path: string;
  query: URLSearchParams;
  headers: IncomingMessage['headers'];
  rawHeaders: string[];
  body: Buffer;
  sourceIp: string;
  stage: string;
  apiId: string;
  accountId: string;
  claims?: Record<string, string>;
  /** The stage's variables (the template's `Variables`); API Gateway sends null when there are none. */
  stageVariables?: Record<string, string>;
}

const TEXT_TYPES = /^(text\/|application\/(json|xml|x-www-form-urlencoded|javascript|[\w.+-]+\+(json|xml)))/i;

/**
 * Name -> values, gathered in a Map: a name such as `__proto__` or `constructor` (a caller chooses it)
 * must become an ordinary key, as it does in the JSON API Gateway sends, not reach Object.prototype.
 */
function gather(pairs: Iterable<[string, string]>): Map<string, string[]> {
  const out = new Map<string, string[]>();
  for (const [name, value] of pairs) out.set(name, [...(out.get(name) ?? []), value]);
  return out;
}

function* headerPairs(rawHeaders: string[]): Generator<[string, string]> {
  for (let i = 0; i + 1 < rawHeaders.length; i += 2)
    yield [rawHeaders[i] as string, rawHeaders[i + 1] as string];
}

/** The last value of each name (API Gateway's single-value maps), as a plain object with own keys. */
function lastValues(multi: Map<string, string[]>): Record<string, string> {
  return Object.fromEntries([...multi].map(([name, values]) => [name, values[values.length - 1] as string]));
}

/** The REST API (v1) Lambda proxy integration event, as API Gateway builds it. */
export function buildProxyEvent(
  request: ProxyRequest,
  route: Route,
  pathParameters: Record<string, string> | null,
) {
  const headerMap = gather(headerPairs(request.rawHeaders));
  const headers = Object.fromEntries(headerMap);
  const singleHeaders = lastValues(headerMap);
  const queryMap = gather(request.query);
  const multiQuery = Object.fromEntries(queryMap);
  const singleQuery = lastValues(queryMap);
  const hasQuery = queryMap.size > 0;

  const contentType = String(request.headers['content-type'] ?? '');
  const isText = request.body.length === 0 || contentType === '' || TEXT_TYPES.test(contentType);
  const now = new Date();
  const requestId = randomUUID();

  return {
    resource: route.resource,
    path: request.path,
    httpMethod: request.method,
    headers: singleHeaders,
    multiValueHeaders: headers,
    queryStringParameters: hasQuery ? singleQuery : null,
    multiValueQueryStringParameters: hasQuery ? multiQuery : null,
    pathParameters,
    stageVariables:
      request.stageVariables && Object.keys(request.stageVariables).length > 0
        ? { ...request.stageVariables }
        : null,
    requestContext: {
      accountId: request.accountId,
      apiId: request.apiId,
      resourceId:
        route.resource
          .replace(/[^a-z0-9]/gi, '')
          .slice(0, 6)
          .toLowerCase() || 'root',
      resourcePath: route.resource,
      httpMethod: request.method,
      extendedRequestId: requestId.replace(/-/g, '').slice(0, 16),
      requestId,
      requestTime: formatRequestTime(now),
      requestTimeEpoch: now.getTime(),
      path: `/${request.stage}${request.path}`,
      protocol: 'HTTP/1.1',
      stage: request.stage,
      domainName: String(request.headers.host ?? 'localhost'),
      domainPrefix: String(request.headers.host ?? 'localhost').split('.')[0],
      identity: {
        sourceIp: request.sourceIp,
        userAgent: request.headers['user-agent'] ?? null,
        accessKey: null,
        accountId: null,
        caller: null,
        cognitoAuthenticationProvider: null,
        cognitoAuthenticationType: null,
        cognitoIdentityId: null,
        cognitoIdentityPoolId: null,
        principalOrgId: null,
        user: null,
        userArn: null,
      },
      authorizer: request.claims ? { claims: request.claims } : undefined,
    },
    body:
      request.body.length === 0
        ? null
        : isText
          ? request.body.toString('utf8')
          : request.body.toString('base64'),
    isBase64Encoded: request.body.length > 0 && !isText,
  };
}

/** `27/Nov/2026:16:03:10 +0000`, API Gateway's requestTime format. */
function formatRequestTime(date: Date): string {
  const months = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];
  const pad = (n: number) => String(n).padStart(2, '0');
  return `${pad(date.getUTCDate())}/${months[date.getUTCMonth()]}/${date.getUTCFullYear()}:${pad(date.getUTCHours())}:${pad(
    date.getUTCMinutes(),
  )}:${pad(date.getUTCSeconds())} +0000`;
}
