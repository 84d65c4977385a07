/** The DynamoDB JSON API the SDK v3 client speaks (`X-Amz-Target: DynamoDB_20120810.<Operation>`). */
export const DYNAMODB_API = 'DynamoDB_20120810';

/** DynamoDB Streams shares the JSON protocol under its own prefix; dynalite serves none of it. */
export const STREAMS_API = 'DynamoDBStreams_20120810';

/** Operations dynalite 4.0.0 implements (its `validOperations`); everything else is answered here. */
export const DYNALITE_OPERATIONS: ReadonlySet<string> = new Set([
  'BatchGetItem',
  'BatchWriteItem',
  'CreateTable',
  'DeleteItem',
  'DeleteTable',
  'DescribeTable',
  'GetItem',
  'ListTables',
  'PutItem',
  'Query',
  'Scan',
  'TagResource',
  'UntagResource',
  'ListTagsOfResource',
  'UpdateItem',
  'UpdateTable',
]);

/** Seconds between TTL sweeps by default (DynamoDB itself deletes within a few days; locally sooner). */
export const DEFAULT_TTL_SWEEP_MS = 30_000;

/** DynamoDB ignores TTL values more than five years in the past (they are likely not epoch seconds). */
export const TTL_MAX_AGE_SECONDS = 5 * 365 * 24 * 60 * 60;
