import { type BundleFreshness, bundleFunctions } from '../build/index.js';
import { invocationLine } from '../console/invocation-line.js';
import type { EmfSample } from '../metrics/index.js';
import type { FunctionRunner } from '../runner/index.js';
import type { TemplateModel } from '../template/types.js';
import type { InvokeError, LocalLogger } from '../types.js';

/** Lambda's limit on a synchronous invocation's payload: 6 MB (6,291,456 bytes). */
export const MAX_INVOKE_PAYLOAD_BYTES = 6 * 1024 * 1024;

/** What `POST /_kumo/invoke/<LogicalId>` answers (200) once the function ran, whatever its outcome. */
export interface RemoteInvocation {
  requestId: string;
  ok: boolean;
  payload?: unknown;
  error?: InvokeError;
  durationMs: number;
  initDurationMs?: number;
  /** The console's line for it (`HealthApiFunction 8 ms ok · ...`), as `npm start` prints it. */
  line: string;
  /** Whether that line is an error line (the invocation failed or logged an error). */
  lineIsError: boolean;
  /** What the function wrote during the invocation, EMF documents left out. */
  logs: { stream: 'stdout' | 'stderr'; line: string }[];
  /** Its EMF metrics, recorded in the local CloudWatch (as CloudWatch Logs would extract them). */
  emf: { metrics: number; namespaces: string[] };
  /** True when its sources had changed and it was bundled again for this invocation. */
  rebundled: boolean;
}

export interface InvokeRouteOptions {
  runner: FunctionRunner;
  model: TemplateModel;
  buildDir: string;
  freshness: BundleFreshness;
  log: LocalLogger;
}

type Answer = { status: number; body: unknown };

function problem(status: number, code: string, message: string): Answer {
  return { status, body: { message, code } };
}

/**
 * `POST /_kumo/invoke/<LogicalId>` with the event as the body: `npm run invoke` against a running local
 * cloud invokes through its warm execution environments (no bundle, no new process, no second copy of
 * the configuration). A function whose sources changed since its bundle is bundled again first and its
 * old environments retired, so the invocation runs the code on disk, as the CLI's own bundle did.
 */
export function invokeRoute(
  options: InvokeRouteOptions,
): (logicalId: string, body: Buffer) => Promise<Answer> {
  /** One rebundle per function at a time; concurrent invocations wait for it. */
  const rebundling = new Map<string, Promise<boolean>>();

  const ensureFresh = (logicalId: string): Promise<boolean> => {
    const pending = rebundling.get(logicalId);
    if (pending) return pending;
    const check = (async () => {
      if (!(await options.freshness.stale(logicalId))) return false;
      const [result] = await bundleFunctions(options.model, {
        outDir: options.buildDir,
        functions: [logicalId],
      });
      if (result) options.freshness.record(result);
      const retired = options.runner.retire(logicalId);
      options.log.info(
        `${logicalId}: sources changed, bundled again in ${result?.ms ?? '?'} ms` +
          (retired > 0 ? ` (${retired} idle environment(s) ended)` : ''),
      );
      return true;
    })().finally(() => rebundling.delete(logicalId));
    rebundling.set(logicalId, check);
    return check;
  };

  return async (logicalId, body) => {
    if (!options.model.functions.some((fn) => fn.logicalId === logicalId)) {
      return problem(404, 'ResourceNotFoundException', `Function not found: ${logicalId}`);
    }
    if (body.length > MAX_INVOKE_PAYLOAD_BYTES) {
      return problem(
        413,
        'RequestEntityTooLargeException',
        `Request must be smaller than ${MAX_INVOKE_PAYLOAD_BYTES} bytes for the InvokeFunction operation`,
      );
    }
    let event: unknown;
    try {
      event = body.length === 0 ? {} : JSON.parse(body.toString('utf8'));
    } catch (error) {
      return problem(
        400,
        'InvalidRequestContentException',
        `The event is not valid JSON: ${(error as Error).message}`,
      );
    }
    let rebundled: boolean;
    try {
      rebundled = await ensureFresh(logicalId);
    } catch (error) {
      return problem(422, 'BundleFailed', (error as Error).message);
    }
    const logs: RemoteInvocation['logs'] = [];
    const samples: EmfSample[] = [];
    const result = await options.runner.invoke(logicalId, event, {
      source: 'invoke',
      observer: {
        line: (stream, line) => logs.push({ stream, line }),
        emf: (found) => samples.push(...found),
      },
    });
    const line = invocationLine({
      logicalId,
      durationMs: result.durationMs,
      ...(result.initDurationMs === undefined ? {} : { initDurationMs: result.initDurationMs }),
      ...(result.error ? { error: result.error } : {}),
      lines: logs.map((l) => l.line),
    });
    const answer: RemoteInvocation = {
      requestId: result.requestId,
      ok: result.ok,
      ...(result.ok ? { payload: result.payload ?? null } : { error: result.error }),
      durationMs: result.durationMs,
      ...(result.initDurationMs === undefined ? {} : { initDurationMs: result.initDurationMs }),
      line: line.text,
      lineIsError: line.error,
      logs,
      emf: {
        metrics: samples.length,
        namespaces: [...new Set(samples.map((s) => s.namespace))],
      },
      rebundled,
    };
    return { status: 200, body: answer };
  };
}
