/** The Kinesis JSON API the SDK v3 client speaks (`X-Amz-Target: Kinesis_20131202.<Operation>`). */
export const KINESIS_API = 'Kinesis_20131202';

/** The JSON protocol's content type; CBOR clients (the Java SDK) pass through to kinesalite untouched. */
export const AMZ_JSON = 'application/x-amz-json-1.1';

/** Operations kinesalite 3.3.3 implements (its `validOperations`); anything else is answered here. */
export const KINESALITE_OPERATIONS: ReadonlySet<string> = new Set([
  'AddTagsToStream',
  'CreateStream',
  'DeleteStream',
  'DescribeStream',
  'DescribeStreamSummary',
  'GetRecords',
  'GetShardIterator',
  'ListShards',
  'ListStreams',
  'ListTagsForStream',
  'MergeShards',
  'PutRecord',
  'PutRecords',
  'RemoveTagsFromStream',
  'SplitShard',
  'IncreaseStreamRetentionPeriod',
  'DecreaseStreamRetentionPeriod',
]);

/** The metric namespace of Kinesis Data Streams. */
export const KINESIS_NAMESPACE = 'AWS/Kinesis';

/** Open shards per account in us-east-1 (kinesalite's default of 10 would stop resharding early). */
export const DEFAULT_SHARD_LIMIT = 500;

/** How long a stream stays UPDATING after SplitShard/MergeShards (AWS: seconds; kinesalite: 500 ms). */
export const DEFAULT_UPDATE_STREAM_MS = 500;

/** The largest request kinesalite reads (PutRecords: 5 MiB of records, plus JSON and base64 overhead). */
export const MAX_REQUEST_BYTES = 7 * 1024 * 1024;
