import { Writable } from 'node:stream';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { createLogger, MAX_EVENT_CHARS } from '../../../local/log.js';

/** A stream that keeps what is written; a terminal or not. */
function capture(isTTY: boolean): NodeJS.WriteStream & { text: string } {
  const stream = new Writable({
    write(chunk, _encoding, done) {
      stream.text += String(chunk);
      done();
    },
  }) as Writable & { text: string; isTTY: boolean };
  stream.text = '';
  stream.isTTY = isTTY;
  return stream as unknown as NodeJS.WriteStream & { text: string };
}

describe('Function: createLogger()', () => {
  afterEach(() => {
    vi.unstubAllEnvs();
  });

  it('keeps an event or a warning to one readable line, whatever length a client gave its path', () => {
    const out = capture(false);
    const log = createLogger(out);
    log.event('s3', `PUT /bucket/${'a'.repeat(2_000)} refused: KeyTooLongError (Your key is too long)`);
    log.warn(`cognito: ${'b'.repeat(5_000)} is not supported`);
    log.event('s3', 'GET /bucket/key ok');
    const lines = out.text.trimEnd().split('\n');
    expect(lines).toHaveLength(3);
    for (const line of lines.slice(0, 2)) {
      expect(line.length).toBeLessThan(MAX_EVENT_CHARS + 40);
      expect(line.endsWith('…')).toBe(true);
    }
    expect(lines[2]).toMatch(/\[s3\] GET \/bucket\/key ok$/);
  });

  it('highlights alerts (bold yellow) and errors (bold red) on a terminal', () => {
    vi.stubEnv('NO_COLOR', '');
    const out = capture(true);
    const log = createLogger(out);
    log.event('sns', 'email to ops@example.com: ALARM', 'alert');
    log.event('schedule', 'PostsPollerFunction 3 ms Error: boom', 'error');
    log.event('schedule', 'CheckSitesFunction 40 ms ok');
    const [alert, error, plain] = out.text.split('\n');
    expect(alert).toContain(
      '\u001b[1;33m[sns]\u001b[0m \u001b[1;33memail to ops@example.com: ALARM\u001b[0m',
    );
    expect(error).toContain('\u001b[1;31mPostsPollerFunction 3 ms Error: boom\u001b[0m');
    expect(plain).toContain('\u001b[36m[schedule]\u001b[0m CheckSitesFunction 40 ms ok');
  });

  it.each([
    ['NO_COLOR is set', true, '1'],
    ['the output is not a terminal', false, ''],
  ])('writes plain text when %s', (_when, isTTY, noColor) => {
    vi.stubEnv('NO_COLOR', noColor);
    const out = capture(isTTY);
    createLogger(out).event('sns', 'email to ops@example.com: ALARM', 'alert');
    expect(out.text).toMatch(/^\d\d:\d\d:\d\d \[sns\] email to ops@example\.com: ALARM\n$/);
  });
});
