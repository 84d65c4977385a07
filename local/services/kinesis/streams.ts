import {
  CreateStreamCommand,
  DecreaseStreamRetentionPeriodCommand,
  DescribeStreamSummaryCommand,
  IncreaseStreamRetentionPeriodCommand,
  type KinesisClient,
  ResourceNotFoundException,
  type StreamDescriptionSummary,
} from '@aws-sdk/client-kinesis';
import type { Resolved, TemplateModel } from '../../template/types.js';
import type { LocalLogger } from '../../types.js';
import type { StreamSettings } from './stream-settings.js';

/** A stream the template declares, as the local cloud creates it. */
export interface StreamModel {
  logicalId: string;
  name: string;
  arn: string;
  shardCount: number;
  retentionPeriodHours: number;
  settings: StreamSettings;
}

/** What start() did with a stream: created, or kept with the data of an earlier run. */
export type StreamOutcome = 'created' | 'kept';

/** On-demand streams start with four shards on AWS; kinesalite has provisioned mode only. */
const ON_DEMAND_SHARDS = 4;
const POLL_MS = 5;
const WAIT_LIMIT_MS = 10_000;

/** The `AWS::Kinesis::Stream` resources of the template (names as the template reader gives them). */
export function templateStreams(model: TemplateModel, log?: LocalLogger): StreamModel[] {
  return [...model.resources.values()]
    .filter((r) => r.type === 'AWS::Kinesis::Stream')
    .map((resource) => {
      const p = resource.properties;
      const name = typeof p.Name === 'string' ? p.Name : `${model.stackName}-${resource.logicalId}`;
      const mode = record(p.StreamModeDetails).StreamMode === 'ON_DEMAND' ? 'ON_DEMAND' : 'PROVISIONED';
      if (mode === 'ON_DEMAND') {
        log?.warn(
          `${resource.logicalId}: on-demand capacity is emulated as ${ON_DEMAND_SHARDS} provisioned shards (kinesalite)`,
        );
      }
      const encryption = record(p.StreamEncryption);
      return {
        logicalId: resource.logicalId,
        name,
        arn: `arn:aws:kinesis:${model.region}:${model.accountId}:stream/${name}`,
        shardCount: mode === 'ON_DEMAND' ? ON_DEMAND_SHARDS : Math.max(1, Number(p.ShardCount ?? 1)),
        retentionPeriodHours: Number(p.RetentionPeriodHours ?? 24),
        settings: {
          mode,
          encryption:
            encryption.EncryptionType === 'KMS'
              ? { type: 'KMS', keyId: String(encryption.KeyId ?? 'alias/aws/kinesis') }
              : undefined,
        },
      } satisfies StreamModel;
    });
}

/**
 * Makes kinesalite hold `stream`: created with the template's shard count when absent, kept (with its
 * records and its current shards — resharding may have changed them) when it exists; the retention
 * period is set to the template's either way. Resolves once the stream is ACTIVE.
 */
export async function ensureStream(
  client: KinesisClient,
  stream: StreamModel,
  log: LocalLogger,
): Promise<StreamOutcome> {
  let summary = await describe(client, stream.name);
  let outcome: StreamOutcome = 'kept';
  if (!summary) {
    try {
      await client.send(new CreateStreamCommand({ StreamName: stream.name, ShardCount: stream.shardCount }));
    } catch (error) {
      throw new Error(`${stream.logicalId}: cannot create stream ${stream.name}: ${String(error)}`, {
        cause: error,
      });
    }
    outcome = 'created';
  }
  summary = await waitForActive(client, stream.name);
  const open = summary.OpenShardCount ?? stream.shardCount;
  if (outcome === 'kept' && open !== stream.shardCount) {
    log.info(
      `${stream.logicalId}: kept stream ${stream.name} with its ${open} open shards (template.yaml says ${stream.shardCount})`,
    );
  }
  const retention = summary.RetentionPeriodHours ?? 24;
  if (stream.retentionPeriodHours > retention) {
    await client.send(
      new IncreaseStreamRetentionPeriodCommand({
        StreamName: stream.name,
        RetentionPeriodHours: stream.retentionPeriodHours,
      }),
    );
  } else if (stream.retentionPeriodHours < retention) {
    await client.send(
      new DecreaseStreamRetentionPeriodCommand({
        StreamName: stream.name,
        RetentionPeriodHours: stream.retentionPeriodHours,
      }),
    );
  }
  return outcome;
}

async function describe(client: KinesisClient, name: string): Promise<StreamDescriptionSummary | undefined> {
  try {
    return (await client.send(new DescribeStreamSummaryCommand({ StreamName: name })))
      .StreamDescriptionSummary;
  } catch (error) {
    if (error instanceof ResourceNotFoundException) return undefined;
    throw error;
  }
}

/** Polls until ACTIVE (kinesalite starts with zero CREATING delay here, so this takes a few ms). */
async function waitForActive(client: KinesisClient, name: string): Promise<StreamDescriptionSummary> {
  const deadline = Date.now() + WAIT_LIMIT_MS;
  for (;;) {
    const summary = await describe(client, name);
    if (summary?.StreamStatus === 'ACTIVE') return summary;
    if (Date.now() > deadline)
      throw new Error(`stream ${name} did not become ACTIVE within ${WAIT_LIMIT_MS} ms`);
    await new Promise((resolve) => setTimeout(resolve, POLL_MS));
  }
}

function record(value: Resolved | undefined): Record<string, Resolved> {
  return typeof value === 'object' && value !== null && !Array.isArray(value) ? value : {};
}
