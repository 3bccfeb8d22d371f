/**
 * TCP initiator: connects one session to a counterparty (127.0.0.1 by default), Nagle off, and
 * drives its timer until the connection ends.
 *
 * With `tls` (see tls-options.ts: clientTlsOptions) the connection is TLS.
 * TODO(reconnect): a supervisor with backoff calls connectInitiator again from `closed`.
 */
import { connect, type Socket } from 'node:net';
import { connect as connectTls, type ConnectionOptions } from 'node:tls';
import type { FixSession } from '../session/index.js';
import { attachSocket } from './connection.js';

export interface InitiatorOptions {
  host?: string;
  port: number;
  session: FixSession;
  tickMs?: number;
  connectTimeoutMs?: number;
  /** Connect with TLS (e.g. clientTlsOptions(...)); host/port come from these options. */
  tls?: ConnectionOptions;
}

export interface InitiatorHandle {
  readonly socket: Socket;
  /** Resolves when the connection is gone (for any reason). */
  readonly closed: Promise<void>;
  close(): void;
}

export function connectInitiator(options: InitiatorOptions): Promise<InitiatorHandle> {
  const host = options.host ?? '127.0.0.1';
  const { session } = options;
  return new Promise((resolve, reject) => {
    const socket: Socket = options.tls ? connectTls({ ...options.tls, host, port: options.port }) : connect({ host, port: options.port });
    socket.setNoDelay(true);
    const connectTimer = setTimeout(() => {
      socket.destroy();
      reject(new Error(`connect to ${host}:${options.port} timed out`));
    }, options.connectTimeoutMs ?? 10_000);
    socket.once('error', (err) => {
      clearTimeout(connectTimer);
      reject(new Error(`connect to ${host}:${options.port} failed: ${err.message}`));
    });
    socket.once(options.tls ? 'secureConnect' : 'connect', () => {
      clearTimeout(connectTimer);
      socket.removeAllListeners('error');
      let timer: NodeJS.Timeout | undefined;
      const closed = new Promise<void>((done) => {
        socket.once('close', () => {
          if (timer) clearInterval(timer);
          session.onDisconnect('connection closed');
          done();
        });
      });
      attachSocket(socket, session);
      timer = setInterval(() => session.onTimer(), options.tickMs ?? 100);
      timer.unref();
      resolve({ socket, closed, close: () => socket.destroy() });
    });
  });
}
