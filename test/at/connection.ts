// One TCP connection of the AT runner: buffers what the acceptor sends and frames it the way
// QuickFIX's runner does (test/FixParser.rb): up to `SOH 9=`, the BodyLength digits, that many
// bytes, then the CheckSum field up to its SOH. Every wait takes a deadline, so nothing hangs.
// A peer close and a connection reset are the same thing here: the connection is "closed".

import { Socket, connect } from 'node:net';

export type ReadResult =
  | { kind: 'message'; message: string }
  | { kind: 'closed'; partial: string }
  | { kind: 'timeout'; partial: string }
  | { kind: 'garbled'; partial: string; reason: string };

export type DisconnectResult = { kind: 'closed' } | { kind: 'data'; data: string } | { kind: 'timeout' };

const SOH_9 = '\x019=';

export class AtConnection {
  private buffer = '';
  private closedByPeer = false;
  private closedByUs = false;
  private wake: (() => void) | null = null;

  private constructor(private readonly socket: Socket) {
    socket.setNoDelay(true);
    socket.on('data', (chunk: Buffer) => {
      this.buffer += chunk.toString('latin1');
      this.notify();
    });
    socket.on('end', () => this.markClosed());
    socket.on('close', () => this.markClosed());
    // ECONNRESET / EPIPE: counted as a disconnect, never thrown.
    socket.on('error', () => this.markClosed());
  }

  /** Opens a connection or rejects with a clear Error after timeoutMs. */
  static open(host: string, port: number, timeoutMs: number): Promise<AtConnection> {
    return new Promise((resolvePromise, reject) => {
      const socket = connect({ host, port });
      const timer = setTimeout(() => {
        socket.destroy();
        reject(new Error(`connect to ${host}:${port} timed out after ${timeoutMs} ms`));
      }, timeoutMs);
      socket.once('connect', () => {
        clearTimeout(timer);
        resolvePromise(new AtConnection(socket));
      });
      socket.once('error', (err) => {
        clearTimeout(timer);
        socket.destroy();
        reject(new Error(`connect to ${host}:${port} failed: ${err.message}`));
      });
    });
  }

  get isClosed(): boolean {
    return this.closedByPeer || this.closedByUs;
  }

  /** Sends bytes; a connection the acceptor already closed swallows them (the next E/e step reports it). */
  send(text: string): void {
    if (this.isClosed || !this.socket.writable) return;
    this.socket.write(Buffer.from(text, 'latin1'));
  }

  close(): void {
    this.closedByUs = true;
    this.socket.destroy();
    this.notify();
  }

  /** Reads the next framed message, waiting until deadline (epoch ms). */
  async readMessage(deadline: number): Promise<ReadResult> {
    for (;;) {
      const framed = this.tryFrame();
      if (framed !== null) return framed;
      if (this.isClosed) return { kind: 'closed', partial: this.takeAll() };
      if (!(await this.waitForChange(deadline))) return { kind: 'timeout', partial: this.buffer };
    }
  }

  /** Waits for the acceptor to close the connection; any data (buffered or arriving) is reported. */
  async waitDisconnect(deadline: number): Promise<DisconnectResult> {
    for (;;) {
      if (this.buffer.length > 0) return { kind: 'data', data: this.takeAll() };
      if (this.isClosed) return { kind: 'closed' };
      if (!(await this.waitForChange(deadline))) return { kind: 'timeout' };
    }
  }

  private tryFrame(): ReadResult | null {
    const lengthTag = this.buffer.indexOf(SOH_9);
    if (lengthTag < 0) return null;
    const lengthStart = lengthTag + SOH_9.length;
    const lengthEnd = this.buffer.indexOf('\x01', lengthStart);
    if (lengthEnd < 0) return null;
    const lengthText = this.buffer.slice(lengthStart, lengthEnd);
    if (!/^\d+$/.test(lengthText)) {
      // QuickFIX's runner closes the socket here; nothing after it can be framed.
      return { kind: 'garbled', partial: this.takeAll(), reason: `BodyLength '${lengthText}' is not a number` };
    }
    const bodyEnd = lengthEnd + 1 + Number(lengthText);
    if (this.buffer.length < bodyEnd) return null;
    const checksumEnd = this.buffer.indexOf('\x01', bodyEnd);
    if (checksumEnd < 0) return null;
    const message = this.buffer.slice(0, checksumEnd + 1);
    this.buffer = this.buffer.slice(checksumEnd + 1);
    return { kind: 'message', message };
  }

  private takeAll(): string {
    const all = this.buffer;
    this.buffer = '';
    return all;
  }

  private markClosed(): void {
    this.closedByPeer = true;
    this.notify();
  }

  private notify(): void {
    const wake = this.wake;
    this.wake = null;
    if (wake !== null) wake();
  }

  /** Resolves true on the next data/close event, false when the deadline passes first. */
  private waitForChange(deadline: number): Promise<boolean> {
    const remaining = deadline - Date.now();
    if (remaining <= 0) return Promise.resolve(false);
    return new Promise((resolvePromise) => {
      const timer = setTimeout(() => {
        this.wake = null;
        resolvePromise(false);
      }, remaining);
      this.wake = () => {
        clearTimeout(timer);
        resolvePromise(true);
      };
    });
  }
}
