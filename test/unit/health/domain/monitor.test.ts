import { describe, expect, it } from 'vitest';
import {
  applyMonitorPatch,
  checkBudgetMs,
  createMonitor,
  initialState,
  maxCheckBudgetMs,
  monitorDefaults,
  monitorIdFor,
  newMonitorId,
  normalizeUrl,
  parseMonitorId,
  parseMonitorInput,
  parseMonitorPatch,
  watchKeyFor,
} from '../../../../functions/health/domain/monitor.js';

const created = new Date('2025-01-15T12:00:00.000Z');

function errorOf(body: unknown): string {
  const parsed = parseMonitorInput(body);
  if (parsed.success) throw new Error(`expected ${JSON.stringify(body)} to be refused`);
  return parsed.error;
}

describe('Function: parseMonitorInput()', () => {
  it('accepts a URL alone', () => {
    expect(parseMonitorInput({ url: 'https://example.com' })).toEqual({
      success: true,
      data: { url: 'https://example.com' },
    });
  });

  it('accepts every documented field', () => {
    const input = {
      url: 'http://example.com/health',
      name: 'Example',
      method: 'POST',
      expectedStatus: '200,204',
      timeoutMs: 100,
      retries: 5,
      keyword: 'ok',
      keywordAbsent: false,
      jsonPath: { path: '$.status', equals: null },
      maxRedirects: 10,
      tlsWarningDays: [30, 7],
    };
    expect(parseMonitorInput(input)).toEqual({ success: true, data: input });
  });

  it('trims the URL and the name', () => {
    const parsed = parseMonitorInput({ url: '  https://example.com/  ', name: '  Example ' });
    expect(parsed).toEqual({ success: true, data: { url: 'https://example.com/', name: 'Example' } });
  });

  it('refuses an unknown field, naming it', () => {
    expect(errorOf({ url: 'https://example.com', colour: 'blue' })).toBe('colour: unknown field');
  });

  it('refuses an unknown field inside jsonPath, naming its path', () => {
    expect(errorOf({ url: 'https://example.com', jsonPath: { path: '$.a', equal: 1 } })).toBe(
      'jsonPath.equal: unknown field',
    );
  });

  it.each([
    [{}, 'url: is required'],
    [{ url: 42 }, 'url: must be a string'],
    [{ url: 'ftp://example.com/file' }, 'url: must be an absolute http:// or https:// URL'],
    [{ url: 'example.com' }, 'url: must be an absolute http:// or https:// URL'],
    [{ url: '/relative' }, 'url: must be an absolute http:// or https:// URL'],
    [{ url: 'javascript:alert(1)' }, 'url: must be an absolute http:// or https:// URL'],
    [{ url: `https://example.com/${'a'.repeat(2048)}` }, 'url: must be at most 2048 characters'],
  ])('refuses %j', (body, error) => {
    expect(errorOf(body)).toBe(error);
  });

  it.each([-5, 0, 99, 60_001, 1.5, '1000', null])('refuses timeoutMs %j naming timeoutMs', (timeoutMs) => {
    expect(errorOf({ url: 'https://example.com', timeoutMs })).toBe(
      'timeoutMs: must be an integer between 100 and 60000',
    );
  });

  it.each([
    [{ retries: 6 }, 'retries: must be an integer between 0 and 5'],
    [{ retries: -1 }, 'retries: must be an integer between 0 and 5'],
    [{ maxRedirects: 11 }, 'maxRedirects: must be an integer between 0 and 10'],
    [{ method: 'PUT' }, 'method: must be one of GET, HEAD, POST'],
    [{ name: '' }, 'name: must not be empty'],
    [{ name: 'n'.repeat(101) }, 'name: must be at most 100 characters'],
    [
      { expectedStatus: [] },
      'expectedStatus: must list at least one status code or range, e.g. "200-299" or "200-299,301"',
    ],
    [
      { expectedStatus: 200 },
      'expectedStatus: must be a string of status codes and ranges, e.g. "200-299" or "200-299,301"',
    ],
    [{ expectedStatus: [200, 99] }, 'expectedStatus[1]: must be an integer between 100 and 599'],
    [{ expectedStatus: '299-200' }, 'expectedStatus: 299-200 is reversed (write 200-299)'],
    [{ expectedStatus: '200-600' }, 'expectedStatus: 200-600 is outside 100-599'],
    [{ expectedStatus: '2xx' }, 'expectedStatus: "2xx" is not a status code or range (write 200 or 200-299)'],
    [{ keyword: '' }, 'keyword: must not be empty'],
    [{ keywordAbsent: 'yes', keyword: 'x' }, 'keywordAbsent: must be a boolean'],
    [{ keywordAbsent: true }, 'keywordAbsent: requires keyword'],
    [{ method: 'HEAD', keyword: 'ok' }, 'keyword: cannot be checked with method HEAD (no body)'],
    [{ method: 'HEAD', jsonPath: { path: '$.a' } }, 'jsonPath: cannot be checked with method HEAD (no body)'],
    [{ jsonPath: { path: 'status' } }, "jsonPath.path: must be a JSONPath like $.a.b[0].c or $['a-b']"],
    [
      { jsonPath: { path: '$.a', equals: { nested: 1 } } },
      'jsonPath.equals: must be a string, number, boolean or null',
    ],
    [{ tlsWarningDays: [0] }, 'tlsWarningDays[0]: must be an integer between 1 and 365'],
  ])('refuses %j with a message naming the field', (fields, error) => {
    expect(errorOf({ url: 'https://example.com', ...fields })).toBe(error);
  });

  it.each([
    'https://user:pass@example.com/',
    'https://user@example.com/',
    'https://:token@example.com/',
    'http://127.0.0.1:80@example.com/',
  ])('refuses %s: no user name or password in the URL', (url) => {
    expect(errorOf({ url })).toBe('url: must not contain a user name or password');
  });

  it.each([
    'gopher://127.0.0.1:6379/_INFO',
    'file:///etc/passwd',
    'dict://127.0.0.1:11211/stats',
    'ws://example.com/',
    'http://',
  ])('refuses %s: http and https only', (url) => {
    expect(errorOf({ url })).toBe('url: must be an absolute http:// or https:// URL');
  });

  it.each<[{ timeoutMs?: number; retries?: number }]>([
    [{ timeoutMs: 60_000, retries: 0 }],
    [{ timeoutMs: 30_000 }],
    [{ timeoutMs: 20_000, retries: 2 }],
    [{ timeoutMs: 10_000, retries: 5 }],
    [{ retries: 5 }],
  ])('accepts a check that takes at most maxCheckBudgetMs (60 s) in all: %j', (fields) => {
    expect(parseMonitorInput({ url: 'https://example.com', ...fields }).success).toBe(true);
    const timeoutMs = fields.timeoutMs ?? monitorDefaults.timeoutMs;
    const retries = fields.retries ?? monitorDefaults.retries;
    expect(checkBudgetMs({ timeoutMs, retries })).toBeLessThanOrEqual(maxCheckBudgetMs);
  });

  it.each<[Record<string, number>, number]>([
    [{ timeoutMs: 60_000 }, 120_000],
    [{ timeoutMs: 30_001 }, 60_002],
    [{ timeoutMs: 20_001, retries: 2 }, 60_003],
    [{ timeoutMs: 10_001, retries: 5 }, 60_006],
  ])('refuses %j, naming timeoutMs and retries', (fields, total) => {
    expect(maxCheckBudgetMs).toBe(60_000);
    expect(errorOf({ url: 'https://example.com', ...fields })).toBe(
      `timeoutMs: timeoutMs x (retries + 1) is ${total} ms, more than the 60000 ms one check may take`,
    );
  });

  it.each([[[]], [null], ['https://example.com'], [42]])(
    'refuses a body that is not an object: %j',
    (body) => {
      expect(errorOf(body)).toBe('body: must be a JSON object');
    },
  );

  it('names every bad field at once', () => {
    const error = errorOf({ url: 'ftp://example.com', timeoutMs: -5, colour: 'blue' });
    expect(error).toContain('colour: unknown field');
    expect(error).toContain('url: must be an absolute http:// or https:// URL');
    expect(error).toContain('timeoutMs: must be an integer between 100 and 60000');
  });
});

describe('Function: createMonitor()', () => {
  it('applies every default', () => {
    const monitor = createMonitor({ url: 'https://Example.com:443/health#top' }, created);
    expect(monitor).toEqual({
      monitorId: monitorIdFor('https://example.com/health'),
      url: 'https://example.com/health',
      name: 'example.com',
      method: 'GET',
      expectedStatus: monitorDefaults.expectedStatus,
      timeoutMs: 10_000,
      retries: 1,
      keywordAbsent: false,
      maxRedirects: 5,
      tlsWarningDays: [21, 14, 7],
      createdAt: '2025-01-15T12:00:00.000Z',
      ownerId: 'operators',
      paused: false,
      public: false,
      kind: 'http',
      intervalMinutes: 1,
    });
  });

  it('takes the owner, the id and public from the options; never paused when created', () => {
    const monitor = createMonitor({ url: 'https://example.com/' }, created, {
      ownerId: 'user-a',
      monitorId: 'example-com-0123456789abcdef',
      public: true,
    });
    expect(monitor).toMatchObject({
      ownerId: 'user-a',
      monitorId: 'example-com-0123456789abcdef',
      public: true,
      paused: false,
    });
  });

  it('expects every 2xx by default, as one range', () => {
    expect(createMonitor({ url: 'https://example.com' }, created).expectedStatus).toBe('200-299');
  });

  it('names the monitor after host and port when no name is given', () => {
    expect(createMonitor({ url: 'http://127.0.0.1:8080/x' }, created).name).toBe('127.0.0.1:8080');
  });

  it('keeps given settings, sorting thresholds down without duplicates', () => {
    const monitor = createMonitor(
      {
        url: 'https://example.com',
        name: 'Shop',
        method: 'HEAD',
        expectedStatus: '200,301',
        timeoutMs: 2000,
        retries: 0,
        maxRedirects: 0,
        tlsWarningDays: [7, 30, 7],
      },
      created,
    );
    expect(monitor).toMatchObject({
      name: 'Shop',
      method: 'HEAD',
      expectedStatus: '200,301',
      timeoutMs: 2000,
      retries: 0,
      maxRedirects: 0,
      tlsWarningDays: [30, 7],
    });
  });

  it('keeps keyword and jsonPath only when given', () => {
    const plain = createMonitor({ url: 'https://example.com' }, created);
    expect(plain).not.toHaveProperty('keyword');
    expect(plain).not.toHaveProperty('jsonPath');
    const checked = createMonitor(
      {
        url: 'https://example.com',
        keyword: 'ok',
        keywordAbsent: true,
        jsonPath: { path: '$.a', equals: 1 },
      },
      created,
    );
    expect(checked).toMatchObject({
      keyword: 'ok',
      keywordAbsent: true,
      jsonPath: { path: '$.a', equals: 1 },
    });
  });
});

describe('Function: monitorIdFor()', () => {
  it('is deterministic', () => {
    expect(monitorIdFor('https://example.com/health')).toBe(monitorIdFor('https://example.com/health'));
  });

  it('is URL-safe and starts with a slug of the host', () => {
    const id = monitorIdFor('https://api.Example.co.uk:8443/v1/health?full=1');
    expect(id).toMatch(/^api-example-co-uk-[0-9a-f]{16}$/);
  });

  it('ignores what normalisation ignores (case of the host, default port, fragment)', () => {
    expect(monitorIdFor('HTTPS://EXAMPLE.com:443/#x')).toBe(monitorIdFor('https://example.com'));
  });

  it('differs by path, query, scheme and method', () => {
    const ids = new Set([
      monitorIdFor('https://example.com/a'),
      monitorIdFor('https://example.com/b'),
      monitorIdFor('https://example.com/a?x=1'),
      monitorIdFor('http://example.com/a'),
      monitorIdFor('https://example.com/a', 'HEAD'),
    ]);
    expect(ids.size).toBe(5);
  });

  it('uses GET by default, like createMonitor', () => {
    expect(monitorIdFor('https://example.com')).toBe(monitorIdFor('https://example.com', 'GET'));
    expect(createMonitor({ url: 'https://example.com' }, created).monitorId).toBe(
      monitorIdFor('https://example.com'),
    );
  });

  it('slugs an IPv6 host, and falls back to "monitor" for a host with no letters or digits', () => {
    expect(monitorIdFor('http://[::1]:8080/')).toMatch(/^1-[0-9a-f]{16}$/);
    expect(monitorIdFor('http://[::]/')).toMatch(/^monitor-[0-9a-f]{16}$/);
  });
});

describe('Function: normalizeUrl()', () => {
  it('lower-cases scheme and host, drops the default port and the fragment, keeps path and query', () => {
    expect(normalizeUrl('HTTP://Example.COM:80/Path?Q=1#frag')).toBe('http://example.com/Path?Q=1');
  });
});

describe('Function: initialState()', () => {
  it('is PENDING since the monitor was created', () => {
    expect(initialState({ createdAt: '2025-01-15T12:00:00.000Z' })).toEqual({
      status: 'PENDING',
      since: '2025-01-15T12:00:00.000Z',
    });
  });
});

describe('Function: newMonitorId()', () => {
  it('is the host slug and the random hex digits, nothing derived from the owner or the URL path', () => {
    expect(newMonitorId('https://Status.Example.com/a?b=1', '0123456789abcdef')).toBe(
      'status-example-com-0123456789abcdef',
    );
  });

  it('refuses anything but 16 hex digits', () => {
    expect(() => newMonitorId('https://example.com/', 'xyz')).toThrow('16 hex digits');
  });
});

describe('Function: watchKeyFor()', () => {
  it('is one per owner, method and normalised URL', () => {
    const a = watchKeyFor('user-a', 'https://Example.com:443/x#f', 'GET');
    expect(a).toBe(watchKeyFor('user-a', 'https://example.com/x', 'GET'));
    expect(a).not.toBe(watchKeyFor('user-b', 'https://example.com/x', 'GET'));
    expect(a).not.toBe(watchKeyFor('user-a', 'https://example.com/x', 'HEAD'));
    expect(a).toMatch(/^[A-Za-z0-9_-]{43}$/);
  });
});

describe('Function: parseMonitorId()', () => {
  it('accepts the ids the API makes', () => {
    expect(parseMonitorId('example-com-337fd4f452ae2bb2')).toEqual({
      success: true,
      data: 'example-com-337fd4f452ae2bb2',
    });
  });

  it.each([
    [undefined, 'monitorId: is required'],
    ['', 'monitorId: is required'],
    ['a'.repeat(65), 'monitorId: must be a monitor id (1 to 64 characters: a-z, 0-9 and -)'],
    ['#owner#x', 'monitorId: must be a monitor id (1 to 64 characters: a-z, 0-9 and -)'],
    ['Example', 'monitorId: must be a monitor id (1 to 64 characters: a-z, 0-9 and -)'],
  ])('refuses %j', (value, error) => {
    expect(parseMonitorId(value)).toEqual({ success: false, error });
  });
});

describe('Function: parseMonitorPatch()', () => {
  it('accepts any field of the input, null to remove a check, and the two switches', () => {
    expect(parseMonitorPatch({ name: ' New ', keyword: null, paused: true, public: false })).toEqual({
      success: true,
      data: { name: 'New', keyword: null, paused: true, public: false },
    });
  });

  it.each([
    [{}, 'body: must name at least one field to change'],
    [{ colour: 'red' }, 'colour: unknown field'],
    [{ ownerId: 'someone-else' }, 'ownerId: unknown field'],
    [{ monitorId: 'x' }, 'monitorId: unknown field'],
    [{ paused: 'yes' }, 'paused: must be a boolean'],
    [{ public: 1 }, 'public: must be a boolean'],
    [{ timeoutMs: 5 }, 'timeoutMs: must be an integer between 100 and 60000'],
    [{ url: 'ftp://example.com' }, 'url: must be an absolute http:// or https:// URL'],
    [[], 'body: must be a JSON object'],
  ])('refuses %j, naming the field', (body, error) => {
    expect(parseMonitorPatch(body)).toEqual({ success: false, error });
  });
});

describe('Function: applyMonitorPatch()', () => {
  const base = createMonitor({ url: 'https://example.com/health', keyword: 'ok' }, created, {
    ownerId: 'user-a',
    monitorId: 'example-com-0123456789abcdef',
  });
  const patch = (body: unknown) => {
    const parsed = parseMonitorPatch(body);
    if (!parsed.success) throw new Error(parsed.error);
    return applyMonitorPatch(base, parsed.data);
  };

  it('changes the given fields and keeps identity, owner and creation time', () => {
    const result = patch({ url: 'https://Example.com/other', timeoutMs: 2000, public: true, paused: true });
    expect(result).toEqual({
      success: true,
      data: {
        ...base,
        url: 'https://example.com/other',
        timeoutMs: 2000,
        public: true,
        paused: true,
      },
    });
  });

  it('removes a check with null (keywordAbsent goes with the keyword)', () => {
    const withAbsent = { ...base, keywordAbsent: true };
    const parsed = parseMonitorPatch({ keyword: null });
    if (!parsed.success) throw new Error(parsed.error);
    const result = applyMonitorPatch(withAbsent, parsed.data);
    expect(result.success && result.data).toMatchObject({ keywordAbsent: false });
    expect(result.success && 'keyword' in result.data).toBe(false);
  });

  it('validates the merged monitor: HEAD with the stored keyword is refused, naming keyword', () => {
    expect(patch({ method: 'HEAD' })).toEqual({
      success: false,
      error: 'keyword: cannot be checked with method HEAD (no body)',
    });
  });
});
