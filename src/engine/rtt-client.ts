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
 * Against Kraken (or our simulator): pass `credentials` (Logon 553/554/5025, Kraken dictionary) and an
 * `order` template the venue accepts (e.g. an IOC on an empty book, COMB UUID ClOrdIDs on Derivatives).
 */
import { SystemClock, getDictionary, type MessageView } from '../codec/index.js';
import { Credentials, NonceSource, logonAuthFields } from '../kraken/index.js';
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
  /** Kraken logon authentication (553/554/5025, signed per Logon); also selects the Kraken dictionary. */
  credentials?: Credentials;
  /** The NewOrderSingle sent; default: a plain FIX 4.4 limit order (XBT/USD, 1 @ 100.5, integer ClOrdIDs). */
  order?: RttOrderTemplate;
}

/** Fields of the NewOrderSingle, as sent (decimals as text, so the venue's scale rules apply as is). */
export interface RttOrderTemplate {
  /** 55 */
  symbol: string;
  /** 54: '1' buy, '2' sell. Default '1'. */
  side?: '1' | '2';
  /** 38 */
  orderQty: string;
  /** 44 (40 is always 2, limit) */
  price: string;
  /** 59 when set: '3' (IOC) keeps orders from resting on the venue's book. */
  timeInForce?: string;
  /** 18 when set: Kraken Derivatives needs 's' (single fee). */
  execInst?: string;
  /**
   * 11: 'integer' (1, 2, 3...) or 'comb-uuid' (time-first v4 UUID, Kraken Derivatives §4.12): the time
   * prefix follows the wall clock (strictly increasing) and the last 12 hex digits carry the order number.
   */
  clOrdID?: 'integer' | 'comb-uuid';
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
const MT_BUSINESS_REJECT = 0x6a;
const SYMBOL = new Uint8Array([0x58, 0x42, 0x54, 0x2f, 0x55, 0x53, 0x44]); // XBT/USD
const HEX = new Uint8Array([0x30, 0x31, 0x32, 0x33, 0x34, 0x35, 0x36, 0x37, 0x38, 0x39, 0x61, 0x62, 0x63, 0x64, 0x65, 0x66]);
/** Where the order number sits in a COMB ClOrdID: the last 12 hex digits. */
const COMB_ID_AT = 24;
const COMB_ID_DIGITS = 12;

/** The template's fields as bytes, encoded once. */
class EncodedOrder {
  readonly symbol: Uint8Array;
  readonly side: number;
  readonly qty: Uint8Array;
  readonly price: Uint8Array;
  readonly tif: number;
  readonly execInst: Uint8Array | null;
  readonly comb: Uint8Array | null;
  /** Last COMB time prefix issued, in 10-µs units. */
  combTime = 0;

  constructor(t: RttOrderTemplate) {
    const text = (name: string, v: string): Uint8Array => {
      if (typeof v !== 'string' || v.length === 0 || !/^[\x21-\x7e]+$/.test(v)) throw new RangeError(`createRttClient: order.${name} must be printable ASCII, got ${JSON.stringify(v)}`);
      return new TextEncoder().encode(v);
    };
    this.symbol = text('symbol', t.symbol);
    this.qty = text('orderQty', t.orderQty);
    this.price = text('price', t.price);
    const side = t.side ?? '1';
    if (side !== '1' && side !== '2') throw new RangeError(`createRttClient: order.side must be '1' or '2', got ${JSON.stringify(side)}`);
    this.side = side.charCodeAt(0);
    if (t.timeInForce !== undefined && !/^[0-9]$/.test(t.timeInForce)) throw new RangeError(`createRttClient: order.timeInForce must be one digit, got ${JSON.stringify(t.timeInForce)}`);
    this.tif = t.timeInForce === undefined ? -1 : t.timeInForce.charCodeAt(0);
    this.execInst = t.execInst === undefined ? null : text('execInst', t.execInst);
    const format = t.clOrdID ?? 'integer';
    if (format !== 'integer' && format !== 'comb-uuid') throw new RangeError(`createRttClient: order.clOrdID must be 'integer' or 'comb-uuid', got ${JSON.stringify(format)}`);
    if (format === 'comb-uuid') {
      // tttttttt-tttt-4rrr-8rrr-nnnnnnnnnnnn: fixed random middle per client, the order number at the end.
      const mid = Math.floor(Math.random() * 0x1000000).toString(16).padStart(6, '0');
      this.comb = new TextEncoder().encode(`00000000-0000-4${mid.slice(0, 3)}-8${mid.slice(3)}-000000000000`);
    } else {
      this.comb = null;
    }
  }

  /** Writes the next COMB ClOrdID for order number `id` into `comb` (no allocation). */
  nextComb(id: number): Uint8Array {
    const b = this.comb!;
    const now = Math.floor((performance.timeOrigin + performance.now()) * 100);
    const t = now > this.combTime ? now : this.combTime + 1;
    this.combTime = t;
    let v = t;
    for (let i = 12; i >= 0; i--) {
      if (i === 8) continue;
      b[i] = HEX[v % 16]!;
      v = Math.floor(v / 16);
    }
    v = id;
    for (let i = COMB_ID_AT + COMB_ID_DIGITS - 1; i >= COMB_ID_AT; i--) {
      b[i] = HEX[v % 16]!;
      v = Math.floor(v / 16);
    }
    return b;
  }
}

/** The order number in a COMB ClOrdID's last 12 hex digits; NaN when field i is not one of ours. */
function combOrderNumber(view: MessageView, i: number): number {
  if (view.lengths[i] !== 36) return NaN;
  const buf = view.buffer;
  let v = 0;
  for (let p = view.offsets[i]! + COMB_ID_AT, end = p + COMB_ID_DIGITS; p < end; p++) {
    const c = buf[p]!;
    const d = c >= 0x30 && c <= 0x39 ? c - 0x30 : c >= 0x61 && c <= 0x66 ? c - 0x57 : c >= 0x41 && c <= 0x46 ? c - 0x37 : -1;
    if (d < 0) return NaN;
    v = v * 16 + d;
  }
  return v;
}

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
  private readonly order: EncodedOrder | null;
  private readonly nonces = new NonceSource();

  constructor(opts: RttClientOptions, private readonly venue: FakeVenue | null) {
    const n = opts.maxInFlight ?? 1024;
    if (!Number.isInteger(n) || n < 1 || (n & (n - 1)) !== 0) throw new RangeError(`createRttClient: maxInFlight must be a power of two, got ${n}`);
    this.maxInFlight = n;
    this.mask = n - 1;
    this.t0 = new Float64Array(n);
    this.ids = new Float64Array(n);
    this.resolvers = new Array(n).fill(null);
    this.rejecters = new Array(n).fill(null);
    this.order = opts.order ? new EncodedOrder(opts.order) : null;
    const creds = opts.credentials;
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
      dictionary: getDictionary({ kraken: creds !== undefined }),
      store: new SequenceStore(),
      clock: this.clock,
      heartBtIntSec: 30,
      resetSeqNumOnLogon: true,
      resendPolicy: 'gap-fill-all',
      application: {
        onLogon: () => this.loggedOn?.(),
        onLogonOut: creds
          ? (_s, enc, ctx) => {
              const nonce = this.nonces.nextString();
              for (const [tag, value] of logonAuthFields({ credentials: creds, msgSeqNum: ctx.msgSeqNum, senderCompID: ctx.senderCompID, targetCompID: ctx.targetCompID, nonce })) {
                enc.str(tag, value);
              }
            }
          : undefined,
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
      const o = this.order;
      if (o === null) {
        enc.int(11, id).char(54, 0x31).timestamp(60, now).char(40, 0x32).bytes(55, SYMBOL).int(38, 1).decimal(44, 1005, 1);
      } else {
        if (o.comb !== null) enc.bytes(11, o.nextComb(id));
        else enc.int(11, id);
        if (o.execInst !== null) enc.bytes(18, o.execInst);
        enc.bytes(38, o.qty).char(40, 0x32).bytes(44, o.price).char(54, o.side).bytes(55, o.symbol);
        if (o.tif >= 0) enc.char(59, o.tif);
        enc.timestamp(60, now);
      }
      this.session.send();
    });
  }

  private onMessage(view: MessageView): void {
    if (view.msgTypeCode !== MT_EXECUTION_REPORT) {
      // An order refused with 35=j never gets its ExecutionReport: fail the waiting round trips instead
      // of hanging. (A session-level 35=3 stays inside the session; the bench's deadline covers it.)
      if (view.msgTypeCode === MT_BUSINESS_REJECT) {
        this.failAll(new Error(`rtt client: the venue rejected an order (35=j): ${view.getString(58) ?? 'no Text'}`));
      }
      return;
    }
    const t = performance.now() * 1e6;
    const i = view.indexOf(11);
    if (i < 0) return;
    const id = this.order?.comb ? combOrderNumber(view, i) : view.intAt(i);
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
