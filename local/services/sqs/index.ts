import { setMaxListeners } from 'node:events';
import { createServer } from 'node:http';
import { close, listen } from '../../listen.js';
import type { TemplateModel } from '../../template/types.js';
import type { LocalService, RunningService, ServiceContext } from '../../types.js';
import { sqsOperations } from './operations.js';
import { QueueRegistry, templateQueues } from './registry.js';
import { sqsRequestListener } from './server.js';
import type { StoredMessage } from './types.js';

export type { StoredMessage } from './types.js';

/** The running SQS emulator. */
export interface SqsService extends RunningService {
  /** The local URL of a queue (what GetQueueUrl answers), by queue name. */
  queueUrl(name: string): string;
  /** The messages a queue holds now (visible or not), oldest first; for tests and the web app. */
  messages(name: string): readonly StoredMessage[];
}

/**
 * SQS for the local cloud: a standard-queue subset of the SQS JSON protocol (what @aws-sdk/client-sqs
 * v3 speaks) on its own port, the template's queues created as declared, messages kept in
 * `.kumo/data/sqs/queues.json` across restarts; a RedrivePolicy moves a message received more than
 * maxReceiveCount times to its dead-letter queue. Encryption settings are reported, not applied; FIFO
 * semantics are not emulated.
 */
export function createSqsService(): LocalService {
  return {
    name: 'sqs',
    needed: (model: TemplateModel) => [...model.resources.values()].some((r) => r.type === 'AWS::SQS::Queue'),
    start: startSqs,
  };
}

/** The SQS service, for the orchestrator. */
export const sqsService: LocalService = createSqsService();

async function startSqs(ctx: ServiceContext): Promise<SqsService> {
  const registry = await QueueRegistry.open(
    ctx.dataDir('sqs'),
    ctx.fresh,
    ctx.model.region,
    ctx.model.accountId,
  );
  registry.onRedrive = (count, from, to, max) =>
    ctx.log.event(
      'sqs',
      `${count} message${count === 1 ? '' : 's'} of ${from} moved to ${to} (received ${max} times)`,
      'error',
    );
  for (const queue of templateQueues(ctx.model, ctx.log)) registry.ensure(queue);
  const stopping = new AbortController();
  // Every long poll waits on this one signal (and removes its listener when it ends): more than ten
  // at once (event source mappings polling with their concurrency) is normal, not a leak.
  setMaxListeners(0, stopping.signal);
  const server = createServer();
  const url = await listen(server, ctx.host, ctx.port('sqs'), 'sqs', {
    guard: ctx.guard,
    errors: 'aws',
  });
  server.on('request', sqsRequestListener(sqsOperations(registry, url), stopping.signal, ctx.log));
  return {
    name: 'sqs',
    endpointKey: 'sqs',
    url,
    queueUrl: (name) => `${url}/${registry.accountId}/${name}`,
    messages: (name) => registry.get(name)?.messages ?? [],
    async stop() {
      stopping.abort();
      await close(server);
      await registry.flush();
    },
  };
}
