/**
 * Vitest globalSetup (vitest.config.ts): one local cloud per `vitest run`, shared by the test files that
 * only need a running cloud (test/helpers/local-cloud.ts, `sharedCloud()`). It starts on first demand, not
 * here: a run of unit tests alone never starts it. It lives in the vitest process, so the test files
 * (forked workers) reach it through a small HTTP broker on the loopback that answers only with the
 * secret handed to them by `provide`; the broker starts the cloud, describes it, and does what only the
 * process holding it can (invoke a function, read the recorded traces).
 */
import { randomBytes, timingSafeEqual } from 'node:crypto';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { TestProject } from 'vitest/node';
import type { TestCloud } from './local-cloud.js';
import { SHARED_CLOUD_SECRET_HEADER, type SharedCloudDescription } from './shared-cloud.js';

async function readBody(req: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString('utf8');
}

function answer(res: ServerResponse, status: number, body: unknown): void {
  res.writeHead(status, { 'Content-Type': 'application/json' }).end(JSON.stringify(body));
}

/** The model holds a Map (resources): sent as its entries, rebuilt by `sharedCloud()`. */
function describeCloud(test: TestCloud): SharedCloudDescription {
  const { cloud } = test;
  return {
    dataDir: test.dataDir,
    token: cloud.token,
    endpoints: cloud.endpoints,
    webOrigins: [...cloud.guard.webOrigins],
    model: { ...cloud.model, resources: [...cloud.model.resources] },
  };
}

export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  // The cloud runs in this process: give it the environment the config gives the test files' own clouds.
  for (const [key, value] of Object.entries(project.config.env ?? {})) process.env[key] ??= String(value);
  const secret = randomBytes(24).toString('base64url');
  let starting: Promise<TestCloud> | undefined;
  let startMs = 0;
  const files = new Set<string>();
  // Started once, on the first file's request; a failed start fails every file that asks, with its reason.
  const ensure = () => {
    starting ??= (async () => {
      const begun = Date.now();
      // Loaded here: a run of unit tests alone never loads the emulators.
      const { startTestCloud } = await import('./local-cloud.js');
      const test = await startTestCloud('shared');
      startMs = Date.now() - begun;
      return test;
    })();
    return starting;
  };

  const server = createServer((req, res) => {
    const given = Buffer.from(String(req.headers[SHARED_CLOUD_SECRET_HEADER] ?? ''));
    const expected = Buffer.from(secret);
    if (given.length !== expected.length || !timingSafeEqual(given, expected)) {
      answer(res, 403, { message: 'the shared cloud broker serves the test run only' });
      return;
    }
    void (async () => {
      try {
        const test = await ensure();
        if (req.method === 'POST' && req.url === '/cloud') {
          files.add((JSON.parse((await readBody(req)) || '{}') as { file?: string }).file ?? 'unknown');
          answer(res, 200, describeCloud(test));
        } else if (req.method === 'POST' && req.url === '/invoke') {
          const { logicalId, event } = JSON.parse(await readBody(req)) as {
            logicalId: string;
            event: unknown;
          };
          answer(res, 200, await test.cloud.invoker.invoke(logicalId, event, { source: 'test' }));
        } else if (req.method === 'GET' && req.url === '/traces')
          answer(res, 200, test.cloud.traces?.all() ?? []);
        else answer(res, 404, { message: `no route ${req.method} ${req.url}` });
      } catch (error) {
        answer(res, 500, { message: (error as Error).stack ?? String(error) });
      }
    })();
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  project.provide('kumoSharedCloud', { url: `http://127.0.0.1:${port}`, secret });

  return async () => {
    server.closeAllConnections();
    await new Promise<void>((resolve) => server.close(() => resolve()));
    const test = await starting?.catch(() => undefined);
    if (!test) return;
    await test.close();
    process.stdout.write(
      `shared local cloud: started once in ${(startMs / 1000).toFixed(1)}s, used by ${files.size} file${files.size === 1 ? '' : 's'}\n`,
    );
  };
}
