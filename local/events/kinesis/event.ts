import type { MappingSettings } from './settings.js';
import type { StreamRecord } from './types.js';

/** The Lambda event for a batch of Kinesis records, exactly as Lambda delivers it. */
export function kinesisLambdaEvent(records: readonly StreamRecord[], settings: MappingSettings) {
  return {
    Records: records.map((r) => ({
      kinesis: {
        kinesisSchemaVersion: '1.0',
        partitionKey: r.partitionKey,
        sequenceNumber: r.sequenceNumber,
        data: r.data,
        approximateArrivalTimestamp: r.arrivalMs / 1000,
      },
      eventSource: 'aws:kinesis',
      eventVersion: '1.0',
      eventID: `${r.shardId}:${r.sequenceNumber}`,
      eventName: 'aws:kinesis:record',
      invokeIdentityArn: settings.roleArn,
      awsRegion: settings.region,
      eventSourceARN: settings.streamArn,
    })),
  };
}

/** A rough size of a record in the event, to keep an invocation under Lambda's 6 MB payload limit. */
export function eventBytes(record: StreamRecord): number {
  return record.data.length + record.partitionKey.length + record.sequenceNumber.length * 2 + 420;
}

/** Lambda's synchronous invocation payload limit, less room for the envelope. */
export const MAX_EVENT_BYTES = 6 * 1024 * 1024 - 64 * 1024;
