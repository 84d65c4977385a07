import type { EsbuildProperties, FunctionEvent, FunctionModel, ResourceModel } from './types.js';
import { record, str } from './values.js';

/** An `AWS::Serverless::Function`: its code, build, runtime settings and event sources. */
export function functionModel(
  resource: ResourceModel,
  name: string,
  arn: string,
  warnings: string[],
): FunctionModel {
  const p = resource.properties;
  const environment: Record<string, string> = {};
  for (const [key, value] of Object.entries(record(record(p.Environment).Variables))) {
    environment[key] = Array.isArray(value) ? value.join(',') : str(value);
  }
  const metadata = resource.metadata;
  let build: EsbuildProperties | undefined;
  if (metadata.BuildMethod === 'esbuild') {
    const bp = record(metadata.BuildProperties);
    const known = ['EntryPoints', 'Minify', 'Sourcemap', 'Target', 'Format', 'External'];
    build = {
      entryPoints: Array.isArray(bp.EntryPoints) ? bp.EntryPoints.map((e) => str(e)) : [],
      minify: bp.Minify === true || bp.Minify === 'true',
      sourcemap: bp.Sourcemap === true || bp.Sourcemap === 'true',
      target: str(bp.Target, 'es2020'),
      format: bp.Format === 'esm' ? 'esm' : 'cjs',
      external: Array.isArray(bp.External) ? bp.External.map((e) => str(e)) : [],
      extra: Object.fromEntries(Object.entries(bp).filter(([k]) => !known.includes(k))),
    };
  }
  const events: FunctionEvent[] = [];
  for (const [eventName, value] of Object.entries(record(p.Events))) {
    const event = record(value);
    const props = record(event.Properties);
    const type = str(event.Type);
    switch (type) {
      case 'Schedule':
      case 'ScheduleV2':
        events.push({
          type: 'Schedule',
          variant: type,
          name: eventName,
          expression: str(type === 'Schedule' ? props.Schedule : props.ScheduleExpression),
          enabled: props.Enabled !== false && props.State !== 'DISABLED',
          input: props.Input === undefined ? undefined : str(props.Input),
          description: props.Description === undefined ? undefined : str(props.Description),
        });
        break;
      case 'Api': {
        const auth = record(props.Auth);
        events.push({
          type: 'Api',
          name: eventName,
          restApiId: props.RestApiId === undefined ? undefined : str(props.RestApiId),
          path: str(props.Path),
          method: str(props.Method).toUpperCase(),
          authorizer: auth.Authorizer === undefined ? undefined : str(auth.Authorizer),
        });
        break;
      }
      case 'SNS':
        events.push({
          type: 'SNS',
          name: eventName,
          topicArn: str(props.Topic),
          filterPolicy: props.FilterPolicy,
        });
        break;
      case 'Kinesis':
        events.push({ type: 'Kinesis', name: eventName, streamArn: str(props.Stream), properties: props });
        break;
      case 'SQS':
        events.push({ type: 'SQS', name: eventName, queueArn: str(props.Queue), properties: props });
        break;
      case 'S3': {
        const rules = record(record(props.Filter).S3Key).Rules;
        const filter: { prefix?: string; suffix?: string } = {};
        if (Array.isArray(rules)) {
          for (const rule of rules.map(record)) {
            if (str(rule.Name).toLowerCase() === 'prefix') filter.prefix = str(rule.Value);
            if (str(rule.Name).toLowerCase() === 'suffix') filter.suffix = str(rule.Value);
          }
        }
        const ev = props.Events;
        events.push({
          type: 'S3',
          name: eventName,
          bucket: str(props.Bucket),
          events: Array.isArray(ev) ? ev.map((e) => str(e)) : [str(ev)],
          filter,
        });
        break;
      }
      default:
        events.push({ type: 'Unsupported', name: eventName, eventType: type });
        warnings.push(
          `${resource.logicalId}: event ${eventName} of type ${type} is not delivered by the local cloud`,
        );
    }
  }
  return {
    logicalId: resource.logicalId,
    name,
    arn,
    handler: str(p.Handler),
    codeUri: str(p.CodeUri, '.'),
    runtime: str(p.Runtime),
    architectures: Array.isArray(p.Architectures) ? p.Architectures.map((a) => str(a)) : ['x86_64'],
    timeoutSeconds: Number(p.Timeout ?? 3),
    memoryMb: Number(p.MemorySize ?? 128),
    ...reservedConcurrency(p.ReservedConcurrentExecutions),
    tracing: p.Tracing === undefined ? undefined : str(p.Tracing),
    environment,
    build,
    events,
  };
}

/**
 * ReservedConcurrentExecutions as a limit on environments. 0 (a function switched off) keeps one: the
 * local runner queues rather than throttles, and a limit of 0 would wait forever.
 */
function reservedConcurrency(value: unknown): { reservedConcurrency?: number } {
  const n = Number(value);
  if (value === undefined || value === null || !Number.isInteger(n) || n < 0) return {};
  return { reservedConcurrency: Math.max(1, n) };
}
