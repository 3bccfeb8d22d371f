/**
 * The hot path's socket: reads into one preallocated buffer (net's `onread`, so Node does not allocate
 * a Buffer per read), writes from a preallocated slab ring, and timestamps both ends.
 *
 * Allocation that remains (measured in bench/engine.bench.ts, see README there):
 *  - per read: none after warm-up (a view of the read buffer is cached per chunk length);
 *  - per write: one Uint8Array view into the slab plus Node's own write request object. Node's
 *    socket.write keeps a reference to the chunk until the kernel took it, so the view must be new.
 *  - TLS: Node's TLS layer allocates per record in both directions (onread is not available there).
 * When the kernel does not keep up (writableLength near half the slab), writes fall back to a copy
 * and are counted (EngineCounter.WRITE_COPIES).
 */
import { connect, type Socket } from 'node:net';
import { connect as connectTls, type TLSSocket } from 'node:tls';
import { monoNs } from '../ipc/index.js';
import type { SessionOutput } from '../session/index.js';
import { clientTlsOptions, explainTlsError } from '../transport/tls-options.js';

export interface SocketLinkHandler {
  /** Bytes from the socket; the view is valid during the call only. `tRead` is monoNs at arrival. */
  onData(chunk: Uint8Array, tRead: number): void;
  onClose(reason: string): void;
}

export interface SocketLinkOptions {
  host: string;
  port: number;
  tls?: { servername?: string; ca?: string; verify: boolean } | null;
  readBufferBytes?: number;
  slabBytes?: number;
  connectTimeoutMs?: number;
  warn?: (message: string) => void;
}

const MAX_MESSAGE = 65_536;

export class SocketLink implements SessionOutput {
  socket: Socket | null = null;
  /** monoNs when the last message was handed to write() (encode done) and after socket.write returned. */
  lastEncodeDoneNs = 0;
  lastWriteNs = 0;
  writes = 0;
  bytesOut = 0;
  reads = 0;
  bytesIn = 0;
  writeCopies = 0;
  private closing = false;
  private readonly readBuf: Buffer;
  private readonly readViews: (Uint8Array | undefined)[];
  private readonly slab: Buffer;
  private slabPos = 0;

  constructor(private readonly handler: SocketLinkHandler, private readonly opts: SocketLinkOptions) {
    this.readBuf = Buffer.allocUnsafeSlow(opts.readBufferBytes ?? 1 << 16);
    this.readViews = new Array(this.readBuf.length + 1);
    this.slab = Buffer.allocUnsafeSlow(Math.max(opts.slabBytes ?? 1 << 20, 4 * MAX_MESSAGE));
  }

  /**
   * Dials (again: the engine reconnects on the same link). A socket still closing from the previous
   * connection is destroyed first and its late 'close' is ignored, so it cannot end the new session.
   */
  connect(): Promise<void> {
    const { host, port } = this.opts;
    const old = this.socket;
    this.socket = null;
    old?.destroy();
    this.closing = false;
    return new Promise((resolve, reject) => {
      const onRead = (n: number): boolean => {
        const t = monoNs();
        this.reads++;
        this.bytesIn += n;
        let view = this.readViews[n];
        if (view === undefined) view = this.readViews[n] = this.readBuf.subarray(0, n);
        this.handler.onData(view, t);
        return true;
      };
      let socket: Socket;
      if (this.opts.tls) {
        const tlsOpts = clientTlsOptions({ host, ...this.opts.tls }, this.opts.warn ?? ((m) => console.warn(m)));
        socket = connectTls({ ...tlsOpts, host, port });
        socket.on('data', (chunk: Buffer) => {
          const t = monoNs();
          this.reads++;
          this.bytesIn += chunk.length;
          this.handler.onData(chunk, t);
        });
      } else {
        socket = connect({ host, port, onread: { buffer: this.readBuf, callback: onRead } } as unknown as import("node:net").NetConnectOpts);
      }
      socket.setNoDelay(true);
      const timer = setTimeout(() => {
        socket.destroy();
        reject(new Error(`connect to ${host}:${port} timed out`));
      }, this.opts.connectTimeoutMs ?? 10_000);
      socket.once('error', (err: Error & { code?: string }) => {
        clearTimeout(timer);
        // Certificate and handshake failures get the transport's explanation (what to trust, which peer).
        const tlsFailure = this.opts.tls && /^ERR_SSL|CERT|SELF_SIGNED|UNABLE_TO|HOSTNAME|ERR_TLS/.test(err.code ?? '');
        reject(new Error(`connect to ${host}:${port} failed: ${tlsFailure ? explainTlsError(err, socket as TLSSocket, host) : err.message}`));
      });
      socket.once(this.opts.tls ? 'secureConnect' : 'connect', () => {
        clearTimeout(timer);
        socket.removeAllListeners('error');
        socket.on('error', () => socket.destroy());
        socket.once('close', () => {
          if (this.socket !== socket) return;
          this.socket = null;
          this.handler.onClose(this.closing ? 'closed by us' : 'connection closed by peer');
        });
        this.socket = socket;
        resolve();
      });
    });
  }

  /** SessionOutput: the session finished encoding a message into its buffer. */
  write(bytes: Uint8Array, offset: number, length: number): void {
    this.lastEncodeDoneNs = monoNs();
    const s = this.socket;
    if (s === null || this.closing) return;
    const slab = this.slab;
    let chunk: Uint8Array;
    if (length <= MAX_MESSAGE && s.writableLength + length + MAX_MESSAGE <= slab.length >> 1) {
      if (this.slabPos + length > slab.length) this.slabPos = 0;
      const p = this.slabPos;
      for (let i = 0; i < length; i++) slab[p + i] = bytes[offset + i]!;
      chunk = slab.subarray(p, p + length);
      this.slabPos = (p + length + 7) & ~7;
    } else {
      chunk = Buffer.from(bytes.subarray(offset, offset + length));
      this.writeCopies++;
    }
    s.write(chunk);
    this.writes++;
    this.bytesOut += length;
    this.lastWriteNs = monoNs();
  }

  /** SessionOutput: end after pending writes; destroy if the peer does not close in time. */
  disconnect(_reason: string): void {
    if (this.closing) return;
    this.closing = true;
    const s = this.socket;
    if (s === null) return;
    s.end();
    setTimeout(() => s.destroy(), 1000).unref();
  }

  pause(): void {
    this.socket?.pause();
  }

  resume(): void {
    this.socket?.resume();
  }

  destroy(): void {
    this.closing = true;
    this.socket?.destroy();
  }
}
