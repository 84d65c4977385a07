import { parseLogLine } from '../cli/log-lines.js';
import type { FunctionLogSink } from '../runner/function-logs.js';
import { keyFields } from './invocation-line.js';

const LEVEL_COLOURS: Record<string, number> = { ERROR: 31, CRITICAL: 31, FATAL: 31, WARN: 33, DEBUG: 36 };
const VERBOSE_FIELDS = 8;
const MAX_LINE = 240;

/**
 * `npm start -- --verbose`: each function line as people read it — `time LogicalId LEVEL message key=value`
 * — rather than the raw Powertools JSON (which stays, whole, in .kumo/logs and `npm run logs -- --json`).
 * Colour only on a TTY and without NO_COLOR.
 */
export function prettyLogSink(stream: NodeJS.WriteStream = process.stderr): FunctionLogSink {
  const colour = stream.isTTY === true && !process.env.NO_COLOR;
  const paint = (code: number, text: string) => (colour ? `\u001b[${code}m${text}\u001b[0m` : text);
  return ({ logicalId, line }) => {
    const parsed = parseLogLine(line);
    // EMF documents never reach a sink; platform and stray lines stay in the log file.
    if (parsed.kind === 'metrics' || line.trim() === '') return;
    const level = parsed.level ?? (parsed.kind === 'other' ? 'OUT' : 'INFO');
    const fields = parsed.kind === 'json' ? keyFields(parsed.extra ?? {}, VERBOSE_FIELDS) : [];
    let text = [parsed.message.replace(/\s*\n\s*/g, ' '), ...fields].join(' ');
    if (text.length > MAX_LINE) text = `${text.slice(0, MAX_LINE - 1)}…`;
    const time = new Date(parsed.timeMs ?? Date.now()).toISOString().slice(11, 19);
    stream.write(
      `${paint(2, `${time} ${logicalId}`)} ${paint(LEVEL_COLOURS[level] ?? 0, level.padEnd(5))} ${text}\n`,
    );
  };
}
