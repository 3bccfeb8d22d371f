/**
 * One TCP socket attached to one session: implements SessionOutput over a net.Socket and feeds the
 * session bytes. Writes are copied (the session reuses its encoder buffer). disconnect() ends the
 * socket gracefully (pending writes first) and destroys it if the peer does not close in time.
 */
import type { Socket } from 'node:net';
import type { FixSession, SessionOutput } from '../session/index.js';

const FORCE_CLOSE_MS = 1000;

export class SocketOutput implements SessionOutput {
  /** Set once the session let go of this connection: nothing more flows either way. */
  closing = false;

  constructor(private readonly socket: Socket) {}

  write(bytes: Uint8Array, offset: number, length: number): void {
    if (this.closing || this.socket.destroyed) return;
    this.socket.write(Buffer.from(bytes.subarray(offset, offset + length)));
  }

  disconnect(_reason: string): void {
    if (this.closing) return;
    this.closing = true;
    this.socket.end();
    const timer = setTimeout(() => this.socket.destroy(), FORCE_CLOSE_MS);
    timer.unref();
  }
}

/** Wires a connected socket to a session; returns a function that detaches it. */
export function attachSocket(socket: Socket, session: FixSession, initialBytes?: Uint8Array): () => void {
  const output = new SocketOutput(socket);
  let attached = true;
  // Once the session has disconnected (output.closing) it may already serve a new connection:
  // this socket's late bytes and close must not reach it.
  const onData = (chunk: Buffer) => {
    if (attached && !output.closing) session.onBytes(chunk);
  };
  const onClose = () => {
    if (!attached) return;
    attached = false;
    if (!output.closing) {
      output.closing = true;
      session.onDisconnect('connection closed by peer');
    }
  };
  socket.on('data', onData);
  socket.on('end', onClose);
  socket.on('close', onClose);
  socket.on('error', onClose);
  session.onConnect(output);
  if (initialBytes && initialBytes.length > 0) session.onBytes(initialBytes);
  return () => {
    attached = false;
    socket.off('data', onData);
  };
}
