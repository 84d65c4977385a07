/**
 * The runtime inside a function's process — what Lambda's Node.js runtime interface client does:
 * load the handler named by `_HANDLER` from `LAMBDA_TASK_ROOT` (the init phase), then run one
 * invocation per `invoke` message with a Lambda-shaped context. console.* lines get Lambda's
 * `timestamp<TAB>requestId<TAB>LEVEL<TAB>message` prefix; uncaught errors end the process, as on Lambda.
 *
 * Not imported by the local cloud: `bootstrap-file.ts` bundles it to a .cjs file that `fork` runs.
 */
import { stat } from 'node:fs/promises';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { format } from 'node:util';
import type { Callback, Context } from 'aws-lambda';
import { splitHandler } from '../build/bundle-path.js';
import type { InvokeError } from '../types.js';
import { installFaultSwitch } from './fault-switch.js';
import {
  END_MARKER,
  EXIT_INIT_ERROR,
  EXIT_UNCAUGHT_EXCEPTION,
  EXIT_UNHANDLED_REJECTION,
  type InvokeMessage,
  type ProcessMessage,
  type ResultMessage,
} from './protocol.js';

type Handler = (event: unknown, context: Context, callback: Callback) => unknown;

/** An error with the errorType Lambda's runtime uses for it (`Runtime.HandlerNotFound`...). */
class RuntimeError extends Error {
  constructor(
    override readonly name: string,
    message: string,
  ) {
    super(message);
  }
}

function send(message: ProcessMessage): Promise<void> {
  return new Promise((resolve) => {
    if (!process.send || !process.connected) return resolve();
    process.send(message, undefined, {}, () => resolve());
  });
}

/** Lambda's shape of an error: `errorType` from its name, `trace` from its stack. */
function toInvokeError(error: unknown): InvokeError {
  if (error instanceof Error || (typeof error === 'object' && error !== null && 'message' in error)) {
    const e = error as Error;
    return {
      errorType: String(e.name ?? 'Error'),
      errorMessage: String(e.message),
      trace: String(e.stack ?? '').split('\n'),
    };
  }
  return { errorType: typeof error, errorMessage: String(error), trace: [] };
}

function isThenable(value: unknown): value is PromiseLike<unknown> {
  return typeof (value as PromiseLike<unknown> | undefined)?.then === 'function';
}

/** Routes console.* through Lambda's text log format, tagged with the current request id. */
function patchConsole(requestId: () => string | undefined): void {
  const line =
    (stream: NodeJS.WriteStream, level: string) =>
    (...args: unknown[]) => {
      const message = format(...args);
      stream.write(`${new Date().toISOString()}\t${requestId() ?? 'undefined'}\t${level}\t${message}\n`);
    };
  console.log = line(process.stdout, 'INFO');
  console.info = line(process.stdout, 'INFO');
  console.debug = line(process.stdout, 'DEBUG');
  console.warn = line(process.stderr, 'WARN');
  console.error = line(process.stderr, 'ERROR');
  console.trace = (...args: unknown[]) => {
    const stack = new Error().stack?.split('\n').slice(2).join('\n') ?? '';
    line(process.stderr, 'TRACE')(`Trace: ${format(...args)}\n${stack}`);
  };
}

async function exists(file: string): Promise<boolean> {
  return stat(file).then(
    (s) => s.isFile(),
    () => false,
  );
}

/** Resolves `file.export` as Lambda does: `<file>.js`, `.mjs` or `.cjs`, then the (nested) export. */
async function loadHandler(taskRoot: string, handlerSpec: string): Promise<Handler> {
  const { module, exportPath } = splitHandler(handlerSpec);
  const base = path.resolve(taskRoot, module);
  let file: string | undefined;
  for (const extension of ['.js', '.mjs', '.cjs']) {
    if (await exists(base + extension)) {
      file = base + extension;
      break;
    }
  }
  if (!file) throw new RuntimeError('Runtime.ImportModuleError', `Error: Cannot find module '${module}'`);
  let loaded: unknown;
  if (file.endsWith('.mjs')) loaded = await import(pathToFileURL(file).href);
  else {
    try {
      loaded = require(file);
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'ERR_REQUIRE_ESM') throw error;
      loaded = await import(pathToFileURL(file).href);
    }
  }
  let handler: unknown = loaded;
  for (const key of exportPath.split('.')) handler = (handler as Record<string, unknown> | undefined)?.[key];
  if (typeof handler !== 'function') {
    throw new RuntimeError('Runtime.HandlerNotFound', `${module}.${exportPath} is undefined or not exported`);
  }
  return handler as Handler;
}

function createContext(message: InvokeMessage, settle: Callback): Context {
  const env = process.env;
  return {
    awsRequestId: message.requestId,
    functionName: env.AWS_LAMBDA_FUNCTION_NAME ?? '',
    functionVersion: env.AWS_LAMBDA_FUNCTION_VERSION ?? '$LATEST',
    invokedFunctionArn: message.invokedFunctionArn,
    memoryLimitInMB: env.AWS_LAMBDA_FUNCTION_MEMORY_SIZE ?? '128',
    logGroupName: env.AWS_LAMBDA_LOG_GROUP_NAME ?? '',
    logStreamName: env.AWS_LAMBDA_LOG_STREAM_NAME ?? '',
    callbackWaitsForEmptyEventLoop: true,
    getRemainingTimeInMillis: () => Math.max(0, message.deadlineMs - Date.now()),
    // The legacy completion methods the Node.js 22 runtime still offers.
    done: (error, result) => settle(error, result),
    fail: (error) => settle(typeof error === 'string' ? new Error(error) : error),
    succeed: (result: unknown) => settle(null, result),
  };
}

/** Runs the handler: a returned promise, or the callback of a three-argument handler, settles it. */
function callHandler(handler: Handler, message: InvokeMessage): Promise<unknown> {
  return new Promise((resolve, reject) => {
    const settle: Callback = (error, result) => {
      if (error !== undefined && error !== null) reject(error);
      else resolve(result);
    };
    const returned = handler(JSON.parse(message.event), createContext(message, settle), settle);
    if (isThenable(returned)) returned.then(resolve, reject);
    // Lambda would wait for a callback that never comes and answer null; the value is more useful.
    else if (handler.length < 3) resolve(returned);
  });
}

function maxMemoryUsedMb(): number {
  return Math.round(process.resourceUsage().maxRSS / 1024);
}

async function invoke(handler: Handler, message: InvokeMessage): Promise<ResultMessage> {
  const base = { type: 'result', requestId: message.requestId } as const;
  try {
    const value = await callHandler(handler, message);
    const payload = JSON.stringify(value === undefined ? null : value) ?? 'null';
    return { ...base, ok: true, payload, maxMemoryUsedMb: maxMemoryUsedMb() };
  } catch (thrown) {
    const error = toInvokeError(thrown);
    console.error('Invoke Error \t%s', JSON.stringify(error));
    return { ...base, ok: false, error, maxMemoryUsedMb: maxMemoryUsedMb() };
  }
}

function endOfInvocation(requestId: string): Promise<void> {
  const mark = (stream: NodeJS.WriteStream) =>
    new Promise<void>((resolve) => stream.write(`${END_MARKER}${requestId}\n`, () => resolve()));
  return Promise.all([mark(process.stdout), mark(process.stderr)]).then(() => undefined);
}

async function main(): Promise<void> {
  // The local fault switch (local/faults.ts): before the handler's module opens any connection.
  installFaultSwitch(process.env);
  let currentRequestId: string | undefined;
  patchConsole(() => currentRequestId);
  // The runner decides when this process ends: Ctrl-C in the terminal reaches the whole process group.
  process.on('SIGINT', () => {});
  process.on('disconnect', () => process.exit(0));

  const die = (label: string, error: InvokeError, code: number) => {
    console.error('%s \t%s', label, JSON.stringify(error));
    void send({ type: 'fatal', error }).then(() => process.exit(code));
  };
  process.on('uncaughtException', (error) =>
    die('Uncaught Exception', toInvokeError(error), EXIT_UNCAUGHT_EXCEPTION),
  );
  process.on('unhandledRejection', (reason) => {
    const cause = toInvokeError(reason);
    const error = {
      errorType: 'Runtime.UnhandledPromiseRejection',
      errorMessage: `${cause.errorType}: ${cause.errorMessage}`,
      trace: cause.trace,
    };
    die('Unhandled Promise Rejection', error, EXIT_UNHANDLED_REJECTION);
  });

  let handler: Handler;
  try {
    handler = await loadHandler(process.env.LAMBDA_TASK_ROOT ?? process.cwd(), process.env._HANDLER ?? '');
  } catch (thrown) {
    const error = toInvokeError(thrown);
    console.error('Init Error \t%s', JSON.stringify(error));
    await send({ type: 'init-error', error });
    process.exit(EXIT_INIT_ERROR);
  }

  process.on('message', (message: InvokeMessage) => {
    if (message.type !== 'invoke') return;
    currentRequestId = message.requestId;
    process.env._X_AMZN_TRACE_ID = message.traceId;
    void invoke(handler, message).then(async (result) => {
      await endOfInvocation(message.requestId);
      await send(result);
    });
  });
  await send({ type: 'ready' });
}

void main();
