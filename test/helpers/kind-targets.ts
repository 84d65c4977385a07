/**
 * Local targets for the monitor kinds beyond http (domain/kinds.ts): a tiny authoritative DNS server
 * over UDP (A, AAAA, CNAME, MX, TXT from a table, NXDOMAIN for unknown names), a TCP listener, and a
 * TLS server with a self-signed certificate. All on 127.0.0.1, port 0.
 */
import dgram from 'node:dgram';
import net from 'node:net';
import tls from 'node:tls';
import { generate } from 'selfsigned';
import type { DnsRecordType } from '../../functions/health/domain/types.js';

const typeCodes: Readonly<Record<DnsRecordType, number>> = { A: 1, CNAME: 5, MX: 15, TXT: 16, AAAA: 28 };

function encodeName(name: string): Buffer {
  const parts = name
    .replace(/\.$/, '')
    .split('.')
    .filter((label) => label !== '');
  return Buffer.concat([
    ...parts.map((label) => Buffer.concat([Buffer.from([label.length]), Buffer.from(label, 'ascii')])),
    Buffer.from([0]),
  ]);
}

function encodeIPv6(address: string): Buffer {
  const [head = '', tail = ''] = address.split('::');
  const left = head === '' ? [] : head.split(':');
  const right = tail === '' ? [] : tail.split(':');
  const groups = address.includes('::')
    ? [...left, ...Array<string>(8 - left.length - right.length).fill('0'), ...right]
    : left;
  const bytes = Buffer.alloc(16);
  for (const [index, group] of groups.entries()) bytes.writeUInt16BE(Number.parseInt(group, 16), index * 2);
  return bytes;
}

function encodeData(type: DnsRecordType, value: string): Buffer {
  switch (type) {
    case 'A':
      return Buffer.from(value.split('.').map(Number));
    case 'AAAA':
      return encodeIPv6(value);
    case 'CNAME':
      return encodeName(value);
    case 'MX': {
      const [priority = '10', exchange = ''] = value.split(' ');
      const head = Buffer.alloc(2);
      head.writeUInt16BE(Number(priority));
      return Buffer.concat([head, encodeName(exchange)]);
    }
    case 'TXT': {
      const text = Buffer.from(value, 'utf8');
      return Buffer.concat([Buffer.from([text.length]), text]);
    }
  }
}

/** Records served: `name` (lower case, no trailing dot) -> type -> values. */
export type DnsZone = Record<string, Partial<Record<DnsRecordType, string[]>>>;

export interface DnsTarget {
  /** `127.0.0.1:<port>`: what HEALTH_DNS_SERVERS and the prober's `servers` take. */
  server: string;
  zone: DnsZone;
  close(): Promise<void>;
}

/** A DNS server answering from `zone` (mutable: tests change answers between checks). */
export async function startDnsTarget(zone: DnsZone): Promise<DnsTarget> {
  const socket = dgram.createSocket('udp4');
  socket.on('message', (query, peer) => {
    let offset = 12;
    const labels: string[] = [];
    while (offset < query.length && query[offset] !== 0) {
      const length = query[offset] ?? 0;
      labels.push(query.subarray(offset + 1, offset + 1 + length).toString('ascii'));
      offset += length + 1;
    }
    const questionEnd = offset + 5;
    const qtype = query.readUInt16BE(offset + 1);
    const name = labels.join('.').toLowerCase();
    const type = (Object.keys(typeCodes) as DnsRecordType[]).find((each) => typeCodes[each] === qtype);
    const records = zone[name];
    const values = type === undefined ? [] : (records?.[type] ?? []);
    const answers = values.map((value) => {
      const data = encodeData(type as DnsRecordType, value);
      const fixed = Buffer.alloc(10);
      fixed.writeUInt16BE(qtype, 0);
      fixed.writeUInt16BE(1, 2);
      fixed.writeUInt32BE(60, 4);
      fixed.writeUInt16BE(data.length, 8);
      // 0xc00c: a pointer to the question's name.
      return Buffer.concat([Buffer.from([0xc0, 0x0c]), fixed, data]);
    });
    const header = Buffer.alloc(12);
    query.copy(header, 0, 0, 2);
    // QR, AA, RD copied; RA; RCODE 3 (NXDOMAIN) for an unknown name.
    header.writeUInt16BE(
      0x8400 | (query.readUInt16BE(2) & 0x0100) | 0x0080 | (records === undefined ? 3 : 0),
      2,
    );
    header.writeUInt16BE(1, 4);
    header.writeUInt16BE(answers.length, 6);
    socket.send(
      Buffer.concat([header, query.subarray(12, questionEnd), ...answers]),
      peer.port,
      peer.address,
    );
  });
  await new Promise<void>((resolve) => socket.bind(0, '127.0.0.1', resolve));
  return {
    server: `127.0.0.1:${socket.address().port}`,
    zone,
    close: () => new Promise<void>((resolve) => socket.close(() => resolve())),
  };
}

export interface SocketTarget {
  port: number;
  close(): Promise<void>;
}

function listen(server: net.Server): Promise<SocketTarget> {
  const sockets = new Set<net.Socket>();
  server.on('connection', (socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
  });
  server.on('secureConnection', (socket: net.Socket) => socket.end());
  return new Promise((resolve) => {
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      resolve({
        port: typeof address === 'object' && address !== null ? address.port : 0,
        close: () =>
          new Promise<void>((done) => {
            for (const socket of sockets) socket.destroy();
            server.close(() => done());
          }),
      });
    });
  });
}

/** A TCP port that accepts connections (and closes them). */
export function startTcpTarget(): Promise<SocketTarget> {
  return listen(net.createServer((socket) => socket.end()));
}

/** A port on 127.0.0.1 where nothing listens (taken, then freed). */
export async function closedPort(): Promise<number> {
  const target = await startTcpTarget();
  await target.close();
  return target.port;
}

/** A TLS server with a self-signed certificate for `commonName`, valid `days` more days. */
export async function startTlsTarget(
  options: { commonName?: string; days?: number } = {},
): Promise<SocketTarget> {
  const commonName = options.commonName ?? 'localhost';
  const notBefore = new Date(Date.now() - 86_400_000);
  const notAfter = new Date(Date.now() + (options.days ?? 90) * 86_400_000);
  const pems = await generate([{ name: 'commonName', value: commonName }], {
    keySize: 2048,
    notBeforeDate: notBefore,
    notAfterDate: notAfter,
    extensions: [{ name: 'subjectAltName', altNames: [{ type: 2, value: commonName }] }],
  });
  return listen(tls.createServer({ key: pems.private, cert: pems.cert }));
}
