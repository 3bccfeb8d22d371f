/**
 * Opens one outbound connection: TCP with Nagle off (TCP_NODELAY), then TLS on top of that socket
 * when asked, under one deadline. Failures come back as sentences a person can act on (TLS ones via
 * explainTlsError). Cancellable, so a supervisor that is stopped never leaks a half-open socket.
 */
import { connect, type Socket } from 'node:net';
import { connect as connectTls, type ConnectionOptions, type TLSSocket } from 'node:tls';
import type { Scheduler } from './scheduler.js';
import { explainTlsError } from './tls-options.js';

export interface Endpoint {
  host: string;
  port: number;
}

export interface DialOptions {
  tls?: ConnectionOptions;
  /** Deadline for TCP connect and TLS handshake together. */
  timeoutMs: number;
  scheduler: Scheduler;
}

export interface Dial {
  readonly promise: Promise<Socket>;
  cancel(): void;
}

export function endpointName(e: Endpoint): string {
  return e.host.includes(':') ? `[${e.host}]:${e.port}` : `${e.host}:${e.port}`;
}

export function dial(endpoint: Endpoint, options: DialOptions): Dial {
  const name = endpointName(endpoint);
  let raw: Socket | null = null;
  let secure: TLSSocket | null = null;
  let settled = false;
  let timer: unknown;
  let fail: (reason: string) => void = () => {};

  const promise = new Promise<Socket>((resolve, reject) => {
    const finish = (socket: Socket | null, reason: string) => {
      if (settled) return;
      settled = true;
      options.scheduler.clearTimeout(timer);
      if (socket !== null) {
        // The listeners above stay: after settling they are no-ops, and they keep an early error from being unhandled.
        resolve(socket);
        return;
      }
      secure?.destroy();
      raw?.destroy();
      reject(new Error(reason));
    };
    fail = (reason) => finish(null, reason);
    timer = options.scheduler.setTimeout(() => fail(`connect to ${name} timed out after ${options.timeoutMs} ms${secure ? ' (TLS handshake)' : ''}`), options.timeoutMs);

    const tcp = connect({ host: endpoint.host, port: endpoint.port, noDelay: true });
    raw = tcp;
    tcp.setNoDelay(true);
    tcp.once('error', (err: Error & { code?: string }) => fail(`connect to ${name} failed: ${err.message}`));
    tcp.once('connect', () => {
      if (settled) return;
      if (!options.tls) {
        finish(tcp, '');
        return;
      }
      tcp.removeAllListeners('error');
      // The TLS layer reports errors of the socket beneath it on itself.
      tcp.on('error', () => {});
      const tlsSocket = connectTls({ ...options.tls, host: endpoint.host, port: endpoint.port, socket: tcp });
      secure = tlsSocket;
      tlsSocket.once('error', (err: Error & { code?: string }) => fail(explainTlsError(err, tlsSocket, name)));
      tlsSocket.once('secureConnect', () => finish(tlsSocket, ''));
    });
  });
  return { promise, cancel: () => fail(`connect to ${name} cancelled`) };
}
