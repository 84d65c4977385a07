import { open, stat } from 'node:fs/promises';
import path from 'node:path';
import { readTemplate } from '../template/index.js';
import { parseArgs, UsageError } from './args.js';
import {
  fillTimes,
  formatLogLine,
  type LogLine,
  matchesFilter,
  parseLogLine,
  parseSince,
} from './log-lines.js';

const HELP = `Usage: npm run logs -- <LogicalId> [options]

Shows a function's logs from the local cloud, like \`sam logs\`: the lines it wrote to
.kumo/logs/<LogicalId>.log (npm start and npm run invoke write them). Powertools JSON lines are shown
as time, level, message, (correlation id) and their other keys; EMF metrics as METRIC lines; START,
END and REPORT lines dimmed. Colour only on a terminal (and never with NO_COLOR).

Options:
  -f, --follow           keep printing new lines as they come (Ctrl-C to stop)
  -s, --since <time>     only lines from the last 30s, 10m, 2h, 1d (or since an ISO date-time)
  --filter <text>        only lines containing <text> (case-insensitive; request ids, ids, words)
  --json                 the raw lines, as written (one JSON document per Powertools line)
  -t, --template <file>  the SAM template (default template.yaml): which functions exist
  --help                 show this help

Exit codes: 0 done; 1 the log file could not be read; 2 bad usage (unknown function, bad --since).
`;

interface Request {
  logicalId: string;
  follow: boolean;
  sinceMs?: number;
  filter?: string;
  json: boolean;
  templatePath: string;
}

function parseRequest(argv: string[]): Request | undefined {
  const args = parseArgs(argv, {
    values: ['since', 'filter', 'template'],
    booleans: ['follow', 'json', 'help'],
    aliases: { f: 'follow', s: 'since', t: 'template', h: 'help' },
  });
  if (args.flags.help) return undefined;
  const [logicalId, extra] = args.positionals;
  if (logicalId === undefined) throw new UsageError('which function? give its LogicalId (see --help)');
  if (extra !== undefined) throw new UsageError(`unexpected argument "${extra}" (one function at a time)`);
  const request: Request = {
    logicalId,
    follow: args.flags.follow === true,
    json: args.flags.json === true,
    templatePath: path.resolve(String(args.flags.template ?? 'template.yaml')),
  };
  if (typeof args.flags.since === 'string') {
    const sinceMs = parseSince(args.flags.since);
    if (sinceMs === undefined)
      throw new UsageError(`--since ${args.flags.since}: use 30s, 10m, 2h, 1d or a date-time`);
    request.sinceMs = sinceMs;
  }
  if (typeof args.flags.filter === 'string') request.filter = args.flags.filter;
  return request;
}

async function knownFunctions(templatePath: string): Promise<string[]> {
  try {
    return (await readTemplate(templatePath)).functions.map((fn) => fn.logicalId);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT')
      throw new UsageError(`no template at ${templatePath}`);
    throw error;
  }
}

/** Reads `file` from `offset`; resolves with the text and the new offset (0 again if the file shrank). */
async function readFrom(file: string, offset: number): Promise<{ text: string; offset: number }> {
  const size = await stat(file).then(
    (s) => s.size,
    () => undefined,
  );
  if (size === undefined) return { text: '', offset: 0 };
  const start = size < offset ? 0 : offset;
  if (size === start) return { text: '', offset: start };
  const handle = await open(file, 'r');
  try {
    const buffer = Buffer.alloc(size - start);
    const { bytesRead } = await handle.read(buffer, 0, buffer.length, start);
    return { text: buffer.subarray(0, bytesRead).toString('utf8'), offset: start + bytesRead };
  } finally {
    await handle.close();
  }
}

function printer(request: Request) {
  const colour = process.stdout.isTTY === true && !process.env.NO_COLOR;
  return (lines: LogLine[]) => {
    const out: string[] = [];
    for (const line of lines) {
      if (request.sinceMs !== undefined && line.timeMs !== undefined && line.timeMs < request.sinceMs)
        continue;
      if (!matchesFilter(line, request.filter)) continue;
      out.push(request.json ? line.raw : formatLogLine(line, colour));
    }
    if (out.length > 0) process.stdout.write(`${out.join('\n')}\n`);
  };
}

async function run(request: Request): Promise<number> {
  const known = await knownFunctions(request.templatePath);
  if (!known.includes(request.logicalId)) {
    throw new UsageError(`unknown function ${request.logicalId}; known: ${known.join(', ') || 'none'}`);
  }
  const file = path.join(path.dirname(request.templatePath), '.kumo', 'logs', `${request.logicalId}.log`);
  const print = printer(request);
  let { text, offset } = await readFrom(file, 0);
  let pending = '';
  const take = (chunk: string): LogLine[] => {
    const parts = (pending + chunk).split('\n');
    pending = parts.pop() ?? '';
    return parts.filter((raw) => raw !== '').map(parseLogLine);
  };
  print(fillTimes(take(text)));
  if (!request.follow) {
    if (offset === 0) process.stderr.write(`kumo logs: no logs yet for ${request.logicalId} (${file})\n`);
    if (pending !== '') print([parseLogLine(pending)]);
    return 0;
  }
  process.stderr.write(`kumo logs: following ${file} (Ctrl-C to stop)\n`);
  // Polling rather than fs.watch: it sees a file created later and survives its replacement.
  for (;;) {
    await new Promise((resolve) => setTimeout(resolve, 250));
    ({ text, offset } = await readFrom(file, offset));
    if (text !== '') print(fillTimes(take(text)));
  }
}

async function main(argv: string[]): Promise<number> {
  process.once('SIGINT', () => process.exit(0));
  try {
    const request = parseRequest(argv);
    if (!request) {
      process.stdout.write(HELP);
      return 0;
    }
    return await run(request);
  } catch (error) {
    if (error instanceof UsageError) {
      process.stderr.write(`kumo logs: ${error.message}\n`);
      return 2;
    }
    process.stderr.write(`kumo logs: ${(error as Error).message}\n`);
    return 1;
  }
}

main(process.argv.slice(2)).then((code) => process.exit(code));
