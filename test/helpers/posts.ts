/**
 * Builders for the post-ingestion tests: X posts and users, record envelopes, Kinesis events from the
 * `events/` fixtures, and in-memory ports.
 */
import type { KinesisStreamEvent } from 'aws-lambda';
import type { CheckpointState } from '../../functions/posts/domain/checkpoint.js';
import type { CheckpointStore } from '../../functions/posts/domain/ports.js';
import type { PostEnvelope, XPost, XUser } from '../../functions/posts/domain/post.js';
import { loadEvent } from './factories.js';

export function xUser(overrides: Partial<XUser> = {}): XUser {
  return { id: '1456789012345678901', username: 'AnaCloud', name: 'Ana Souza', ...overrides };
}

export function xPost(overrides: Partial<XPost> = {}): XPost {
  return {
    id: '1861234567890123456',
    text: 'Shipping a new #Serverless pipeline with #AWS Lambda today!',
    author_id: '1456789012345678901',
    created_at: '2026-11-27T17:01:02.000Z',
    lang: 'en',
    entities: {
      hashtags: [
        { start: 15, end: 26, tag: 'Serverless' },
        { start: 41, end: 45, tag: 'AWS' },
      ],
    },
    ...overrides,
  };
}

export function envelope(overrides: Partial<PostEnvelope> = {}): PostEnvelope {
  return {
    schemaVersion: 1,
    source: 'x-filtered-stream',
    receivedAt: '2026-11-27T17:01:02.500Z',
    post: xPost(),
    users: [xUser()],
    ...overrides,
  };
}

/** base64 JSON, as a Kinesis record carries it. */
export function kinesisData(value: unknown): string {
  return Buffer.from(JSON.stringify(value), 'utf8').toString('base64');
}

export type KinesisFixture = 'posts-consumer-kinesis-batch' | 'posts-consumer-kinesis-poison';

/** A Kinesis event from a fixture. */
export function kinesisEvent(name: KinesisFixture): KinesisStreamEvent {
  return loadEvent<KinesisStreamEvent>(name);
}

/** A Kinesis event whose records carry `envelopes` (or raw data strings), built from the batch fixture. */
export function kinesisEventOf(payloads: readonly (PostEnvelope | string)[]): KinesisStreamEvent {
  const template = kinesisEvent('posts-consumer-kinesis-batch').Records[0];
  if (template === undefined) throw new Error('posts-consumer-kinesis-batch has no record');
  return {
    Records: payloads.map((payload, index) => {
      const sequenceNumber = `4965${String(index + 1).padStart(52, '0')}`;
      const data = typeof payload === 'string' ? payload : kinesisData(payload);
      const partitionKey = typeof payload === 'string' ? `raw-${index}` : payload.post.id;
      return {
        ...template,
        eventID: `shardId-000000000000:${sequenceNumber}`,
        kinesis: { ...template.kinesis, data, partitionKey, sequenceNumber },
      };
    }),
  };
}

/** A {@link CheckpointStore} in memory with the same version rule as the DynamoDB one. */
export class MemoryCheckpointStore implements CheckpointStore {
  public saves: CheckpointState[] = [];

  public constructor(public state: CheckpointState = { version: 0 }) {}

  public async load(): Promise<CheckpointState> {
    return this.state;
  }

  public async save(state: CheckpointState): Promise<boolean> {
    if (state.version !== this.state.version) return false;
    this.state = { ...state, version: state.version + 1 };
    this.saves.push(this.state);
    return true;
  }
}
