import { rm } from 'node:fs/promises';
import { createServer } from 'node:http';
import { FailureDestinations } from '../../events/kinesis/failure-destination.js';
import { close, listen } from '../../listen.js';
import { AsyncInvoker } from '../../runner/async-invoke.js';
import type { TemplateModel } from '../../template/types.js';
import type { LocalService, RunningService, ServiceContext } from '../../types.js';
import { Deliverer } from './deliver.js';
import { DeliveryLog } from './delivery-log.js';
import { snsOperations } from './operations.js';
import { snsRequestListener } from './server.js';
import { SqsDelivery } from './sqs-delivery.js';
import { registryFromModel } from './template-topics.js';
import type { DeliveryRecord } from './types.js';

export { DELIVERIES_PATH } from './server.js';
export type { DeliveryRecord } from './types.js';

/** Options of the SNS service (tests shorten the retry delays). */
export interface SnsOptions {
  /** Delays (local clock) before the second and third attempt of a failed invocation; 1 s and 2 s by default. */
  retryDelaysMs?: readonly number[];
}

/** The running SNS emulator, with a read of what it delivered to e-mail, sms and http endpoints. */
export interface SnsService extends RunningService {
  /** The most recent deliveries to protocols the local cloud does not send, oldest first. */
  deliveries(): DeliveryRecord[];
  /** The JSON-lines file all those deliveries are appended to. */
  deliveryLogFile: string;
}

/**
 * SNS for the local cloud: a subset of the SNS API (query and JSON protocols) on its own port, the
 * template's topics and subscriptions, functions invoked for their SNS event sources (filter policies
 * honoured, asynchronous with retries), queues of the local SQS sent to, other protocols written to a
 * delivery log.
 */
export function createSnsService(options: SnsOptions = {}): LocalService {
  return {
    name: 'sns',
    needed: (model: TemplateModel) =>
      model.topics.length > 0 || model.functions.some((f) => f.events.some((e) => e.type === 'SNS')),
    start: (ctx) => startSns(ctx, options.retryDelaysMs),
  };
}

/** The SNS service with default options, for the orchestrator. */
export const snsService: LocalService = createSnsService();

async function startSns(ctx: ServiceContext, retryDelaysMs?: readonly number[]): Promise<SnsService> {
  const dataDir = ctx.dataDir('sns');
  if (ctx.fresh) await rm(dataDir, { recursive: true, force: true });
  const deliveryLog = await DeliveryLog.open(dataDir, ctx.fresh);
  const registry = registryFromModel(ctx.model, ctx.log);

  // The deliverer needs the URL (for UnsubscribeURLs); the handler is attached before any request can arrive.
  const server = createServer();
  const url = await listen(server, ctx.host, ctx.port('sns'), 'sns', {
    guard: ctx.guard,
    errors: 'aws',
  });
  const sqs = new SqsDelivery(ctx.endpoints, ctx.model.region);
  const destinations = new FailureDestinations(ctx.endpoints, ctx.model.region);
  const asyncInvoker = new AsyncInvoker({
    model: ctx.model,
    invoker: ctx.invoker,
    log: ctx.log,
    ...(ctx.clock ? { clock: ctx.clock } : {}),
    ...(retryDelaysMs ? { retryDelaysMs } : {}),
    destinations,
  });
  const deliverer = new Deliverer({
    asyncInvoker,
    log: ctx.log,
    functions: ctx.model.functions,
    deliveryLog,
    snsUrl: url,
    sqs,
  });
  server.on(
    'request',
    snsRequestListener(snsOperations(registry, deliverer), () => deliveryLog.recent(), ctx.log),
  );

  return {
    name: 'sns',
    endpointKey: 'sns',
    url,
    deliveryLogFile: deliveryLog.file,
    deliveries: () => deliveryLog.recent(),
    async stop() {
      await close(server);
      await deliverer.stop();
      sqs.close();
      destinations.close();
    },
  };
}
