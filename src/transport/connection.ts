/**
 * One socket attached to one session: implements SessionOutput over a net.Socket and feeds the
 * session bytes. Writes are copied (the session reuses its encoder buffer). disconnect() ends the
 * socket gracefully (pending writes first) and destroys it if the peer does not close in time.
 *
 * Outbound bytes the kernel has not taken are bounded (maxBufferedBytes): a peer that stops reading
 * would otherwise grow Node's write queue without limit. Past the bound the connection is dropped
 * and the session is told why; what it had sent is in its store, to be resent after reconnect.
 */
import type { Socket } from 'node:net';
import type { FixSession, SessionOutput } from '../session/index.js';

const FORCE_CLOSE_MS = 1000;

/** Sees the bytes of a connection (FIX message logs); called on the transport's thread, never on a hot path. */
export interface WireTap {
  inbound(chunk: Uint8Array): void;
  outbound(bytes: Uint8Array, offset: number, length: number): void;
}
export const DEFAULT_MAX_BUFFERED_BYTES = 16 * 1024 * 1024;

export class SocketOutput implements SessionOutput {
  /** Set once the session let go of this connection: nothing more flows either way. */
  closing = false;
  /** Why the connection ended, as first known (session's reason, overflow, peer close, error). */
  reason: string | null = null;

  constructor(
    private readonly socket: Socket,
    readonly maxBufferedBytes = DEFAULT_MAX_BUFFERED_BYTES,
    private readonly tap: WireTap | null = null,
  ) {}

  write(bytes: Uint8Array, offset: number, length: number): void {
    if (this.closing || this.socket.destroyed) return;
    if (this.tap !== null) this.tap.outbound(bytes, offset, length);
    this.socket.write(Buffer.from(bytes.subarray(offset, offset + length)));
    const queued = this.socket.writableLength;
    if (queued > this.maxBufferedBytes) this.overflow(queued);
  }

  disconnect(reason: string): void {
    if (this.closing) return;
    this.closing = true;
    this.reason ??= reason;
    this.socket.end();
    const timer = setTimeout(() => this.socket.destroy(), FORCE_CLOSE_MS);
    timer.unref();
  }

  /** Drops the connection at once (unsent bytes discarded); the session learns `reason` on close. */
  abort(reason: string): void {
    this.reason ??= reason;
    this.socket.destroy();
  }

  private overflow(queued: number): void {
    // destroy() frees the queue now; writes that follow are dropped (socket.destroyed).
    this.abort(`outbound buffer limit exceeded: ${queued} bytes not taken by the peer (limit ${this.maxBufferedBytes}); connection dropped`);
  }
}

export interface AttachOptions {
  /** Bytes already read from the socket (the acceptor reads the Logon to find the session). */
  initialBytes?: Uint8Array;
  /** Bound on bytes queued in Node for this socket. Default 16 MiB. */
  maxBufferedBytes?: number;
  /** After each chunk was handed to the session (the initiator checks for its Logon answer here). */
  onBytes?: () => void;
  /** Once, when the connection is gone, with the first known reason; after session.onDisconnect. */
  onClose?: (reason: string) => void;
  /** Copy of the bytes both ways (FIX message log). */
  tap?: WireTap;
}

export interface Attachment {
  readonly output: SocketOutput;
  /** Stops feeding the session (the socket stays as it is). */
  detach(): void;
}

/** Wires a connected socket to a session: the session's Logon (initiator) goes out now. */
export function attachSocket(socket: Socket, session: FixSession, initial?: Uint8Array | AttachOptions): Attachment {
  const options: AttachOptions = initial instanceof Uint8Array ? { initialBytes: initial } : (initial ?? {});
  const output = new SocketOutput(socket, options.maxBufferedBytes, options.tap ?? null);
  const tap = options.tap;
  let attached = true;
  // Once the session has disconnected (output.closing) it may already serve a new connection:
  // this socket's late bytes and close must not reach it.
  const onData = (chunk: Buffer) => {
    if (!attached || output.closing) return;
    if (tap) tap.inbound(chunk);
    session.onBytes(chunk);
    options.onBytes?.();
  };
  const closeWith = (reason: string) => {
    if (!attached) return;
    attached = false;
    output.reason ??= reason;
    if (!output.closing) {
      output.closing = true;
      session.onDisconnect(output.reason);
    }
    options.onClose?.(output.reason);
  };
  socket.on('data', onData);
  socket.on('end', () => closeWith('connection closed by peer'));
  socket.on('close', () => closeWith('connection closed'));
  socket.on('error', (err: Error) => closeWith(`connection error: ${err.message}`));
  session.onConnect(output);
  if (options.initialBytes && options.initialBytes.length > 0) {
    if (tap) tap.inbound(options.initialBytes);
    session.onBytes(options.initialBytes);
  }
  return {
    output,
    detach: () => {
      attached = false;
      socket.off('data', onData);
    },
  };
}
