/**
 * `npm run bench -- hostile`: at least 10,000 generated hostile requests (test/helpers/hostile.ts) to
 * every route of a fresh local cloud's API, as users A and B and with every kind of bad token, plus
 * bodies over the gateway's 10 MB limit. Prints the counts by status and by route, the rate and the
 * latency; fails (exit 1) on any 5xx, stack trace, leak of user A's data or authorizer mistake.
 */
import http from 'node:http';
import fc from 'fast-check';
import {
  GATEWAY_MAX_BODY_BYTES,
  type HostileAnswer,
  type HostileRequest,
  hostileRequest,
  judge,
  prepareHostileRun,
  send,
} from '../../test/helpers/hostile.js';
import { userOf } from '../../test/helpers/hostile-tokens.js';
import { startTestCloud } from '../../test/helpers/local-cloud.js';
import { printGoals, valueGoal } from '../lib/goals.js';
import { printTable, progress, seconds } from '../lib/report.js';
import type { BenchOptions } from '../run.js';

const SEED = 20261205;
/** Few: every connection can hold a function process busy, and the machine has few cores. */
const CONNECTIONS = 4;
/** Requests generated per fast-check sample, so 10,000 bodies are never in memory at once. */
const CHUNK = 500;

function percentile(sorted: readonly number[], p: number): number {
  if (sorted.length === 0) return Number.NaN;
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)] as number;
}

function statusClass(status: number): string {
  return status === 0 ? 'none' : `${Math.floor(status / 100)}xx`;
}

export async function run(options: BenchOptions): Promise<void> {
  const total = options.quick ? 2_000 : 10_000;
  const starting = progress('starting a fresh local cloud');
  const cloud = await startTestCloud('bench-hostile');
  starting.done();
  const agent = new http.Agent({ keepAlive: true, maxSockets: CONNECTIONS });
  try {
    const context = await prepareHostileRun(cloud.cloud, cloud.dataDir);
    process.stdout.write(
      `${context.routes.length} routes from the template (${context.routes.filter((r) => r.private).length} private), ` +
        `${total} generated requests + ${context.routes.length} over 10 MB, seed ${SEED}, ${CONNECTIONS} connections\n`,
    );

    const byStatus = new Map<number, number>();
    const byRoute = new Map<string, Map<string, number>>();
    const problems: string[] = [];
    const latencies: number[] = [];
    let sent = 0;
    // Requests that name A's monitors in their path, sent by anyone but A (B, no token, a bad token).
    const seeded = Object.values(context.monitors);
    let foreignMonitorRequests = 0;

    const record = (request: HostileRequest, answer: HostileAnswer, ms: number) => {
      sent++;
      latencies.push(ms);
      if (userOf(request.token) !== 'a' && seeded.some((id) => request.target.includes(id))) {
        foreignMonitorRequests++;
      }
      byStatus.set(answer.status, (byStatus.get(answer.status) ?? 0) + 1);
      const row = byRoute.get(request.label) ?? new Map<string, number>();
      row.set(statusClass(answer.status), (row.get(statusClass(answer.status)) ?? 0) + 1);
      row.set(String(answer.status), (row.get(String(answer.status)) ?? 0) + 1);
      byRoute.set(request.label, row);
      for (const problem of judge(request, answer, context)) {
        problems.push(
          `${request.method} ${request.target.slice(0, 100)} [${request.token}] -> ${answer.status}: ${problem}`,
        );
      }
    };

    const exchange = async (request: HostileRequest) => {
      const started = performance.now();
      let answer: HostileAnswer;
      try {
        answer = await send(context.apiUrl, request, agent);
      } catch (error) {
        answer = { status: 0, headers: {}, body: '' };
        problems.push(
          `${request.method} ${request.target.slice(0, 100)}: no answer (${(error as Error).message})`,
        );
      }
      record(request, answer, performance.now() - started);
    };

    const working = progress(`sending ${total} hostile requests`);
    const started = performance.now();
    for (let chunk = 0; chunk * CHUNK < total; chunk++) {
      const requests = fc.sample(hostileRequest(context), {
        seed: SEED + chunk,
        numRuns: Math.min(CHUNK, total - chunk * CHUNK),
      });
      let next = 0;
      await Promise.all(
        Array.from({ length: CONNECTIONS }, async () => {
          while (next < requests.length) await exchange(requests[next++] as HostileRequest);
        }),
      );
    }
    // Over API Gateway's payload limit, once per route (too large to generate by the thousand).
    const huge = Buffer.alloc(GATEWAY_MAX_BODY_BYTES + 1, 0x7b);
    for (const route of context.routes) {
      await exchange({
        method: route.method,
        target: route.resource.replace(/\{[^}]+\}/g, 'x'),
        headers: { 'content-type': 'application/json', authorization: context.tokens['user-b'] ?? '' },
        body: huge,
        token: 'user-b',
        label: `${route.method} ${route.resource}`,
      });
    }
    const elapsed = performance.now() - started;
    working.done();

    process.stdout.write('\nBy status\n');
    const statusRows = [...byStatus].sort(([a], [b]) => a - b);
    printTable([
      ['status', 'requests', 'share'],
      ...statusRows.map(([status, count]) => [status, count, `${((100 * count) / sent).toFixed(1)} %`]),
    ]);

    process.stdout.write('\nBy route (generated path and method; "unknown path" is none of the template)\n');
    const classes = ['2xx', '4xx', '5xx'];
    const common = ['400', '401', '403', '404', '405', '413', '431'];
    const routeRows = [...byRoute].sort(([a], [b]) => a.localeCompare(b));
    printTable([
      ['route', 'requests', ...classes, ...common],
      ...routeRows.map(([label, row]) => [
        label,
        [...row].filter(([key]) => key.endsWith('xx') || key === 'none').reduce((sum, [, n]) => sum + n, 0),
        ...classes.map((key) => row.get(key) ?? 0),
        ...common.map((key) => row.get(key) ?? 0),
      ]),
    ]);

    const sorted = [...latencies].sort((a, b) => a - b);
    process.stdout.write(
      `\n${sent} requests in ${seconds(elapsed)}: ${((sent * 1000) / elapsed).toFixed(0)} requests/s, ` +
        `latency p50 ${percentile(sorted, 50).toFixed(1)} ms, p99 ${percentile(sorted, 99).toFixed(1)} ms\n`,
    );
    process.stdout.write(
      `${foreignMonitorRequests} requests named user A's monitors (one private, one public) in their path ` +
        `as someone else; ${context.secrets.length} secrets of A checked in every answer to anyone else\n`,
    );
    const fives = statusRows.filter(([status]) => status >= 500).reduce((sum, [, n]) => sum + n, 0);
    process.stdout.write(
      `5xx: ${fives}; problems (stack traces, leaks, authorizer mistakes, bad bodies): ${problems.length}\n`,
    );
    printGoals(
      [
        { figure: 'requests/s', measured: ((sent * 1000) / elapsed).toFixed(0), goal: '' },
        valueGoal('5xx answers', fives, { atMost: 0 }),
        valueGoal('unsafe answers (stack traces, leaks, authorizer mistakes, bad bodies)', problems.length, {
          atMost: 0,
        }),
      ],
      'bench/hostile goals',
    );
    if (problems.length > 0) {
      for (const problem of problems.slice(0, 20)) process.stdout.write(`  ${problem}\n`);
      throw new Error(`${problems.length} hostile requests were not answered safely`);
    }
  } finally {
    agent.destroy();
    await cloud.close();
  }
}
