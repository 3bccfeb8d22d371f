/**
 * Round-trip client for the latency benchmark harness (bench/rtt): one FIX initiator on the calling
 * thread, built from the engine's own parts (SocketLink: preallocated read buffer and write slab; the
 * sans-I/O session; zero-copy framer and encoder). roundTrip() sends one NewOrderSingle and resolves
 * with the nanoseconds from just before it was encoded to just after its ExecutionReport New was
 * parsed. Several may be in flight (matched by ClOrdID).
 *
 *   createRttClient({ host, port, senderCompID, targetCompID, tls? })
 *     => Promise<{ maxInFlight; connect(); roundTrip(): Promise<number>; close(): Promise<void> }>
 *
 * Also accepts bench/rtt's RttEndpoint, or null: then it starts its own in-process fake venue.
 */
import { SystemClock, getDictionary, type MessageView } from '../codec/index.js';
import { FixSession } from '../session/index.js';
import { SequenceStore } from './seq-store.js';
import { SocketLink } from './socket-io.js';
import { FakeVenue } from './testing/fake-venue.js';

export interface RttClientOptions {
  host: string;
  port: number;
  senderCompID: string;
  targetCompID: string;
  tls?: { servername?: string; ca?: string; verify?: boolean };
  /** Orders in flight at most (power of two). Default 1024. */
  maxInFlight?: number;
  connectTimeoutMs?: number;
}

export interface RttClientHandle {
  readonly maxInFlight: number;
  /** Already connected when createRttClient resolves; kept for the bench/rtt RttClient contract. */
  connect(): Promise<void>;
  roundTrip(): Promise<number>;
  close(): Promise<void>;
}

const MT_NEW_ORDER_SINGLE = 0x44;
const MT_EXECUTION_REPORT = 0x38;
const SYMBOL = new Uint8Array([0x58, 0x42, 0x54, 0x2f, 0x55, 0x53, 0x44]); // XBT/USD

class RttClient implements RttClientHandle {
  readonly maxInFlight: number;
  private readonly session: FixSession;
  private readonly link: SocketLink;
  private readonly clock = new SystemClock();
  private readonly t0: Float64Array;
  private readonly ids: Float64Array;
  private readonly resolvers: (((ns: number) => void) | null)[];
  private readonly rejecters: (((e: Error) => void) | null)[];
  private readonly mask: number;
  private nextId = 0;
  private inFlight = 0;
  private loggedOn: (() => void) | null = null;
  private failed: ((e: Error) => void) | null = null;
  private closed = false;
  private readonly tick: NodeJS.Timeout;

  constructor(private readonly opts: RttClientOptions, private readonly venue: FakeVenue | null) {
    const n = opts.maxInFlight ?? 1024;
    if (!Number.isInteger(n) || n < 1 || (n & (n - 1)) !== 0) throw new RangeError(`createRttClient: maxInFlight must be a power of two, got ${n}`);
    this.maxInFlight = n;
    this.mask = n - 1;
    this.t0 = new Float64Array(n);
    this.ids = new Float64Array(n);
    this.resolvers = new Array(n).fill(null);
    this.rejecters = new Array(n).fill(null);
    this.link = new SocketLink(
      {
        onData: (chunk) => this.session.onBytes(chunk),
        onClose: (reason) => this.onClose(reason),
      },
      { host: opts.host, port: opts.port, tls: opts.tls ? { ...opts.tls, verify: opts.tls.verify ?? true } : null, connectTimeoutMs: opts.connectTimeoutMs },
    );
    this.session = new FixSession({
      role: 'initiator',
      senderCompID: opts.senderCompID,
      targetCompID: opts.targetCompID,
      dictionary: getDictionary({ kraken: false }),
      store: new SequenceStore(),
      clock: this.clock,
      heartBtIntSec: 30,
      resetSeqNumOnLogon: true,
      resendPolicy: 'gap-fill-all',
      application: {
        onLogon: () => this.loggedOn?.(),
        onAppMessage: (_s, view) => this.onMessage(view),
        onEvent: (_s, e) => {
          if (e.kind === 'disconnect') this.failed?.(new Error(`rtt client: disconnected: ${e.text}`));
        },
      },
    });
    this.tick = setInterval(() => this.session.onTimer(), 100);
    this.tick.unref();
  }

  async start(): Promise<void> {
    await this.link.connect();
    await new Promise<void>((resolve, reject) => {
      const t = setTimeout(() => reject(new Error('rtt client: no Logon answer within 10 s')), 10_000);
      this.loggedOn = () => {
        clearTimeout(t);
        resolve();
      };
      this.failed = (e) => {
        clearTimeout(t);
        reject(e);
      };
      this.session.onConnect(this.link);
    });
    this.failed = (e) => this.failAll(e);
  }

  connect(): Promise<void> {
    return this.closed ? Promise.reject(new Error('rtt client: closed')) : Promise.resolve();
  }

  roundTrip(): Promise<number> {
    if (!this.session.isLoggedOn) return Promise.reject(new Error('rtt client: not logged on'));
    if (this.inFlight >= this.maxInFlight) return Promise.reject(new Error(`rtt client: more than ${this.maxInFlight} in flight`));
    const id = ++this.nextId;
    const slot = id & this.mask;
    return new Promise<number>((resolve, reject) => {
      this.resolvers[slot] = resolve;
      this.rejecters[slot] = reject;
      this.ids[slot] = id;
      this.inFlight++;
      const now = this.clock.nowMicros();
      this.t0[slot] = performance.now() * 1e6;
      const enc = this.session.beginMessage(MT_NEW_ORDER_SINGLE);
      enc.int(11, id).char(54, 0x31).timestamp(60, now).char(40, 0x32).bytes(55, SYMBOL).int(38, 1).decimal(44, 1005, 1);
      this.session.send();
    });
  }

  private onMessage(view: MessageView): void {
    if (view.msgTypeCode !== MT_EXECUTION_REPORT) return;
    const t = performance.now() * 1e6;
    const id = view.getInt(11);
    if (!(id > 0)) return;
    const slot = id & this.mask;
    if (this.ids[slot] !== id) return;
    const resolve = this.resolvers[slot];
    const reject = this.rejecters[slot];
    this.resolvers[slot] = null;
    this.rejecters[slot] = null;
    this.ids[slot] = 0;
    this.inFlight--;
    if (view.getChar(150) === 0x30) resolve?.(t - this.t0[slot]!);
    else reject?.(new Error(`rtt client: ExecutionReport ExecType ${view.getString(150)} for ClOrdID ${id}`));
  }

  private onClose(reason: string): void {
    this.session.onDisconnect(reason);
    this.failAll(new Error(`rtt client: connection closed (${reason})`));
  }

  private failAll(e: Error): void {
    for (let i = 0; i < this.maxInFlight; i++) {
      const r = this.rejecters[i];
      this.resolvers[i] = null;
      this.rejecters[i] = null;
      r?.(e);
    }
    this.inFlight = 0;
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    this.failed = null;
    if (this.session.isLoggedOn) {
      this.session.logout('');
      const deadline = Date.now() + 1000;
      while (this.session.isConnected && Date.now() < deadline) await new Promise((r) => setTimeout(r, 5));
    }
    clearInterval(this.tick);
    this.link.destroy();
    this.failAll(new Error('rtt client: closed'));
    await this.venue?.close();
  }
}

/** See the file comment. `null` starts an in-process fake venue on an ephemeral loopback port. */
export async function createRttClient(
  target: RttClientOptions | { host: string; port: number; senderCompID: string; targetCompID: string } | null,
): Promise<RttClientHandle> {
  let venue: FakeVenue | null = null;
  let opts: RttClientOptions;
  if (target === null) {
    venue = await FakeVenue.start({ symbols: [{ symbol: 'XBT/USD', mid: 1005, priceScale: 1, qtyScale: 0, tick: 1 }] });
    opts = { host: '127.0.0.1', port: venue.port, senderCompID: 'RTT', targetCompID: 'VENUE' };
  } else {
    opts = target;
  }
  const client = new RttClient(opts, venue);
  try {
    await client.start();
  } catch (e) {
    await client.close().catch(() => undefined);
    throw e;
  }
  return client;
}
