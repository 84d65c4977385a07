import { mkdir, rm } from 'node:fs/promises';
import type { RequestListener, Server } from 'node:http';
import path from 'node:path';
import { DescribeTableCommand, DynamoDBClient, ResourceNotFoundException } from '@aws-sdk/client-dynamodb';
import dynalite from 'dynalite';
import { close, listen } from '../../listen.js';
import type { TemplateModel } from '../../template/types.js';
import type { LocalService, RunningService, ServiceContext } from '../../types.js';
import { tuneDynaliteStore } from '../level-tuning.js';
import { DEFAULT_TTL_SWEEP_MS } from './constants.js';
import { lockDataDir } from './data-lock.js';
import { interceptDynalite } from './intercept.js';
import { templateSse } from './sse.js';
import { installTableCache } from './table-cache.js';
import { ensureTable, type TableOutcome } from './tables.js';
import { createTransactWriter } from './transact-write.js';
import { TtlSettings } from './ttl-settings.js';
import { TtlSweeper } from './ttl-sweeper.js';

export { DataDirInUseError } from './data-lock.js';
export type { TableOutcome } from './tables.js';

/** Options of the DynamoDB service (tests shorten the sweep interval). */
export interface DynamodbOptions {
  /** Milliseconds between TTL sweeps; 30 s by default. */
  ttlSweepIntervalMs?: number;
}

/** The running DynamoDB emulator: dynalite behind a small interceptor, plus the TTL sweeper. */
export interface DynamodbService extends RunningService {
  /** What start() did with each table of the template, by logical id. */
  tables: Readonly<Record<string, TableOutcome>>;
  /** Runs one TTL sweep now; resolves with the number of expired items deleted. */
  sweepTtl(now?: Date): Promise<number>;
}

/**
 * DynamoDB for the local cloud: dynalite in-process (LevelDB in `.kumo/data/dynamodb/tables`), every
 * table of the template created as declared, TTL emulated (DescribeTimeToLive/UpdateTimeToLive and a
 * sweeper), TransactWriteItems (transact-write.ts), and a clear error for the operations dynalite lacks
 * (TransactGetItems, PartiQL, streams).
 */
export function createDynamodbService(options: DynamodbOptions = {}): LocalService {
  return {
    name: 'dynamodb',
    needed: (model: TemplateModel) => model.tables.length > 0,
    start: (ctx) => startDynamodb(ctx, options.ttlSweepIntervalMs ?? DEFAULT_TTL_SWEEP_MS),
  };
}

/** The DynamoDB service with default options, for the orchestrator. */
export const dynamodbService: LocalService = createDynamodbService();

async function startDynamodb(ctx: ServiceContext, sweepIntervalMs: number): Promise<DynamodbService> {
  const dataDir = ctx.dataDir('dynamodb');
  const tablesDir = path.join(dataDir, 'tables');
  const ttlFile = path.join(dataDir, 'ttl.json');
  await mkdir(dataDir, { recursive: true });
  const unlock = await lockDataDir(dataDir);
  let server: Server | undefined;
  try {
    if (ctx.fresh)
      await Promise.all([rm(tablesDir, { recursive: true, force: true }), rm(ttlFile, { force: true })]);
    const settings = await TtlSettings.load(ttlFile);
    // Zero CREATING/DELETING delays: the tables are ready as soon as CreateTable returns.
    // Table descriptions kept in memory for item operations (table-cache.ts).
    installTableCache();
    // A 64 MB LevelDB write buffer: far less flushing and compaction under write load (level-tuning.ts).
    tuneDynaliteStore();
    server = dynalite({ path: tablesDir, createTableMs: 0, deleteTableMs: 0, updateTableMs: 0 });
    const url = await listen(server, ctx.host, ctx.port('dynamodb'), 'dynamodb', {
      guard: ctx.guard,
      errors: 'aws',
    });
    return await serve(ctx, server, url, settings, sweepIntervalMs, unlock);
  } catch (error) {
    // Tear down what started, or a failed start would hold the port and the data folder.
    if (server?.listening) await close(server);
    await unlock();
    throw error;
  }
}

/** Puts the interceptor in front of dynalite, creates the template's tables and starts the sweeper. */
async function serve(
  ctx: ServiceContext,
  server: Server,
  url: string,
  settings: TtlSettings,
  sweepIntervalMs: number,
  unlock: () => Promise<void>,
): Promise<DynamodbService> {
  const client = new DynamoDBClient({
    endpoint: url,
    region: ctx.model.region,
    credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
    maxAttempts: 1,
  });
  const sweeper = new TtlSweeper(client, settings, ctx.log, sweepIntervalMs);

  // Every request reaches the interceptor first; dynalite's own handler sees the rest untouched.
  const [handler] = server.listeners('request') as RequestListener[];
  if (!handler) throw new Error('dynalite server has no request handler');
  server.removeAllListeners('request');
  server.on(
    'request',
    interceptDynalite(handler, {
      settings,
      log: ctx.log,
      tableExists: (name) => tableExists(client, name),
      transactWrite: createTransactWriter(client),
      sse: templateSse(ctx.model),
    }),
  );

  try {
    const outcomes = await Promise.all(ctx.model.tables.map((table) => ensureTable(client, table, ctx.log)));
    for (const table of ctx.model.tables) {
      if (table.ttlAttribute && settings.attributeOf(table.name) !== table.ttlAttribute) {
        await settings.enable(table.name, table.ttlAttribute);
      }
      if (table.streamViewType) {
        ctx.log.warn(`${table.logicalId}: DynamoDB Streams are not emulated by dynalite; no stream records`);
      }
    }
    sweeper.start();
    return {
      name: 'dynamodb',
      endpointKey: 'dynamodb',
      url,
      tables: Object.fromEntries(ctx.model.tables.map((t, i) => [t.logicalId, outcomes[i] as TableOutcome])),
      sweepTtl: (now) => sweeper.sweep(now),
      async stop() {
        await sweeper.stop();
        client.destroy();
        await close(server);
        await unlock();
      },
    };
  } catch (error) {
    client.destroy();
    throw error;
  }
}

async function tableExists(client: DynamoDBClient, name: string): Promise<boolean> {
  try {
    await client.send(new DescribeTableCommand({ TableName: name }));
    return true;
  } catch (error) {
    if (error instanceof ResourceNotFoundException) return false;
    throw error;
  }
}
