/**
 * The LevelDB write buffer of the stores under dynalite (classic-level) and kinesalite (leveldown).
 *
 * Both open LevelDB with its 4 MB default: under a write-heavy load (bench/ingest writes ~4 MB/s of
 * records into the local Kinesis and three items a post into the local DynamoDB) LevelDB flushes a
 * memtable every second or so and its background thread spent 20-60% of a core compacting the small
 * files it made. A 64 MB buffer flushes and compacts a sixteenth as often; the memory is only taken as
 * writes fill it (up to twice that while a full one is flushed), and a restart replays at most that
 * much log. Neither package takes the option from its caller, so it is given where each opens the
 * database (`_open`), unless the caller set one. Imported by name (devDependencies pinned to the
 * versions the two emulators use), so the worker bundle (local/workers/bundle.ts) requires the same
 * files by absolute path.
 */
import { Level } from 'level';
import leveldown from 'leveldown';

/** LevelDB's `write_buffer_size` for the emulators' stores. */
export const WRITE_BUFFER_BYTES = 64 * 1024 * 1024;

type OpenMethod = (
  this: unknown,
  options: Record<string, unknown> | undefined,
  ...rest: unknown[]
) => unknown;

interface Openable {
  prototype: { _open: OpenMethod };
}

const tuned = Symbol('kumo.writeBufferSize');

function withWriteBuffer(store: Openable): void {
  const original = store.prototype._open as OpenMethod & { [tuned]?: true };
  if (original[tuned]) return;
  const open: OpenMethod & { [tuned]?: true } = function (this: unknown, options, ...rest) {
    return original.call(this, { writeBufferSize: WRITE_BUFFER_BYTES, ...options }, ...rest);
  };
  open[tuned] = true;
  store.prototype._open = open;
}

/** dynalite's tables (classic-level), in this thread; idempotent. */
export function tuneDynaliteStore(): void {
  // `level` exports classic-level's ClassicLevel as `Level`: the class dynalite constructs (the
  // unit test checks it is the same class dynalite loads).
  withWriteBuffer(Level as unknown as Openable);
}

/** kinesalite's streams (leveldown), in this thread; idempotent. */
export function tuneKinesaliteStore(): void {
  withWriteBuffer(leveldown as unknown as Openable);
}
