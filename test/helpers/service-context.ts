import { mkdtemp, readFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { emptyLocalConfig, type LocalConfig } from '../../local/config.js';
import { createHttpGuard, webOriginsFor } from '../../local/guard/index.js';
import { createMemoryLogger } from '../../local/log.js';
import { buildModel, parseTemplateText, type TemplateModel } from '../../local/template/index.js';
import type { InvokeOptions, InvokeResult, Invoker, ServiceContext } from '../../local/types.js';

const FIXTURES = path.join(path.dirname(fileURLToPath(import.meta.url)), '..', 'fixtures', 'templates');

/** The model of `test/fixtures/templates/<file>`, as the local cloud would build it. */
export async function fixtureModel(file: string): Promise<TemplateModel> {
  const text = await readFile(path.join(FIXTURES, file), 'utf8');
  return buildModel(parseTemplateText(text), '/tmp/x/template.yaml');
}

/** One call the recording invoker received. */
export interface InvokeCall {
  logicalId: string;
  event: unknown;
  options?: InvokeOptions;
}

/** An Invoker that records calls and answers with `respond` (success by default). */
export function createRecordingInvoker(
  respond: (call: InvokeCall) => Partial<InvokeResult> = () => ({ ok: true }),
): Invoker & { calls: InvokeCall[] } {
  const calls: InvokeCall[] = [];
  return {
    calls,
    async invoke(logicalId, event, options) {
      const call = { logicalId, event, options };
      calls.push(call);
      return { requestId: `req-${calls.length}`, ok: true, durationMs: 1, ...respond(call) };
    },
  };
}

/** The token of the /_kumo routes of services started with testContext. */
export const TEST_TOKEN = 'test-token-0123456789abcdef';

/** The web app's origin for services started with testContext (its other loopback spellings pass too). */
export const TEST_WEB_ORIGIN = 'http://127.0.0.1:4500';

/** A temporary folder standing for `.kumo/data`. */
export function tempDataRoot(): Promise<string> {
  return mkdtemp(path.join(tmpdir(), 'kumo-test-'));
}

/**
 * A ServiceContext for one service under test: any free port, data under `dataRoot`, a memory logger,
 * no kumo.local.json unless `config` is given.
 */
export function testContext(
  model: TemplateModel,
  dataRoot: string,
  options: { fresh?: boolean; invoker?: Invoker; config?: LocalConfig } = {},
) {
  const log = createMemoryLogger();
  const ctx: ServiceContext = {
    model,
    host: '127.0.0.1',
    port: () => 0,
    dataDir: (service) => path.join(dataRoot, service),
    fresh: options.fresh ?? false,
    config: options.config ?? emptyLocalConfig(),
    log,
    invoker: options.invoker ?? createRecordingInvoker(),
    endpoints: {},
    guard: createHttpGuard({ token: TEST_TOKEN, webOrigins: webOriginsFor(4500, '127.0.0.1') }),
  };
  return { ctx, log };
}
