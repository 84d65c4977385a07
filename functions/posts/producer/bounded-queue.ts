/**
 * A bounded FIFO queue between the stream reader and the sender: the reader waits when the queue is
 * full (so a slow Kinesis slows the reading, it does not grow memory without end), the sender takes
 * batches, and `close()` lets the sender drain what is left.
 */
export class BoundedQueue<T> {
  private readonly items: T[] = [];
  private readonly spaceWaiters: (() => void)[] = [];
  private readonly itemWaiters: (() => void)[] = [];
  private closed = false;

  public constructor(public readonly capacity: number) {
    if (!Number.isInteger(capacity) || capacity < 1)
      throw new RangeError('capacity must be a positive integer');
  }

  public get size(): number {
    return this.items.length;
  }

  public get isClosed(): boolean {
    return this.closed;
  }

  /** Add an item, waiting while the queue is full. Throws once the queue is closed. */
  public async push(item: T): Promise<void> {
    while (this.items.length >= this.capacity && !this.closed) {
      await new Promise<void>((resolve) => this.spaceWaiters.push(resolve));
    }
    if (this.closed) throw new Error('queue is closed');
    this.items.push(item);
    this.itemWaiters.splice(0).forEach((wake) => {
      wake();
    });
  }

  /**
   * Up to `max` items: waits for the first one, then up to `lingerMs` for more (to fill a PutRecords
   * batch). Resolves with [] only once the queue is closed and empty.
   */
  public async take(max: number, lingerMs: number): Promise<T[]> {
    while (this.items.length === 0 && !this.closed) {
      await new Promise<void>((resolve) => this.itemWaiters.push(resolve));
    }
    if (this.items.length < max && !this.closed && lingerMs > 0) {
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, lingerMs);
        const check = () => {
          if (this.items.length >= max || this.closed) {
            clearTimeout(timer);
            resolve();
          } else this.itemWaiters.push(check);
        };
        this.itemWaiters.push(check);
      });
    }
    const batch = this.items.splice(0, max);
    this.spaceWaiters.splice(0).forEach((wake) => {
      wake();
    });
    return batch;
  }

  /** No more pushes; waiting takers get what is left, then []. */
  public close(): void {
    this.closed = true;
    this.itemWaiters.splice(0).forEach((wake) => {
      wake();
    });
    this.spaceWaiters.splice(0).forEach((wake) => {
      wake();
    });
  }
}
