import { createServer } from 'node:http';
import { type LocalClock, wallClock } from '../../clock.js';
import { close, listen } from '../../listen.js';
import { MetricStore } from '../../metrics/index.js';
import type { TemplateModel } from '../../template/types.js';
import type { LocalService, RunningService, ServiceContext } from '../../types.js';
import { AlarmActions } from './alarm-actions.js';
import { AlarmEvaluator } from './alarm-evaluator.js';
import { AlarmStore } from './alarm-store.js';
import { cloudWatchOperations } from './operations.js';
import { cloudWatchRequestListener } from './server.js';
import { createTemplateAlarms, type TemplateAlarms } from './template-alarms.js';

export { alarmNotification, regionName } from './alarm-notification.js';
export { MetricMathError, parseExpression } from './metric-math.js';

/** The running CloudWatch emulator. */
export interface CloudWatchService extends RunningService {
  /** What start() did with the template's alarms. */
  templateAlarms: TemplateAlarms;
  /** Where its metrics are (the local cloud's store, or one of its own). */
  metrics: MetricStore;
  /** Judges every alarm now (tests; the evaluator otherwise runs on each completed period). */
  evaluateAlarms(): void;
}

/**
 * CloudWatch for the local cloud (port slot `cloudwatch`, `AWS_ENDPOINT_URL_CLOUDWATCH`): metrics and
 * metric alarms on the real wire protocols (JSON 1.0, RPC v2 CBOR, query), the metrics being the local
 * cloud's MetricStore (what the local Kinesis, the Kinesis event sources and the function runner
 * record, and PutMetricData); the template's alarms created at start and evaluated on the metric clock,
 * their state changes published to their SNS actions through the local SNS. Alarms are kept in
 * `.kumo/data/cloudwatch/alarms.json`.
 */
export function createCloudWatchService(): LocalService {
  return { name: 'cloudwatch', needed: cloudWatchNeeded, start: startCloudWatch };
}

/** The CloudWatch service for the orchestrator. */
export const cloudWatchService: LocalService = createCloudWatchService();

/**
 * Needed when the template has an alarm, a stream whose metrics someone may read, or a function whose
 * policies name CloudWatch (`cloudwatch:` actions, CloudWatch policy templates).
 */
export function cloudWatchNeeded(model: TemplateModel): boolean {
  for (const resource of model.resources.values()) {
    if (resource.type === 'AWS::CloudWatch::Alarm' || resource.type === 'AWS::Kinesis::Stream') return true;
    if (
      resource.type === 'AWS::Serverless::Function' &&
      /cloudwatch:|CloudWatch[A-Za-z]*Policy/.test(JSON.stringify(resource.properties.Policies ?? []))
    ) {
      return true;
    }
  }
  return false;
}

async function startCloudWatch(ctx: ServiceContext): Promise<CloudWatchService> {
  const clock: LocalClock = ctx.clock ?? wallClock;
  const metrics = ctx.metrics ?? new MetricStore();
  const alarms = await AlarmStore.open(
    ctx.dataDir('cloudwatch'),
    ctx.fresh,
    ctx.model.region,
    ctx.model.accountId,
  );
  const templateAlarms = createTemplateAlarms(ctx.model, alarms, ctx.log);
  const actions = new AlarmActions({
    snsUrl: () => ctx.endpoints.sns,
    region: ctx.model.region,
    accountId: ctx.model.accountId,
    log: ctx.log,
    alarms,
  });
  const evaluator = new AlarmEvaluator({ metrics, alarms, actions, clock, log: ctx.log });
  const server = createServer(
    cloudWatchRequestListener(cloudWatchOperations({ metrics, alarms, evaluator, clock }), ctx.log),
  );
  const url = await listen(server, ctx.host, ctx.port('cloudwatch'), 'cloudwatch', {
    guard: ctx.guard,
    errors: 'aws',
  });
  evaluator.start();
  return {
    name: 'cloudwatch',
    endpointKey: 'cloudwatch',
    url,
    templateAlarms,
    metrics,
    evaluateAlarms: () => evaluator.evaluateAll(),
    async stop() {
      evaluator.stop();
      await close(server);
      await actions.stop();
      await alarms.flush();
    },
  };
}
