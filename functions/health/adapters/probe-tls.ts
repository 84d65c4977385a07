/**
 * The tls prober: a TLS handshake with `host:port` (domain/kinds.ts `tls://host:port`), nothing sent
 * after it. It reads the peer certificate (expiry, issuer), whether its chain is trusted (Node's CA
 * store) and whether it covers the host (`tls.checkServerIdentity`, SNI set for names). The handshake
 * never rejects the certificate itself, so an expired or self-signed one is still read and judged
 * (domain/kind-judge.ts). Same address guard as tcp and http (probe-tcp.ts).
 */
import net from 'node:net';
import tls, { type TLSSocket } from 'node:tls';
import type { ProbeRequest, Prober, TlsFindings } from '../domain/probe.js';
import { readCertificate } from './probe-http.js';
import { probeSocket, type SocketProberOptions } from './probe-tcp.js';

/** One tls attempt; with `allowSelfSigned` (local cloud, tests) chain and host name are not judged. */
export function probeTls(request: ProbeRequest, options: SocketProberOptions = {}) {
  return probeSocket(
    request,
    options,
    (target, lookup) =>
      tls.connect({
        host: target.host,
        port: target.port,
        lookup,
        rejectUnauthorized: false,
        // SNI takes names only.
        ...(net.isIP(target.host) === 0 ? { servername: target.host } : {}),
      }),
    'secureConnect',
    (socket, target) => {
      const secure = socket as TLSSocket;
      const cert = readCertificate(secure);
      if (cert === undefined) return { errorKind: 'tlsError', errorMessage: 'no peer certificate' };
      const findings: TlsFindings = {};
      if (options.allowSelfSigned !== true) {
        if (!secure.authorized) findings.chainError = String(secure.authorizationError ?? 'untrusted');
        const mismatch = tls.checkServerIdentity(target.host, secure.getPeerCertificate());
        if (mismatch !== undefined) findings.hostnameError = mismatch.message;
      }
      return { cert, tls: findings };
    },
  );
}

/** A {@link Prober} of tls targets with fixed options. */
export function createTlsProber(options: SocketProberOptions = {}): Prober {
  return (request) => probeTls(request, options);
}
