/**
 * One initiator connection, no reconnect: dials (TCP_NODELAY; TLS 1.3 with `tls`, e.g.
 * clientTlsOptions), attaches the session (its Logon goes out) and drives its timer until the
 * connection ends. For a session that must stay up (reconnect with backoff, failover across hosts,
 * logon timeout), use startInitiator in supervisor.ts, which is built from the same pieces.
 */
import type { Socket } from 'node:net';
import type { ConnectionOptions } from 'node:tls';
import type { FixSession } from '../session/index.js';
import { attachSocket } from './connection.js';
import { dial } from './dial.js';
import { systemScheduler } from './scheduler.js';

export interface InitiatorOptions {
  host?: string;
  port: number;
  session: FixSession;
  tickMs?: number;
  connectTimeoutMs?: number;
  /** Connect with TLS (e.g. clientTlsOptions(...)); host/port come from these options. */
  tls?: ConnectionOptions;
  /** Bound on outbound bytes queued in Node (see connection.ts). Default 16 MiB. */
  maxBufferedBytes?: number;
}

export interface InitiatorHandle {
  readonly socket: Socket;
  /** Resolves when the connection is gone (for any reason). */
  readonly closed: Promise<void>;
  close(): void;
}

export async function connectInitiator(options: InitiatorOptions): Promise<InitiatorHandle> {
  const { session } = options;
  if (session.isConnected) throw new Error(`session ${session.senderCompID}->${session.targetCompID} already has a connection`);
  const socket = await dial(
    { host: options.host ?? '127.0.0.1', port: options.port },
    { tls: options.tls, timeoutMs: options.connectTimeoutMs ?? 10_000, scheduler: systemScheduler },
  ).promise;
  const timer = setInterval(() => session.onTimer(), options.tickMs ?? 100);
  timer.unref();
  const closed = new Promise<void>((done) => {
    attachSocket(socket, session, {
      maxBufferedBytes: options.maxBufferedBytes,
      onClose: () => {
        clearInterval(timer);
        done();
      },
    });
  });
  return { socket, closed, close: () => socket.destroy() };
}
