import { rm, utimes, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { BundleFreshness } from '../../../local/build/index.js';
import { tempDataRoot } from '../../helpers/service-context.js';

describe('Class: BundleFreshness', () => {
  it('is fresh until a source is modified after the build started, or removed; unknown is stale', async () => {
    const dir = await tempDataRoot();
    const handler = path.join(dir, 'handler.ts');
    const domain = path.join(dir, 'domain.ts');
    await writeFile(handler, 'export const handler = 1;');
    await writeFile(domain, 'export const rule = 1;');
    const builtAt = Date.now() + 1_000;
    const old = new Date(builtAt - 60_000);
    await Promise.all([utimes(handler, old, old), utimes(domain, old, old)]);
    const freshness = new BundleFreshness([
      { logicalId: 'F', builtAt, sources: [handler, domain], bundlePath: '', bytes: 0, gzipBytes: 0, ms: 0 },
    ]);
    expect(await freshness.stale('F')).toBe(false);
    expect(await freshness.stale('Unknown')).toBe(true);

    const later = new Date(builtAt + 1_000);
    await utimes(domain, later, later);
    expect(await freshness.stale('F')).toBe(true);

    freshness.record({ logicalId: 'F', builtAt: builtAt + 2_000, sources: [handler, domain] });
    expect(await freshness.stale('F')).toBe(false);
    await rm(handler);
    expect(await freshness.stale('F')).toBe(true);
  });
});
