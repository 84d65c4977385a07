import { createSocket } from 'node:dgram';
import { PortInUseError } from '../ports.js';
import type { LocalLogger } from '../types.js';
import type { TraceStore } from './trace-store.js';
import type { SegmentDocument } from './types.js';

/** The X-Ray daemon's header line: every datagram starts with it, then one segment document. */
export const DAEMON_HEADER = { format: 'json', version: 1 } as const;

/** A running local X-Ray daemon. */
export interface RunningXRayDaemon {
  /** `127.0.0.1:<port>`, what `AWS_XRAY_DAEMON_ADDRESS` takes. */
  address: string;
  /** Datagrams that were not `header\nsegment` JSON. */
  rejected(): number;
  stop(): Promise<void>;
}

export interface XRayDaemonOptions {
  host: string;
  /** 0 picks a free port. */
  port: number;
  store: TraceStore;
  log: LocalLogger;
}

/**
 * Parses one daemon datagram: `{"format":"json","version":1}\n{segment}`. Returns undefined for
 * anything else (a wrong header, broken JSON, a document without id or trace id).
 */
export function parseDatagram(message: Buffer | string): SegmentDocument | undefined {
  const text = message.toString('utf8');
  const newline = text.indexOf('\n');
  if (newline < 0) return undefined;
  try {
    const header = JSON.parse(text.slice(0, newline)) as { format?: unknown; version?: unknown };
    if (header.format !== DAEMON_HEADER.format || header.version !== DAEMON_HEADER.version) return undefined;
    const document = JSON.parse(text.slice(newline + 1)) as SegmentDocument;
    if (typeof document?.id !== 'string' || typeof document.trace_id !== 'string') return undefined;
    return document;
  } catch {
    return undefined;
  }
}

/**
 * The X-Ray daemon's UDP side, in process: receives the segments that aws-xray-sdk-core (Powertools
 * Tracer) sends from each function and stores them. It forwards nothing anywhere.
 */
export function startXRayDaemon(options: XRayDaemonOptions): Promise<RunningXRayDaemon> {
  const socket = createSocket('udp4');
  let rejected = 0;
  socket.on('message', (message) => {
    const document = parseDatagram(message);
    if (document) options.store.add(document);
    else if (++rejected === 1) options.log.warn('xray: ignored a datagram that is not an X-Ray segment');
  });
  return new Promise((resolve, reject) => {
    socket.once('error', (error: NodeJS.ErrnoException) => {
      socket.close();
      reject(error.code === 'EADDRINUSE' ? new PortInUseError(options.port, 'xray') : error);
    });
    socket.bind(options.port, options.host, () => {
      socket.removeAllListeners('error');
      socket.on('error', (error) => options.log.warn(`xray: ${error.message}`));
      const { address, port } = socket.address();
      resolve({
        address: `${address}:${port}`,
        rejected: () => rejected,
        stop: () => new Promise((done) => socket.close(() => done())),
      });
    });
  });
}
