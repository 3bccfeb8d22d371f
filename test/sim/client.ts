/**
 * A raw FIX test client for the simulator scenario tests: a socket, a FixEncoder and a FixFramer, so
 * the tests see every message the simulator sends (session Rejects and Logouts included) and control
 * every byte they send (Kraken's logon signature, bad nonces, missing fields).
 */
import { connect, type Socket } from 'node:net';
import { connect as tlsConnect } from 'node:tls';
import { FixEncoder, FixFramer, getDictionary, msgTypeCode, type Clock, type MessageView } from '../../src/codec/index.js';
import { krakenLogonPassword } from '../../src/kraken/auth.js';
import { Credentials } from '../../src/kraken/credentials.js';

export interface Msg {
  type: string;
  fields: [number, string][];
  raw: string;
  get(tag: number): string | undefined;
  all(tag: number): string[];
}

function toMsg(view: MessageView): Msg {
  const fields = view.toFields();
  return {
    type: view.getString(35) ?? '',
    fields,
    raw: view.toString(),
    get: (tag) => fields.find(([t]) => t === tag)?.[1],
    all: (tag) => fields.filter(([t]) => t === tag).map(([, v]) => v),
  };
}

export interface ClientOptions {
  port: number;
  sender: string;
  target: string;
  clock: Clock;
  tls?: { ca: string };
}

export interface LogonOptions {
  apiKey?: string;
  apiSecret?: string;
  /** Nonce text (default: the clock in ms). */
  nonce?: string;
  /** Corrupt the signature. */
  badSignature?: boolean;
  reset?: boolean;
  /** 8674: true -> 0 (cancel), false -> 1 (keep). Omitted: not sent (default cancel). */
  cancelOnDisconnect?: boolean;
  heartBtInt?: number;
}

export class TestClient {
  readonly received: Msg[] = [];
  /** Every byte received, in order (market-data reproducibility). */
  readonly bytes: Buffer[] = [];
  seq = 1;
  closed = false;
  private readonly encoder: FixEncoder;
  private readonly framer = new FixFramer(getDictionary({ kraken: true }), { maxMessageSize: 1 << 20, maxFields: 16384 });
  private waiters: (() => void)[] = [];
  private readonly closedPromise: Promise<void>;

  private constructor(
    readonly socket: Socket,
    readonly o: ClientOptions,
  ) {
    this.encoder = new FixEncoder({ senderCompID: o.sender, targetCompID: o.target, capacity: 1 << 16 });
    const handler = {
      onMessage: (v: MessageView) => this.received.push(toMsg(v)),
      onError: () => {},
    };
    socket.on('data', (chunk: Buffer) => {
      this.bytes.push(Buffer.from(chunk));
      this.framer.push(chunk, handler);
      this.wake();
    });
    this.closedPromise = new Promise((resolve) => {
      socket.on('close', () => {
        this.closed = true;
        this.wake();
        resolve();
      });
    });
    socket.on('error', () => {});
  }

  static connect(o: ClientOptions): Promise<TestClient> {
    return new Promise((resolve, reject) => {
      const socket = o.tls
        ? tlsConnect({ host: '127.0.0.1', port: o.port, ca: o.tls.ca, minVersion: 'TLSv1.3' }, () => resolve(new TestClient(socket, o)))
        : connect({ host: '127.0.0.1', port: o.port }, () => resolve(new TestClient(socket, o)));
      socket.once('error', reject);
      socket.setNoDelay(true);
    });
  }

  private wake(): void {
    const w = this.waiters;
    this.waiters = [];
    for (const f of w) f();
  }

  /** Sends one message; values are written as given, in order, after the standard header. */
  send(msgType: string, fields: readonly (readonly [number, string | number])[], seq = this.seq++): void {
    const enc = this.encoder.begin(msgTypeCode(msgType), seq, this.o.clock.nowMicros());
    for (const [tag, value] of fields) enc.str(tag, String(value));
    enc.finish();
    this.socket.write(Buffer.from(enc.message()));
  }

  /** Kraken Logon: 98, 108, 141 and (trading) 553/554/5025 signed over this Logon's 34/49/56. */
  logon(l: LogonOptions = {}): void {
    const seq = (l.reset ?? true) ? 1 : this.seq;
    if (l.reset ?? true) this.seq = 1;
    const fields: [number, string | number][] = [[98, 0], [108, l.heartBtInt ?? 30]];
    if (l.reset ?? true) fields.push([141, 'Y']);
    if (l.apiKey !== undefined && l.apiSecret !== undefined) {
      const nonce = l.nonce ?? String(Math.floor(this.o.clock.nowMicros() / 1000));
      let password = krakenLogonPassword(new Credentials(l.apiKey, l.apiSecret), {
        msgSeqNum: seq,
        senderCompID: this.o.sender,
        targetCompID: this.o.target,
        nonce,
      });
      if (l.badSignature) password = (password[0] === 'A' ? 'B' : 'A') + password.slice(1);
      fields.push([553, l.apiKey], [554, password], [5025, nonce]);
    }
    if (l.cancelOnDisconnect !== undefined) fields.push([8674, l.cancelOnDisconnect ? 0 : 1]);
    this.send('A', fields);
  }

  /** Waits until `pred` holds for some message received at or after index `from`; returns it. */
  async waitFor(pred: (m: Msg) => boolean, timeoutMs = 5000, from = 0): Promise<Msg> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      for (let i = from; i < this.received.length; i++) if (pred(this.received[i]!)) return this.received[i]!;
      const left = deadline - Date.now();
      if (left <= 0) throw new Error(`timed out; received: ${this.received.map((m) => m.raw).join('\n')}`);
      await new Promise<void>((resolve) => {
        const t = setTimeout(resolve, Math.min(left, 200));
        this.waiters.push(() => {
          clearTimeout(t);
          resolve();
        });
      });
    }
  }

  /** Waits for `n` messages of `type` after index `from`; returns them. */
  async waitCount(type: string, n: number, from = 0, timeoutMs = 5000): Promise<Msg[]> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const got = this.received.slice(from).filter((m) => m.type === type);
      if (got.length >= n) return got.slice(0, n);
      if (Date.now() > deadline) throw new Error(`expected ${n} x 35=${type}, got ${got.length}: ${this.received.slice(from).map((m) => m.raw).join('\n')}`);
      await new Promise((r) => setTimeout(r, 10));
    }
  }

  /** Resolves once nothing new arrived for `quietMs`. */
  async settle(quietMs = 100): Promise<void> {
    let n = -1;
    while (n !== this.received.length) {
      n = this.received.length;
      await new Promise((r) => setTimeout(r, quietMs));
    }
  }

  waitClosed(timeoutMs = 5000): Promise<void> {
    return Promise.race([this.closedPromise, new Promise<void>((_, rej) => setTimeout(() => rej(new Error('not closed')), timeoutMs))]);
  }

  close(): void {
    this.socket.destroy();
  }
}
