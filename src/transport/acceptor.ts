/**
 * TCP acceptor hosting many sessions, one per connection. A new connection is bound to a session
 * by the CompIDs of its first message (which must be a Logon): unknown CompIDs, garbage, or a
 * session that already has a connection (duplicate identity) get the socket closed without a word.
 * A timer drives every connected session's onTimer. With `tls` (see tls-options.ts:
 * serverTlsOptions) the same happens over TLS sockets. Nagle is off (TCP_NODELAY) on every socket.
 */
import { createServer, type Server, type Socket } from 'node:net';
import { createServer as createTlsServer, type TlsOptions } from 'node:tls';
import { FixFramer, getDictionary, type FramingError, type MessageView } from '../codec/index.js';
import type { FixSession } from '../session/index.js';
import { attachSocket, type WireTap } from './connection.js';

export interface AcceptorOptions {
  port: number;
  host?: string;
  /** Looks up the session for a Logon's SenderCompID/TargetCompID as seen by us (their sender is our target). */
  sessions: (theirSenderCompID: string, theirTargetCompID: string) => FixSession | undefined;
  /** Timer period for heartbeats and timeouts. Default 100 ms. */
  tickMs?: number;
  /** Close a connection that sends no complete Logon within this time. Default 10 s. */
  logonWaitMs?: number;
  onError?: (error: Error) => void;
  /** Serve TLS instead of plain TCP (e.g. serverTlsOptions(key, cert)). */
  tls?: TlsOptions;
  /** Bound on outbound bytes queued in Node per connection (see connection.ts). Default 16 MiB. */
  maxBufferedBytes?: number;
  /** A copy of each bound connection's bytes (FIX message logs), chosen by the Logon's CompIDs. */
  tap?: (theirSenderCompID: string, theirTargetCompID: string) => WireTap | undefined;
}

export interface AcceptorHandle {
  readonly port: number;
  readonly server: Server;
  close(): Promise<void>;
}

const MAX_PRELOGON_BYTES = 65536;

/** Reads the first message of a connection to find its session, keeping the bytes for the session. */
class PreLogon {
  private readonly framer = new FixFramer(getDictionary({ kraken: false }), { maxMessageSize: MAX_PRELOGON_BYTES, resync: 'quickfix', tagSyntax: 'quickfix' });
  private readonly chunks: Buffer[] = [];
  private size = 0;
  result: { sender: string; target: string; msgType: string } | { error: string } | null = null;

  push(chunk: Buffer): void {
    this.chunks.push(chunk);
    this.size += chunk.length;
    if (this.size > MAX_PRELOGON_BYTES) { this.result = { error: 'no Logon within 64 KiB' }; return; }
    this.framer.push(chunk, this);
  }

  onMessage(view: MessageView): void {
    if (this.result !== null) return;
    this.result = { sender: view.getString(49) ?? '', target: view.getString(56) ?? '', msgType: view.getString(35) ?? '' };
  }

  onError(error: FramingError): void {
    if (this.result === null) this.result = { error: error.detail };
  }

  bytes(): Buffer {
    return Buffer.concat(this.chunks);
  }
}

export function startAcceptor(options: AcceptorOptions): Promise<AcceptorHandle> {
  const host = options.host ?? '127.0.0.1';
  const tickMs = options.tickMs ?? 100;
  const logonWaitMs = options.logonWaitMs ?? 10_000;
  const bound = new Map<FixSession, Socket>();
  const sockets = new Set<Socket>();

  const onConnection = (socket: Socket) => {
    sockets.add(socket);
    socket.setNoDelay(true);
    socket.on('close', () => sockets.delete(socket));
    socket.on('error', () => socket.destroy());
    const pre = new PreLogon();
    const waitTimer = setTimeout(() => socket.destroy(), logonWaitMs);
    const onData = (chunk: Buffer) => {
      pre.push(chunk);
      const r = pre.result;
      if (r === null) return;
      socket.off('data', onData);
      clearTimeout(waitTimer);
      if ('error' in r || r.msgType !== 'A') { socket.destroy(); return; }
      const session = options.sessions(r.sender, r.target);
      if (session === undefined || session.isConnected) { socket.destroy(); return; }
      bound.set(session, socket);
      socket.on('close', () => { if (bound.get(session) === socket) bound.delete(session); });
      try {
        attachSocket(socket, session, { initialBytes: pre.bytes(), maxBufferedBytes: options.maxBufferedBytes, tap: options.tap?.(r.sender, r.target) });
      } catch (err) {
        options.onError?.(err as Error);
        socket.destroy();
      }
    };
    socket.on('data', onData);
  };
  const server: Server = options.tls ? createTlsServer(options.tls, onConnection) : createServer(onConnection);

  const timer = setInterval(() => {
    for (const [session, socket] of bound) {
      try {
        session.onTimer();
      } catch (err) {
        options.onError?.(err as Error);
      }
      if (!session.isConnected && bound.get(session) === socket) bound.delete(session);
    }
  }, tickMs);
  timer.unref();

  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port, host, () => {
      server.off('error', reject);
      const address = server.address();
      const port = typeof address === 'object' && address !== null ? address.port : options.port;
      resolve({
        port,
        server,
        close: () =>
          new Promise<void>((done) => {
            clearInterval(timer);
            for (const s of sockets) s.destroy();
            server.close(() => done());
          }),
      });
    });
  });
}
