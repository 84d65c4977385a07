import { createWriteStream, type WriteStream } from 'node:fs';
import { mkdir } from 'node:fs/promises';
import path from 'node:path';
import type { LocalLogger } from '../types.js';

/** One line a function wrote to stdout or stderr. */
export interface FunctionLogLine {
  logicalId: string;
  stream: 'stdout' | 'stderr';
  line: string;
}

/** Where the runner forwards function output, besides `<logsDir>/<LogicalId>.log`. */
export type FunctionLogSink = (entry: FunctionLogLine) => void;

/** The default sink: each line on stderr, prefixed with the function's logical id (dimmed on a TTY). */
export function stderrLogSink(stream: NodeJS.WriteStream = process.stderr): FunctionLogSink {
  const colour = stream.isTTY === true && !process.env.NO_COLOR;
  return ({ logicalId, line }) => {
    stream.write(`${colour ? `\u001b[2m${logicalId}\u001b[0m` : logicalId} ${line}\n`);
  };
}

/**
 * Function output: every line to the sink and appended to `<logsDir>/<LogicalId>.log`, where
 * `npm run logs -- <LogicalId> --follow` reads it; platform lines (START, END, REPORT) and EMF metric
 * documents to the file only.
 */
export class FunctionLogs {
  private readonly files = new Map<string, WriteStream>();
  private readonly failed = new Set<string>();
  private closed = false;

  constructor(
    private readonly logsDir: string,
    private readonly sink: FunctionLogSink,
    private readonly log: LocalLogger,
  ) {}

  /** Creates the logs folder; call once before the first line. */
  async open(): Promise<void> {
    await mkdir(this.logsDir, { recursive: true });
  }

  /** The file a function's lines are appended to. */
  fileOf(logicalId: string): string {
    return path.join(this.logsDir, `${logicalId}.log`);
  }

  line(entry: FunctionLogLine): void {
    this.sink(entry);
    this.append(entry.logicalId, entry.line);
  }

  /** A line for the file only (an EMF document: CloudWatch Logs keeps it, the console never shows it). */
  fileOnly(logicalId: string, line: string): void {
    this.append(logicalId, line);
  }

  /** Resolves once the line (and so every line before it) is in the file. */
  platform(logicalId: string, line: string): Promise<void> {
    return new Promise((resolve) => this.append(logicalId, line, resolve));
  }

  /** Flushes and closes the files. */
  async close(): Promise<void> {
    this.closed = true;
    const files = [...this.files.values()];
    this.files.clear();
    await Promise.all(files.map((file) => new Promise<void>((resolve) => file.end(() => resolve()))));
  }

  private append(logicalId: string, line: string, written?: () => void): void {
    if (this.closed || this.failed.has(logicalId)) {
      written?.();
      return;
    }
    let file = this.files.get(logicalId);
    if (!file) {
      file = createWriteStream(this.fileOf(logicalId), { flags: 'a' });
      file.on('error', (error) => {
        this.failed.add(logicalId);
        this.files.delete(logicalId);
        this.log.warn(`${logicalId}: cannot write ${this.fileOf(logicalId)}: ${error.message}`);
      });
      this.files.set(logicalId, file);
    }
    // Called on error too: a failed file never holds up an invocation.
    file.write(`${line}\n`, () => written?.());
  }
}
