import { readFile } from 'node:fs/promises';
import { text } from 'node:stream/consumers';
import { UsageError } from './args.js';

/** Lambda's limit on a synchronous invocation's payload: 6 MB (6,291,456 bytes). */
export const MAX_SYNC_PAYLOAD_BYTES = 6 * 1024 * 1024;

/**
 * The event for `npm run invoke`: the JSON file given with `-e` (`-` reads stdin), `{}` without one.
 * An unreadable file, invalid JSON or an event Lambda would refuse as too large (over 6 MB, as
 * `RequestEntityTooLargeException`) is a UsageError naming the file.
 */
export async function readEvent(file: string | undefined): Promise<unknown> {
  if (file === undefined) return {};
  let source: string;
  try {
    source = file === '-' ? await text(process.stdin) : await readFile(file, 'utf8');
  } catch (error) {
    const reason =
      (error as NodeJS.ErrnoException).code === 'ENOENT' ? 'no such file' : (error as Error).message;
    throw new UsageError(`cannot read the event file ${file}: ${reason}`);
  }
  const bytes = Buffer.byteLength(source);
  if (bytes > MAX_SYNC_PAYLOAD_BYTES) {
    throw new UsageError(
      `the event file ${file} is ${bytes} bytes: Lambda refuses it (RequestEntityTooLargeException: ` +
        `Request must be smaller than ${MAX_SYNC_PAYLOAD_BYTES} bytes for the InvokeFunction operation)`,
    );
  }
  try {
    return JSON.parse(source);
  } catch (error) {
    throw new UsageError(`the event file ${file} is not valid JSON: ${(error as Error).message}`);
  }
}
