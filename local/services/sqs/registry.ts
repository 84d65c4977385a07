import path from 'node:path';
import { JsonStore } from '../../kit/index.js';
import type { Resolved, TemplateModel } from '../../template/types.js';
import type { LocalLogger } from '../../types.js';
import { QueueDoesNotExistError } from './errors.js';
import { LocalQueue, type Redrive } from './queue.js';
import type { QueueSettings, SavedQueue } from './types.js';

/** The queues of the local SQS by name, saved to `queues.json` (debounced) so messages survive restarts. */
export class QueueRegistry {
  readonly #queues = new Map<string, LocalQueue>();
  readonly #store: JsonStore;
  readonly #region: string;
  readonly #accountId: string;

  /** Told of every redrive move (the console line). */
  onRedrive: ((count: number, from: string, to: string, maxReceiveCount: number) => void) | undefined;

  private constructor(file: string, region: string, accountId: string) {
    this.#store = new JsonStore(file, () => this.#snapshot());
    this.#region = region;
    this.#accountId = accountId;
  }

  /** Opens the registry in `dir` with the queues saved by an earlier run (none when `fresh`). */
  static async open(dir: string, fresh: boolean, region: string, accountId: string): Promise<QueueRegistry> {
    const file = path.join(dir, 'queues.json');
    const saved = (await JsonStore.load(file, fresh)) as SavedQueue[] | undefined;
    const registry = new QueueRegistry(file, region, accountId);
    for (const queue of Array.isArray(saved) ? saved : []) {
      if (queue?.settings?.name) {
        const restored = new LocalQueue(queue.settings, queue.messages ?? []);
        restored.setRedrive(registry.#redriveOf(queue.settings));
        registry.#queues.set(queue.settings.name, restored);
      }
    }
    return registry;
  }

  get accountId(): string {
    return this.#accountId;
  }

  /** Creates the queue unless it exists; an existing queue keeps its messages and takes the new settings. */
  ensure(settings: Omit<QueueSettings, 'arn' | 'createdAt'>): LocalQueue {
    const existing = this.#queues.get(settings.name);
    const full: QueueSettings = {
      ...settings,
      arn: `arn:aws:sqs:${this.#region}:${this.#accountId}:${settings.name}`,
      createdAt: existing?.settings.createdAt ?? Date.now(),
    };
    const queue = new LocalQueue(full, existing ? [...existing.messages] : []);
    queue.setRedrive(this.#redriveOf(full));
    this.#queues.set(settings.name, queue);
    this.changed();
    return queue;
  }

  /** A queue's RedrivePolicy as the queue applies it; undefined without one (or an unreadable one). */
  #redriveOf(settings: QueueSettings): Redrive | undefined {
    if (settings.redrivePolicy === undefined) return undefined;
    let policy: { deadLetterTargetArn?: unknown; maxReceiveCount?: unknown };
    try {
      policy = JSON.parse(settings.redrivePolicy) as typeof policy;
    } catch {
      return undefined;
    }
    const arn = policy.deadLetterTargetArn;
    const maxReceiveCount = Number(policy.maxReceiveCount);
    if (typeof arn !== 'string' || !Number.isInteger(maxReceiveCount) || maxReceiveCount < 1)
      return undefined;
    return {
      maxReceiveCount,
      target: () => this.byArn(arn),
      moved: (count, from, to) => {
        this.changed();
        this.onRedrive?.(count, from.settings.name, to.settings.name, maxReceiveCount);
      },
    };
  }

  get(name: string): LocalQueue | undefined {
    return this.#queues.get(name);
  }

  /** The queue a QueueUrl names: its last path segment (AWS-style and local URLs alike). */
  byUrl(queueUrl: unknown): LocalQueue {
    if (typeof queueUrl !== 'string') throw new QueueDoesNotExistError();
    const name = queueUrl.replace(/\/+$/, '').split('/').at(-1) ?? '';
    const queue = this.#queues.get(name);
    if (!queue) throw new QueueDoesNotExistError();
    return queue;
  }

  /** Deletes the queue a QueueUrl names, with its messages; QueueDoesNotExist when there is none. */
  delete(queueUrl: unknown): void {
    const queue = this.byUrl(queueUrl);
    this.#queues.delete(queue.settings.name);
    queue.wakeAll();
    this.changed();
  }

  /** The queue with this ARN (an OnFailure destination). */
  byArn(arn: string): LocalQueue | undefined {
    return [...this.#queues.values()].find((q) => q.settings.arn === arn);
  }

  names(): string[] {
    return [...this.#queues.keys()];
  }

  /** Schedules a save; call after every change. */
  changed(): void {
    this.#store.changed();
  }

  /** Saves now and waits for it. */
  flush(): Promise<void> {
    return this.#store.save();
  }

  #snapshot(): SavedQueue[] {
    return [...this.#queues.values()].map((q) => ({ settings: q.settings, messages: [...q.messages] }));
  }
}

/** The settings of the template's `AWS::SQS::Queue` resources (names as the template reader gives them). */
export function templateQueues(
  model: TemplateModel,
  log: LocalLogger,
): Omit<QueueSettings, 'arn' | 'createdAt'>[] {
  return [...model.resources.values()]
    .filter((r) => r.type === 'AWS::SQS::Queue')
    .map((resource) => {
      const p = resource.properties;
      const fifo = p.FifoQueue === true || p.FifoQueue === 'true';
      const base = `${model.stackName}-${resource.logicalId}${fifo ? '.fifo' : ''}`;
      if (fifo)
        log.warn(`${resource.logicalId}: FIFO ordering and deduplication are not emulated; a standard queue`);
      return {
        name: typeof p.QueueName === 'string' ? p.QueueName : base,
        visibilityTimeoutSeconds: num(p.VisibilityTimeout, 30),
        messageRetentionSeconds: num(p.MessageRetentionPeriod, 345_600),
        delaySeconds: num(p.DelaySeconds, 0),
        receiveWaitSeconds: num(p.ReceiveMessageWaitTimeSeconds, 0),
        maximumMessageSize: num(p.MaximumMessageSize, 262_144),
        fifo,
        kmsMasterKeyId: typeof p.KmsMasterKeyId === 'string' ? p.KmsMasterKeyId : undefined,
        // New queues get SSE-SQS unless they name a KMS key or turn it off.
        sqsManagedSse:
          p.KmsMasterKeyId === undefined &&
          p.SqsManagedSseEnabled !== false &&
          p.SqsManagedSseEnabled !== 'false',
        redrivePolicy:
          p.RedrivePolicy === undefined
            ? undefined
            : typeof p.RedrivePolicy === 'string'
              ? p.RedrivePolicy
              : JSON.stringify(p.RedrivePolicy),
      };
    });
}

function num(value: Resolved | undefined, fallback: number): number {
  const n = Number(value);
  return value === undefined || value === null || !Number.isFinite(n) ? fallback : n;
}
