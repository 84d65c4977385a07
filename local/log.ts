import type { LocalLogger } from './types.js';

const useColour = (stream: NodeJS.WriteStream) => stream.isTTY === true && !process.env.NO_COLOR;

const paintCode = (code: string, text: string, stream: NodeJS.WriteStream) =>
  useColour(stream) ? `\u001b[${code}m${text}\u001b[0m` : text;

const paint = (code: number, text: string, stream: NodeJS.WriteStream) =>
  paintCode(String(code), text, stream);

/** The longest event or warning printed: a request's path or name can be any length (a 2,000-character S3 key). */
export const MAX_EVENT_CHARS = 300;

function clip(text: string): string {
  return text.length <= MAX_EVENT_CHARS ? text : `${text.slice(0, MAX_EVENT_CHARS - 1)}…`;
}

function time(): string {
  return new Date().toISOString().slice(11, 19);
}

/** The local cloud's console logger: one line per event; colour only on a TTY and without NO_COLOR. */
export function createLogger(stream: NodeJS.WriteStream = process.stderr, quiet = false): LocalLogger {
  const write = (line: string) => {
    if (!quiet) stream.write(`${line}\n`);
  };
  return {
    info: (message) => write(`${paint(2, time(), stream)} ${message}`),
    warn: (message) => write(`${paint(2, time(), stream)} ${paint(33, 'warning', stream)} ${clip(message)}`),
    error: (message) => write(`${paint(2, time(), stream)} ${paint(31, 'error', stream)} ${message}`),
    // Alerts and errors stand out: bold yellow and bold red, source and message.
    event: (source, text, tone) => {
      const message = clip(text);
      const colour = tone === 'alert' ? '1;33' : tone === 'error' ? '1;31' : undefined;
      const body = colour
        ? `${paintCode(colour, `[${source}]`, stream)} ${paintCode(colour, message, stream)}`
        : `${paint(36, `[${source}]`, stream)} ${message}`;
      write(`${paint(2, time(), stream)} ${body}`);
    },
  };
}

/** A logger that keeps lines in memory: for tests that assert what was reported. */
export function createMemoryLogger(): LocalLogger & { lines: string[] } {
  const lines: string[] = [];
  return {
    lines,
    info: (m) => lines.push(`info ${m}`),
    warn: (m) => lines.push(`warn ${m}`),
    error: (m) => lines.push(`error ${m}`),
    event: (s, m) => lines.push(`[${s}] ${m}`),
  };
}
