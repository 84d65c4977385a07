// @ts-check
/**
 * `npm run invoke` starts here. With a local cloud running (`npm start`) and a plain request —
 * `<LogicalId> [-e <file>]` — it asks that cloud to invoke the function through its warm execution
 * environments (`POST /_kumo/invoke/<LogicalId>`, local/web/invoke-route.ts) and prints what
 * local/cli/invoke.ts would print. Anything else (no cloud, --parameter-overrides, -t, stdin, a file
 * that does not read or parse, --help) goes to local/cli/invoke.ts, which has the one copy of every
 * check and message.
 *
 * Plain JavaScript on purpose: loading TypeScript through tsx costs 0.4-0.6 s before the first line
 * runs (measured on a 2-core machine), more than the whole invocation through a warm environment.
 * Keep it small; everything with logic lives in the TypeScript it falls back to.
 */
import { readFile } from 'node:fs/promises';
import { request as httpRequest } from 'node:http';
import path from 'node:path';

/** Lambda's limit on a synchronous invocation's payload (local/cli/read-event.ts checks it again). */
const MAX_PAYLOAD_BYTES = 6 * 1024 * 1024;

/**
 * The plain request, or undefined for anything the TypeScript CLI must handle.
 * @param {string[]} argv
 * @returns {{ logicalId: string, eventFile?: string } | undefined}
 */
function plainRequest(argv) {
  /** @type {string[]} */
  const names = [];
  /** @type {string | undefined} */
  let eventFile;
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i] ?? '';
    if (arg === '-e' || arg === '--event') {
      const file = argv[++i];
      if (file === undefined || file === '-' || eventFile !== undefined) return undefined;
      eventFile = file;
    } else if (arg.startsWith('-') || arg.includes('=')) {
      return undefined;
    } else {
      names.push(arg);
    }
  }
  const [logicalId] = names;
  if (names.length !== 1 || logicalId === undefined) return undefined;
  return eventFile === undefined ? { logicalId } : { logicalId, eventFile };
}

/**
 * One POST with node:http (fetch would load undici first: some 30 ms more).
 * @param {string} url
 * @param {Record<string, string>} headers
 * @param {string} body
 * @returns {Promise<{ status: number, text: string }>}
 */
function post(url, headers, body) {
  return new Promise((resolve, reject) => {
    const req = httpRequest(url, { method: 'POST', headers }, (res) => {
      /** @type {Buffer[]} */
      const chunks = [];
      res.on('data', (chunk) => chunks.push(chunk));
      res.on('end', () =>
        resolve({ status: res.statusCode ?? 0, text: Buffer.concat(chunks).toString('utf8') }),
      );
      res.on('error', reject);
    });
    req.on('error', reject);
    req.end(body);
  });
}

/** @param {unknown} value */
function printJson(value) {
  const text = process.stdout.isTTY ? JSON.stringify(value, null, 2) : JSON.stringify(value);
  process.stdout.write(`${text ?? 'null'}\n`);
}

/** @param {string} message */
function info(message) {
  process.stderr.write(`${new Date().toISOString().slice(11, 19)} ${message}\n`);
}

/**
 * Invokes through the running cloud; undefined when there is none (or the request is not plain), so
 * that nothing has run yet and the TypeScript CLI can take over.
 * @param {string[]} argv
 * @returns {Promise<number | undefined>}
 */
async function throughRunningCloud(argv) {
  const request = plainRequest(argv);
  if (!request) return undefined;
  const kumoDir = path.join(process.cwd(), '.kumo');
  /** @type {{ web?: unknown, token?: unknown, services?: Record<string, unknown> }} */
  let endpoints;
  try {
    endpoints = JSON.parse(await readFile(path.join(kumoDir, 'endpoints.json'), 'utf8'));
  } catch {
    return undefined;
  }
  if (typeof endpoints.web !== 'string' || typeof endpoints.token !== 'string') return undefined;
  let body = '{}';
  if (request.eventFile !== undefined) {
    try {
      body = await readFile(request.eventFile, 'utf8');
      if (Buffer.byteLength(body) > MAX_PAYLOAD_BYTES) return undefined;
      JSON.parse(body);
    } catch {
      return undefined;
    }
  }
  /** @type {{ status: number, text: string }} */
  let response;
  try {
    response = await post(
      `${endpoints.web}/_kumo/invoke/${encodeURIComponent(request.logicalId)}`,
      { 'Content-Type': 'application/json', 'X-Kumo-Token': endpoints.token },
      body,
    );
  } catch (error) {
    // Refused: no cloud listens there (a stale endpoints.json), nothing ran. Anything else: it may have.
    if (/** @type {{ code?: string }} */ (error).code === 'ECONNREFUSED') return undefined;
    throw error;
  }
  // An unknown function (the TypeScript CLI lists the known ones), a cloud without this route...
  if (response.status !== 200) return undefined;
  const result = JSON.parse(response.text);
  info(`invoking ${request.logicalId} against the local cloud running at ${endpoints.web}`);
  if (result.rebundled) info(`${request.logicalId}: its sources changed: the running cloud bundled it again`);
  for (const { line } of result.logs) process.stderr.write(`${request.logicalId} ${line}\n`);
  info(`[invoke] ${result.line}`);
  printJson(result.ok ? result.payload : result.error);
  const cloudWatch = endpoints.services?.cloudwatch;
  if (result.emf.metrics > 0 && typeof cloudWatch === 'string') {
    info(
      `${result.emf.metrics} EMF metric(s) of ${result.emf.namespaces.join(', ')} sent to the local CloudWatch at ${cloudWatch}`,
    );
  }
  return result.ok ? 0 : 1;
}

const argv = process.argv.slice(2);
const code = await throughRunningCloud(argv).catch((error) => {
  process.stderr.write(`kumo invoke: ${error instanceof Error ? error.message : String(error)}\n`);
  return 1;
});
if (code !== undefined) process.exit(code);
// The full CLI, in this process: tsx's loader registered here costs less than a second `node`.
const { register } = await import('tsx/esm/api');
register();
await import('./invoke.ts');
