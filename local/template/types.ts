/** The typed model of template.yaml that every part of the local cloud uses. */

/** A CloudFormation value after intrinsic functions have been resolved to local values. */
export type Resolved = string | number | boolean | null | Resolved[] | { [key: string]: Resolved };

export interface ScheduleEvent {
  type: 'Schedule';
  /** `Schedule` is an EventBridge rule; `ScheduleV2` an EventBridge Scheduler schedule (other payload). */
  variant: 'Schedule' | 'ScheduleV2';
  name: string;
  /** `rate(5 minutes)` or `cron(0/5 * * * ? *)` */
  expression: string;
  enabled: boolean;
  /** The `Input` property: a JSON string delivered instead of the scheduled-event payload. */
  input?: string;
  description?: string;
}

export interface ApiEvent {
  type: 'Api';
  name: string;
  /** Local id of the AWS::Serverless::Api (`ApiModel.id`), or undefined for SAM's implicit API. */
  restApiId?: string;
  path: string;
  method: string;
  /** Authorizer name from the event's `Auth.Authorizer` (or the API's default), `NONE` when public. */
  authorizer?: string;
}

export interface SnsEvent {
  type: 'SNS';
  name: string;
  topicArn: string;
  filterPolicy?: Resolved;
}

export interface KinesisEvent {
  type: 'Kinesis';
  name: string;
  streamArn: string;
  properties: Record<string, Resolved>;
}

/** An SQS queue as an event source (not a Kinesis mapping's OnFailure destination of `Type: SQS`). */
export interface SqsEvent {
  type: 'SQS';
  name: string;
  queueArn: string;
  properties: Record<string, Resolved>;
}

export interface S3Event {
  type: 'S3';
  name: string;
  bucket: string;
  events: string[];
  filter: { prefix?: string; suffix?: string };
}

/** An event type the local cloud cannot deliver: named in a startup warning. */
export interface UnsupportedEvent {
  type: 'Unsupported';
  name: string;
  eventType: string;
}

export type FunctionEvent =
  | ScheduleEvent
  | ApiEvent
  | SnsEvent
  | KinesisEvent
  | SqsEvent
  | S3Event
  | UnsupportedEvent;

export interface FunctionModel {
  logicalId: string;
  /** The local physical name, as `AWS_LAMBDA_FUNCTION_NAME` and ARNs see it. */
  name: string;
  arn: string;
  /**
   * The region it runs in when not the template's: a probe region's copy of probe-region.yaml's
   * ProbeFunction (local/template/probe-regions.ts) sees this `AWS_REGION`.
   */
  region?: string;
  /** `file.export`, relative to the bundle. */
  handler: string;
  codeUri: string;
  runtime: string;
  architectures: string[];
  timeoutSeconds: number;
  memoryMb: number;
  /** ReservedConcurrentExecutions: the most environments the local runner keeps at once for it. */
  reservedConcurrency?: number;
  tracing?: string;
  environment: Record<string, string>;
  /** esbuild build properties from `Metadata.BuildProperties` (BuildMethod esbuild). */
  build?: EsbuildProperties;
  events: FunctionEvent[];
}

export interface EsbuildProperties {
  entryPoints: string[];
  minify: boolean;
  sourcemap: boolean;
  target: string;
  format: 'cjs' | 'esm';
  external: string[];
  /** Anything else given, kept for completeness. */
  extra: Record<string, Resolved>;
}

export interface KeyElement {
  attributeName: string;
  keyType: 'HASH' | 'RANGE';
}

export interface IndexModel {
  indexName: string;
  keySchema: KeyElement[];
  projection: { projectionType: string; nonKeyAttributes?: string[] };
}

export interface TableModel {
  logicalId: string;
  name: string;
  arn: string;
  attributeDefinitions: { attributeName: string; attributeType: string }[];
  keySchema: KeyElement[];
  globalSecondaryIndexes: IndexModel[];
  localSecondaryIndexes: IndexModel[];
  ttlAttribute?: string;
  streamViewType?: string;
}

export interface SubscriptionModel {
  protocol: string;
  endpoint: string;
  filterPolicy?: Resolved;
  rawMessageDelivery?: boolean;
}

export interface TopicModel {
  logicalId: string;
  name: string;
  arn: string;
  subscriptions: SubscriptionModel[];
}

export interface ApiModel {
  logicalId: string;
  /** The local REST API id (what `!Ref` of the API gives). */
  id: string;
  stageName: string;
  /** The stage's `Variables` (API Gateway passes them in every proxy event as `stageVariables`). */
  stageVariables: Record<string, string>;
  cors?: { allowOrigin: string; allowHeaders: string; allowMethods: string; maxAge?: string };
  /** Authorizers declared under `Auth.Authorizers`. */
  authorizers: Record<string, { userPoolArn?: string; identityHeader: string }>;
  defaultAuthorizer?: string;
}

export interface ResourceModel {
  logicalId: string;
  type: string;
  condition?: string;
  properties: Record<string, Resolved>;
  metadata: Record<string, Resolved>;
}

export interface TemplateModel {
  templatePath: string;
  /** Folder that holds template.yaml: CodeUri and EntryPoints are relative to it. */
  rootDir: string;
  stackName: string;
  region: string;
  accountId: string;
  parameters: Record<string, string | string[]>;
  conditions: Record<string, boolean>;
  resources: Map<string, ResourceModel>;
  functions: FunctionModel[];
  tables: TableModel[];
  topics: TopicModel[];
  apis: ApiModel[];
  outputs: Record<string, Resolved>;
  /** Unsupported resource or event types, unresolvable references: printed at startup. */
  warnings: string[];
  /** Functions that depend on something the local cloud cannot emulate: the start fails with these. */
  errors: string[];
}
