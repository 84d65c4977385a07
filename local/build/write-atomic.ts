import { randomBytes } from 'node:crypto';
import { rename, rm, writeFile } from 'node:fs/promises';

/**
 * Writes through a temporary file and a rename, so a runner starting a function while `npm run build`
 * or `npm run invoke` rewrites its bundle reads the old file or the new one, never half of one.
 */
export async function writeAtomic(file: string, contents: string | Uint8Array): Promise<void> {
  const temporary = `${file}.${process.pid}-${randomBytes(4).toString('hex')}.tmp`;
  try {
    await writeFile(temporary, contents);
    await rename(temporary, file);
  } catch (error) {
    await rm(temporary, { force: true });
    throw error;
  }
}
