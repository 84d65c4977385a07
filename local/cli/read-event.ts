import { readFile } from 'node:fs/promises';
import { text } from 'node:stream/consumers';
import { UsageError } from './args.js';

/**
 * The event for `npm run invoke`: the JSON file given with `-e` (`-` reads stdin), `{}` without one.
 * An unreadable file or invalid JSON is a UsageError naming the file.
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
  try {
    return JSON.parse(source);
  } catch (error) {
    throw new UsageError(`the event file ${file} is not valid JSON: ${(error as Error).message}`);
  }
}
