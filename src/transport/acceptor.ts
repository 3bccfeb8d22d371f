/**
 * TCP acceptor hosting many sessions, one per connection. A new connection is bound to a session
 * by the CompIDs of its first message (which must be a Logon): unknown CompIDs, garbage, or a
 * session that already has a connection (duplicate identity) get the socket closed without a word.
 * A timer drives every connected session's onTimer. With `tls` (see tls-options.ts:
 * serverTlsOptions) the same happens over TLS sockets. Nagle is off (TCP_NODELAY) on every socket.
 *
 * Hostile peers are bounded before they reach a session: connection caps (total, not yet logged on,
 * not yet logged on per remote address) are checked at TCP accept, before any TLS work; a connection
 * must produce a complete Logon within logonWaitMs and 64 KiB. Every connection closed for one of
 * these reasons is reported once through onCutOff. After binding, the session's own limits apply
 * (garbled input, oversize frames: see SessionConfig).
 */
import { createServer, type Server, type Socket } from 'node:net';
import { createServer as createTlsServer, type TLSSocket, type TlsOptions } from 'node:tls';
import { FixFramer, FramingErrorCode, getDictionary, type FramingError, type MessageView } from '../codec/index.js';
import type { FixSession } from '../session/index.js';
import { attachSocket, type WireTap } from './connection.js';

/** Why the acceptor closed a connection before (or instead of) handing it to a session. */
export type AcceptorCutOffReason =
  /** Over maxConnections, maxPendingConnections or maxPendingPerAddress at accept. */
  | 'connection-limit'
  /** Bytes that do not frame as FIX (or a failed TLS handshake) before the Logon. */
  | 'garbage'
  /** A first frame above 64 KiB, or 64 KiB without a complete Logon. */
  | 'oversize'
  /** No complete Logon within logonWaitMs. */
  | 'logon-timeout'
  /** The first message is not a Logon. */
  | 'not-logon'
  /** sessions() knows no session for the Logon's CompIDs. */
  | 'unknown-session'
  /** The session already has a connection. */
  | 'duplicate';

export interface AcceptorCutOff {
  reason: AcceptorCutOffReason;
  /** Remote IP address ('' when the socket no longer knows it). */
  remoteAddress: string;
  detail: string;
  /** The Logon's SenderCompID, when the connection got that far. */
  senderCompID?: string;
}

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
  /** Open connections, logged on or not. Default DEFAULT_MAX_CONNECTIONS. */
  maxConnections?: number;
  /** Connections that have not produced their Logon yet. Default DEFAULT_MAX_PENDING_CONNECTIONS. */
  maxPendingConnections?: number;
  /** Such connections per remote address. Default DEFAULT_MAX_PENDING_PER_ADDRESS. */
  maxPendingPerAddress?: number;
  /** Once per connection the acceptor closes on its own (caps, garbage, timeouts, refused Logon). */
  onCutOff?: (cut: AcceptorCutOff) => void;
}

export interface AcceptorHandle {
  readonly port: number;
  readonly server: Server;
  close(): Promise<void>;
}

/** Far above any venue's session count, far below the usual 1024-4096 file descriptor limit. */
export const DEFAULT_MAX_CONNECTIONS = 512;
/** Honest clients log on within a round trip, so few are ever pending; each may hold 64 KiB of bytes. */
export const DEFAULT_MAX_PENDING_CONNECTIONS = 64;
/** One address cannot take every pending slot (a flood from one host leaves room for the others). */
export const DEFAULT_MAX_PENDING_PER_ADDRESS = 16;

const MAX_PRELOGON_BYTES = 65536;
const BEGIN = Uint8Array.of(0x38, 0x3d, 0x46, 0x49, 0x58); // "8=FIX"

/**
 * One framer decodes every connection's first message (only once all its bytes are here, then reset):
 * a framer costs a 128 KiB buffer and a 128 KiB view index, which a connection flood would otherwise
 * make us allocate and zero per connection.
 */
let firstMessageFramer: FixFramer | null = null;

/**
 * Bytes the first frame needs (BeginString to CheckSum) from its header `8=FIX...|9=len|`; -1 while
 * the header is incomplete; 0 when it is malformed or above the size limit (the framer then says why).
 * The checks are the framer's own (codec/framer.ts frame()), so the framer agrees with the verdict.
 */
function firstFrameLength(b: Uint8Array): number {
  const n = b.length;
  for (let k = 0; k < 5; k++) {
    if (k >= n) return -1;
    if (b[k] !== BEGIN[k]) return 0;
  }
  let p = 5;
  while (p < n && b[p] !== 0x01 && p < 24) p++;
  if (p >= n) return -1;
  if (b[p] !== 0x01) return 0;
  p++;
  if (p + 2 > n) return -1;
  if (b[p] !== 0x39 || b[p + 1] !== 0x3d) return 0;
  p += 2;
  const digitsAt = p;
  let bodyLength = 0;
  for (;;) {
    if (p >= n) return -1;
    const c = b[p]!;
    if (c === 0x01) break;
    if (c < 0x30 || c > 0x39 || p - digitsAt >= 7) return 0;
    bodyLength = bodyLength * 10 + (c - 0x30);
    p++;
  }
  if (p === digitsAt || bodyLength > MAX_PRELOGON_BYTES) return 0;
  return p + 1 + bodyLength + 7;
}

/** Reads the first message of a connection to find its session, keeping the bytes for the session. */
class PreLogon {
  private readonly chunks: Buffer[] = [];
  private size = 0;
  /** Total bytes of the first frame, once its header is known (0 before). */
  private need = 0;
  result: { sender: string; target: string; msgType: string } | { error: string; code: number } | null = null;

  push(chunk: Buffer): void {
    this.chunks.push(chunk);
    this.size += chunk.length;
    if (this.need === 0) {
      // A header is a few dozen bytes: joining chunks here is cheap and happens only while it is incomplete.
      const head = this.chunks.length === 1 ? chunk : Buffer.concat(this.chunks);
      const need = firstFrameLength(head);
      if (need === 0) { this.decode(head.subarray(0, 64)); return; }
      if (need > 0) this.need = need;
    }
    // The frame is judged once all its declared bytes are here, whatever else came in the same read.
    if (this.need > 0 && this.size >= this.need) this.decode(this.bytes().subarray(0, this.need));
    else if (this.size > MAX_PRELOGON_BYTES) this.result = { error: 'no Logon within 64 KiB', code: FramingErrorCode.MESSAGE_TOO_LARGE };
  }

  /** Runs the shared framer over bytes that decide the first message: a message, or why not. */
  private decode(bytes: Uint8Array): void {
    firstMessageFramer ??= new FixFramer(getDictionary({ kraken: false }), { maxMessageSize: MAX_PRELOGON_BYTES, resync: 'quickfix', tagSyntax: 'quickfix' });
    firstMessageFramer.push(bytes, this);
    firstMessageFramer.reset();
    // All its bytes were there and no message came out: its BodyLength does not end at a CheckSum.
    this.result ??= { error: 'first message is not a valid FIX frame', code: FramingErrorCode.BODY_LENGTH };
  }

  onMessage(view: MessageView): void {
    if (this.result !== null) return;
    this.result = { sender: view.getString(49) ?? '', target: view.getString(56) ?? '', msgType: view.getString(35) ?? '' };
  }

  onError(error: FramingError): void {
    if (this.result === null) this.result = { error: error.detail, code: error.code };
  }

  bytes(): Buffer {
    return this.chunks.length === 1 ? this.chunks[0]! : Buffer.concat(this.chunks);
  }
}

/** One accepted TCP connection until it is bound to a session or closed. */
class Pending {
  settled = false;
  timer: ReturnType<typeof setTimeout> | null = null;
  constructor(
    readonly raw: Socket,
    readonly address: string,
  ) {}
}

export function startAcceptor(options: AcceptorOptions): Promise<AcceptorHandle> {
  const host = options.host ?? '127.0.0.1';
  const tickMs = options.tickMs ?? 100;
  const logonWaitMs = options.logonWaitMs ?? 10_000;
  const maxConnections = options.maxConnections ?? DEFAULT_MAX_CONNECTIONS;
  const maxPending = options.maxPendingConnections ?? DEFAULT_MAX_PENDING_CONNECTIONS;
  const maxPendingPerAddress = options.maxPendingPerAddress ?? DEFAULT_MAX_PENDING_PER_ADDRESS;
  const bound = new Map<FixSession, Socket>();
  /** Raw TCP sockets (under TLS too): what close() destroys and maxConnections counts. */
  const sockets = new Set<Socket>();
  const pendingByAddress = new Map<string, number>();
  let pendingCount = 0;
  /** TLS: the secure socket arrives later than the raw one; they share remote address and port. */
  const pendingByPeer = new Map<string, Pending>();
  const peerKey = (s: Socket) => `${s.remoteAddress}|${s.remotePort}`;

  /** The connection leaves the pending set (bound, cut off or closed); idempotent. */
  const settle = (p: Pending) => {
    if (p.settled) return false;
    p.settled = true;
    if (p.timer !== null) clearTimeout(p.timer);
    pendingCount--;
    const n = (pendingByAddress.get(p.address) ?? 1) - 1;
    if (n <= 0) pendingByAddress.delete(p.address);
    else pendingByAddress.set(p.address, n);
    return true;
  };
  const cutOff = (p: Pending, reason: AcceptorCutOffReason, detail: string, senderCompID?: string) => {
    if (!settle(p)) return;
    p.raw.destroy();
    options.onCutOff?.({ reason, remoteAddress: p.address, detail, ...(senderCompID !== undefined ? { senderCompID } : {}) });
  };

  /** Every TCP connection, before TLS: caps first, so a flood costs an accept and a close. */
  const admit = (raw: Socket): Pending | null => {
    const address = raw.remoteAddress ?? '';
    const fromAddress = pendingByAddress.get(address) ?? 0;
    let refusal = '';
    if (sockets.size >= maxConnections) refusal = `${sockets.size} connections open (limit ${maxConnections})`;
    else if (pendingCount >= maxPending) refusal = `${pendingCount} connections waiting for a Logon (limit ${maxPending})`;
    else if (fromAddress >= maxPendingPerAddress) refusal = `${fromAddress} connections from ${address} waiting for a Logon (limit ${maxPendingPerAddress})`;
    if (refusal !== '') {
      raw.destroy();
      options.onCutOff?.({ reason: 'connection-limit', remoteAddress: address, detail: refusal });
      return null;
    }
    sockets.add(raw);
    pendingCount++;
    pendingByAddress.set(address, fromAddress + 1);
    const p = new Pending(raw, address);
    const key = peerKey(raw);
    if (options.tls) pendingByPeer.set(key, p);
    raw.on('close', () => {
      sockets.delete(raw);
      if (pendingByPeer.get(key) === p) pendingByPeer.delete(key);
      settle(p);
    });
    raw.on('error', () => raw.destroy());
    p.timer = setTimeout(() => cutOff(p, 'logon-timeout', `no Logon within ${logonWaitMs} ms`), logonWaitMs);
    return p;
  };

  /** The socket FIX bytes flow on (the raw one, or the TLS socket over it). */
  const serve = (socket: Socket, p: Pending) => {
    if (p.settled) { socket.destroy(); return; }
    socket.setNoDelay(true);
    socket.on('error', () => socket.destroy());
    const pre = new PreLogon();
    const onData = (chunk: Buffer) => {
      pre.push(chunk);
      const r = pre.result;
      if (r === null) return;
      socket.off('data', onData);
      if ('error' in r) {
        cutOff(p, r.code === FramingErrorCode.MESSAGE_TOO_LARGE ? 'oversize' : 'garbage', r.error);
        return;
      }
      if (r.msgType !== 'A') { cutOff(p, 'not-logon', `first message is 35=${r.msgType}, not a Logon`, r.sender); return; }
      const session = options.sessions(r.sender, r.target);
      if (session === undefined) { cutOff(p, 'unknown-session', `no session for ${r.sender} -> ${r.target}`, r.sender); return; }
      if (session.isConnected) { cutOff(p, 'duplicate', `${r.sender} -> ${r.target} already has a connection`, r.sender); return; }
      if (!settle(p)) return;
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

  let server: Server;
  if (options.tls) {
    // Caps and the Logon deadline apply from TCP accept: a peer that never finishes the handshake is
    // a pending connection like any other.
    const tlsServer = createTlsServer({ ...options.tls, handshakeTimeout: options.tls.handshakeTimeout ?? logonWaitMs });
    tlsServer.on('connection', (raw: Socket) => void admit(raw));
    tlsServer.on('secureConnection', (socket: TLSSocket) => {
      const p = pendingByPeer.get(peerKey(socket));
      if (p === undefined) { socket.destroy(); return; }
      pendingByPeer.delete(peerKey(socket));
      serve(socket, p);
    });
    tlsServer.on('tlsClientError', (err: Error, socket: TLSSocket) => {
      const p = pendingByPeer.get(peerKey(socket));
      if (p !== undefined) cutOff(p, 'garbage', `TLS handshake failed: ${err.message}`);
      else socket.destroy();
    });
    server = tlsServer;
  } else {
    server = createServer((raw: Socket) => {
      const p = admit(raw);
      if (p !== null) serve(raw, p);
    });
  }

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
            for (const s of bound.values()) s.destroy();
            server.close(() => done());
          }),
      });
    });
  });
}
