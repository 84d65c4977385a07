/**
 * The Lambda API of the local cloud (`AWS_ENDPOINT_URL_LAMBDA`): Invoke (RequestResponse, Event,
 * DryRun) and ListFunctions / GetFunction for the template's functions, in the same execution
 * environments every other trigger uses. What the home CheckSitesFunction calls to reach the probe
 * regions (local/template/probe-regions.ts), and what `aws lambda invoke` reaches.
 */
import { randomUUID } from 'node:crypto';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import { AwsError, readBody, send } from '../../kit/index.js';
import { close, listen } from '../../listen.js';
import type { FunctionModel, TemplateModel } from '../../template/types.js';
import type { LocalService, RunningService, ServiceContext } from '../../types.js';
import { findFunction, parseFunctionName, signedRegionOf } from './functions.js';

/** Lambda's limit for a synchronous request's payload. */
export const MAX_SYNC_PAYLOAD_BYTES = 6 * 1024 * 1024;
/** Lambda's limit for an asynchronous (Event) request's payload. */
export const MAX_ASYNC_PAYLOAD_BYTES = 256 * 1024;

class LambdaApiError extends AwsError {
  constructor(status: number, code: string, message: string) {
    super(code, message, { status });
  }
}

function sendError(res: ServerResponse, error: LambdaApiError, requestId: string): void {
  send(
    res,
    error.status,
    'application/json',
    JSON.stringify({ Type: 'User', message: error.message }),
    requestId,
    {
      'x-amzn-ErrorType': error.code,
    },
  );
}

function configurationOf(fn: FunctionModel) {
  return {
    FunctionName: fn.name,
    FunctionArn: fn.arn,
    Runtime: fn.runtime,
    Handler: fn.handler,
    Timeout: fn.timeoutSeconds,
    MemorySize: fn.memoryMb,
    Architectures: fn.architectures,
    Version: '$LATEST',
    PackageType: 'Zip',
    State: 'Active',
    TracingConfig: { Mode: fn.tracing === 'Active' ? 'Active' : 'PassThrough' },
    Environment: { Variables: { ...fn.environment } },
  };
}

const INVOKE = /^\/2015-03-31\/functions\/([^/]+)\/invocations\/?$/;
const GET_FUNCTION = /^\/2015-03-31\/functions\/([^/]+)\/?$/;
const LIST = /^\/2015-03-31\/functions\/?$/;

/** The request listener, apart from the server so tests can drive it. */
export function lambdaRequestListener(ctx: Pick<ServiceContext, 'model' | 'invoker' | 'log'>) {
  const { model } = ctx;
  return async (req: IncomingMessage, res: ServerResponse): Promise<void> => {
    const requestId = randomUUID();
    try {
      const url = new URL(req.url ?? '/', 'http://localhost');
      const signedRegion = signedRegionOf(req.headers.authorization) ?? model.region;
      const inRegion = (fn: FunctionModel) => (fn.region ?? model.region) === signedRegion;
      if (req.method === 'GET' && LIST.test(url.pathname)) {
        const functions = model.functions.filter(inRegion).map((fn) => configurationOf(fn));
        send(res, 200, 'application/json', JSON.stringify({ Functions: functions }), requestId);
        return;
      }
      const invoke = INVOKE.exec(url.pathname);
      const get = invoke ? undefined : GET_FUNCTION.exec(url.pathname);
      const named = invoke?.[1] ?? get?.[1];
      if (named === undefined || (invoke && req.method !== 'POST') || (get && req.method !== 'GET')) {
        throw new LambdaApiError(
          404,
          'UnknownOperationException',
          `No local Lambda operation ${req.method} ${url.pathname}`,
        );
      }
      const text = decodeURIComponent(named);
      const target = parseFunctionName(text, signedRegion);
      if (target === undefined) {
        throw new LambdaApiError(
          400,
          'ValidationException',
          `1 validation error detected: Value '${text}' at 'functionName' failed to satisfy constraint`,
        );
      }
      if (target.qualifier !== undefined && target.qualifier !== '$LATEST') {
        throw new LambdaApiError(
          404,
          'ResourceNotFoundException',
          `Function not found: ${text} (the local cloud runs $LATEST only)`,
        );
      }
      const fn = findFunction(model.functions, target, model.region);
      if (fn === undefined) {
        throw new LambdaApiError(
          404,
          'ResourceNotFoundException',
          `Function not found: arn:aws:lambda:${target.region}:${model.accountId}:function:${target.name}`,
        );
      }
      if (get) {
        send(res, 200, 'application/json', JSON.stringify({ Configuration: configurationOf(fn) }), requestId);
        return;
      }
      const type = String(req.headers['x-amz-invocation-type'] ?? 'RequestResponse');
      if (type !== 'RequestResponse' && type !== 'Event' && type !== 'DryRun') {
        throw new LambdaApiError(
          400,
          'InvalidParameterValueException',
          `X-Amz-Invocation-Type must be RequestResponse, Event or DryRun, not ${type}`,
        );
      }
      const limit = type === 'Event' ? MAX_ASYNC_PAYLOAD_BYTES : MAX_SYNC_PAYLOAD_BYTES;
      const body = await readBody(req, {
        maxBytes: limit,
        tooLarge: () =>
          new LambdaApiError(
            413,
            'RequestTooLargeException',
            `Request must be smaller than ${limit} bytes for the ${type} invocation type`,
          ),
        malformed: (message) => new LambdaApiError(400, 'InvalidRequestContentException', message),
      });
      let event: unknown = {};
      if (body.length > 0) {
        try {
          event = JSON.parse(body.toString('utf8'));
        } catch {
          throw new LambdaApiError(
            400,
            'InvalidRequestContentException',
            'Could not parse request body into json: the payload is not JSON',
          );
        }
      }
      if (type === 'DryRun') {
        send(res, 204, 'application/json', '', requestId);
        return;
      }
      if (type === 'Event') {
        void ctx.invoker.invoke(fn.logicalId, event, { source: 'lambda' });
        send(res, 202, 'application/json', '', requestId);
        return;
      }
      const result = await ctx.invoker.invoke(fn.logicalId, event, { source: 'lambda' });
      const headers: Record<string, string> = { 'X-Amz-Executed-Version': '$LATEST' };
      if (!result.ok) {
        headers['X-Amz-Function-Error'] = 'Unhandled';
        send(
          res,
          200,
          'application/json',
          JSON.stringify(result.error ?? { errorType: 'Unknown', errorMessage: 'failed' }),
          result.requestId,
          headers,
        );
        return;
      }
      send(res, 200, 'application/json', JSON.stringify(result.payload ?? null), result.requestId, headers);
    } catch (error) {
      if (error instanceof LambdaApiError) {
        sendError(res, error, requestId);
        return;
      }
      ctx.log.warn(`lambda: ${(error as Error).message}`);
      sendError(res, new LambdaApiError(500, 'ServiceException', (error as Error).message), requestId);
    }
  };
}

/** The Lambda API service: started when the template has functions (always, in practice). */
export const lambdaService: LocalService = {
  name: 'lambda',
  needed: (model: TemplateModel) => model.functions.length > 0,
  async start(ctx: ServiceContext): Promise<RunningService> {
    const server = createServer(lambdaRequestListener(ctx));
    const url = await listen(server, ctx.host, ctx.port('lambda'), 'lambda', {
      guard: ctx.guard,
      errors: 'aws',
    });
    return { name: 'lambda', endpointKey: 'lambda', url, stop: () => close(server) };
  },
};
