import { describe, expect, it } from 'vitest';
import { MemoryMonitorStore } from '../../../../functions/health/adapters/memory-stores.js';
import { monitorIdFor, parseMonitorInput } from '../../../../functions/health/domain/monitor.js';
import { parseSeedList, seedMonitors, seedUrlProblem } from '../../../../functions/health/domain/seed.js';
import { NOW } from '../../../helpers/factories.js';

describe('Function: parseSeedList()', () => {
  it.each([
    [undefined, []],
    ['', []],
    [' , ,', []],
    ['https://a.example.com', ['https://a.example.com']],
    [
      ' https://a.example.com , https://b.example.com/x ,',
      ['https://a.example.com', 'https://b.example.com/x'],
    ],
  ])('parses %j', (list, urls) => {
    expect(parseSeedList(list)).toEqual(urls);
  });
});

describe('Function: seedMonitors()', () => {
  const urls = ['https://a.example.com/', 'http://b.example.com/health'];

  it('creates a PENDING monitor with default settings for each URL', async () => {
    const store = new MemoryMonitorStore();
    const report = await seedMonitors(urls, store, NOW);
    expect(report).toEqual({ created: urls.map((url) => monitorIdFor(url)), existing: [], invalid: [] });
    expect(store.records.get(monitorIdFor(urls[1] ?? ''))).toMatchObject({
      monitor: {
        url: 'http://b.example.com/health',
        name: 'b.example.com',
        method: 'GET',
        retries: 1,
        ownerId: 'operators',
        public: true,
        paused: false,
      },
      state: { status: 'PENDING', since: NOW.toISOString() },
    });
  });

  it('is idempotent: a second seeding creates nothing', async () => {
    const store = new MemoryMonitorStore();
    await seedMonitors(urls, store, NOW);
    const again = await seedMonitors(urls, store, new Date(NOW.getTime() + 60_000));
    expect(again).toEqual({ created: [], existing: urls.map((url) => monitorIdFor(url)), invalid: [] });
    expect(store.records.size).toBe(2);
    expect(store.records.get(monitorIdFor('https://a.example.com/'))?.monitor.createdAt).toBe(
      NOW.toISOString(),
    );
  });

  it('treats the same URL spelled differently as one monitor', async () => {
    const store = new MemoryMonitorStore();
    const report = await seedMonitors(['https://A.example.com', 'https://a.example.com:443/'], store, NOW);
    expect(report.created).toHaveLength(1);
    expect(report.existing).toEqual(report.created);
  });

  it('reports invalid URLs and seeds the rest', async () => {
    const store = new MemoryMonitorStore();
    const report = await seedMonitors(['ftp://files.example.com', 'https://a.example.com/'], store, NOW);
    expect(report.invalid).toEqual([
      { url: 'ftp://files.example.com', reason: 'url: must be an absolute http:// or https:// URL' },
    ]);
    expect(report.created).toEqual([monitorIdFor('https://a.example.com/')]);
  });
});

describe('Function: seedUrlProblem()', () => {
  it.each([
    'https://a.example.com',
    'http://10.0.0.1:8080/health',
    `https://a.example.com/${'a'.repeat(2000)}`,
    'ftp://files.example.com',
    'https://user:secret@a.example.com',
    'a.example.com',
    `https://a.example.com/${'a'.repeat(2100)}`,
  ])('words %s as POST /monitors does for a body of just { url }', (url) => {
    const api = parseMonitorInput({ url });
    expect(seedUrlProblem(url)).toBe(api.success ? undefined : api.error);
  });
});
