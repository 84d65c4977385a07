import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { lockDataDir, releaseOwnLock } from '../../../local/services/dynamodb/data-lock.js';

let dir: string;

beforeEach(async () => {
  dir = await mkdtemp(path.join(tmpdir(), 'kumo-data-lock-'));
});

afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe('Function: releaseOwnLock()', () => {
  it('removes a lock this process took and never released (its DynamoDB thread crashed)', async () => {
    await lockDataDir(dir);

    await releaseOwnLock(dir);

    // Free again: the same process may start DynamoDB on this folder.
    const unlock = await lockDataDir(dir);
    await unlock();
  });

  it('leaves the lock of another process alone', async () => {
    // pid 1 is always running, and never this test.
    await writeFile(path.join(dir, 'kumo.lock'), '1');

    await releaseOwnLock(dir);

    expect(await readFile(path.join(dir, 'kumo.lock'), 'utf8')).toBe('1');
  });

  it('does nothing without a lock', async () => {
    await expect(releaseOwnLock(dir)).resolves.toBeUndefined();
  });
});
