/**
 * The posts stream over Kinesis: PutRecords as a {@link RecordSink}, envelopes as a
 * {@link PostPublisher}, and what the stream page shows of the stream itself.
 */
import { DescribeStreamSummaryCommand, type KinesisClient, PutRecordsCommand } from '@aws-sdk/client-kinesis';
import type { PostPublisher } from '../domain/ports.js';
import type { PostEnvelope } from '../domain/post.js';
import {
  type OutgoingRecord,
  type PutAllOptions,
  putAllRecords,
  type RecordOutcome,
  type RecordSink,
} from '../domain/put-records.js';
import { isRetryableAwsError } from './aws-errors.js';

/** One PutRecords call. */
export class KinesisRecordSink implements RecordSink {
  /**
   * @param onRefused - told how many records of each answer the stream refused for lack of capacity
   *   (ProvisionedThroughputExceeded), before any retry: the producers' fast scale-out signal
   */
  public constructor(
    private readonly client: KinesisClient,
    private readonly streamName: string,
    private readonly onRefused?: (count: number) => void,
  ) {}

  public async putRecords(records: readonly OutgoingRecord[]): Promise<RecordOutcome[]> {
    const response = await this.client.send(
      new PutRecordsCommand({
        StreamName: this.streamName,
        Records: records.map((record) => ({ PartitionKey: record.partitionKey, Data: record.data })),
      }),
    );
    if (this.onRefused && (response.FailedRecordCount ?? 0) > 0) {
      const refused = (response.Records ?? []).filter(
        (entry) => entry.ErrorCode === 'ProvisionedThroughputExceededException',
      ).length;
      if (refused > 0) this.onRefused(refused);
    }
    return (response.Records ?? []).map((entry) =>
      entry.ErrorCode
        ? {
            ok: false,
            errorCode: entry.ErrorCode,
            ...(entry.ErrorMessage ? { errorMessage: entry.ErrorMessage } : {}),
          }
        : {
            ok: true,
            ...(entry.ShardId ? { shardId: entry.ShardId } : {}),
            ...(entry.SequenceNumber ? { sequenceNumber: entry.SequenceNumber } : {}),
          },
    );
  }
}

const encoder = new TextEncoder();

/** The record of one envelope: JSON, partition key = post id. */
export function recordFor(envelope: PostEnvelope): OutgoingRecord {
  return { partitionKey: envelope.post.id, data: encoder.encode(JSON.stringify(envelope)) };
}

/** Sends envelopes with {@link putAllRecords}. */
export class KinesisPostPublisher implements PostPublisher {
  public constructor(
    private readonly sink: RecordSink,
    private readonly options: PutAllOptions = {},
  ) {}

  public async publish(envelopes: readonly PostEnvelope[]) {
    const report = await putAllRecords(this.sink, envelopes.map(recordFor), {
      isRetryable: isRetryableAwsError,
      ...this.options,
    });
    return {
      sent: report.sent,
      failed: report.failed.length,
      ...(report.failed[0] ? { firstError: report.failed[0].reason } : {}),
    };
  }
}

/** What the stream page shows about the stream. */
export interface StreamInfo {
  streamName: string;
  status: string;
  openShardCount: number;
  retentionPeriodHours?: number;
  encryption?: string;
}

export async function describeStream(client: KinesisClient, streamName: string): Promise<StreamInfo> {
  const { StreamDescriptionSummary: summary } = await client.send(
    new DescribeStreamSummaryCommand({ StreamName: streamName }),
  );
  return {
    streamName,
    status: summary?.StreamStatus ?? 'UNKNOWN',
    openShardCount: summary?.OpenShardCount ?? 0,
    ...(summary?.RetentionPeriodHours === undefined
      ? {}
      : { retentionPeriodHours: summary.RetentionPeriodHours }),
    ...(summary?.EncryptionType === undefined ? {} : { encryption: summary.EncryptionType }),
  };
}
