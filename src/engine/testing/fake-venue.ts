/**
 * A small in-process venue for engine tests, examples and the engine benchmark until the simulator
 * exists: a FIX acceptor (src/transport + a FixSession acceptor) that answers NewOrderSingle with
 * ExecutionReport New (and fills orders that cross its book when asked), cancels, replaces, mass cancels,
 * and publishes Kraken-shaped market data (W snapshot at logon, X incrementals on demand or on a timer).
 * Not a matching engine and not for production; it allocates freely.
 */
import { SystemClock, getDictionary, type MessageView } from '../../codec/index.js';
import { FixSession } from '../../session/index.js';
import { createMemoryStore } from '../../store/index.js';
import { startAcceptor, type AcceptorHandle } from '../../transport/index.js';

export interface FakeVenueSymbol {
  symbol: string;
  /** Mid price in integer units at priceScale. */
  mid: number;
  priceScale: number;
  qtyScale: number;
  /** Tick in price units. */
  tick: number;
}

export interface FakeVenueOptions {
  port?: number;
  host?: string;
  symbols: FakeVenueSymbol[];
  /** Publish one incremental per symbol every N ms (0 = only when asked). */
  mdIntervalMs?: number;
  /** Send a fresh snapshot (with a moved mid) every N incrementals; 0 = never. Default 50. */
  snapshotEvery?: number;
  /** Fill limit orders that cross the venue's own top of book. Default false. */
  fillOnCross?: boolean;
  /** Levels per side. Default 5. */
  levels?: number;
  seed?: number;
}

interface Order {
  orderID: string;
  clOrdID: string;
  symbol: string;
  side: string;
  price: string;
  qty: string;
}

interface Book {
  spec: FakeVenueSymbol;
  mid: number;
  bidQty: number[];
  askQty: number[];
}

export class FakeVenue {
  readonly received: Record<string, number> = {};
  readonly sessions = new Map<string, FixSession>();
  readonly open = new Map<string, Order>();
  private acceptor: AcceptorHandle | null = null;
  private timer: NodeJS.Timeout | null = null;
  private orderSeq = 0;
  private execSeq = 0;
  private mdReq = 0;
  private incrementals = 0;
  private rand: () => number;
  private readonly books: Book[];
  private readonly clock = new SystemClock();

  private constructor(private readonly opts: FakeVenueOptions) {
    this.rand = mulberry32(opts.seed ?? 42);
    const levels = opts.levels ?? 5;
    this.books = opts.symbols.map((spec) => ({
      spec,
      mid: spec.mid,
      bidQty: Array.from({ length: levels }, () => this.qty(spec)),
      askQty: Array.from({ length: levels }, () => this.qty(spec)),
    }));
  }

  static async start(opts: FakeVenueOptions): Promise<FakeVenue> {
    const v = new FakeVenue(opts);
    v.acceptor = await startAcceptor({
      port: opts.port ?? 0,
      host: opts.host ?? '127.0.0.1',
      tickMs: 50,
      sessions: (sender, target) => v.sessionFor(sender, target),
    });
    if (opts.mdIntervalMs && opts.mdIntervalMs > 0) {
      v.timer = setInterval(() => {
        for (let i = 0; i < v.books.length; i++) v.sendIncremental(i);
      }, opts.mdIntervalMs);
    }
    return v;
  }

  get port(): number {
    return this.acceptor!.port;
  }

  /** The venue session of the (only, or named) logged-on client. */
  session(clientCompID?: string): FixSession | undefined {
    for (const [k, s] of this.sessions) if ((clientCompID === undefined || k === clientCompID) && s.isLoggedOn) return s;
    return undefined;
  }

  async close(): Promise<void> {
    if (this.timer) clearInterval(this.timer);
    for (const s of this.sessions.values()) if (s.isLoggedOn) s.logout('venue closing');
    await new Promise((r) => setTimeout(r, 20));
    await this.acceptor?.close();
    this.acceptor = null;
  }

  // ---------------------------------------------------------------- sessions

  private sessionFor(theirSender: string, theirTarget: string): FixSession | undefined {
    let s = this.sessions.get(theirSender);
    if (s !== undefined) return s;
    s = new FixSession({
      role: 'acceptor',
      senderCompID: theirTarget,
      targetCompID: theirSender,
      dictionary: getDictionary({ kraken: true }),
      store: createMemoryStore(),
      clock: this.clock,
      resetOnLogon: true,
      resendPolicy: 'gap-fill-all',
      application: {
        onLogon: (session) => {
          for (let i = 0; i < this.books.length; i++) this.sendSnapshot(i, session);
        },
        onAppMessage: (session, view) => this.onApp(session, view),
      },
    });
    this.sessions.set(theirSender, s);
    return s;
  }

  private onApp(s: FixSession, view: MessageView): void {
    const mt = view.getString(35) ?? '?';
    this.received[mt] = (this.received[mt] ?? 0) + 1;
    if (mt === 'D') this.onNewOrder(s, view);
    else if (mt === 'F') this.onCancel(s, view);
    else if (mt === 'G') this.onReplace(s, view);
    else if (mt === 'q') this.onMassCancel(s, view);
    else if (mt === 'H') this.onStatus(s, view);
  }

  private onNewOrder(s: FixSession, v: MessageView): void {
    const o: Order = {
      orderID: `O${++this.orderSeq}`,
      clOrdID: v.getString(11) ?? '',
      symbol: v.getString(55) ?? '',
      side: v.getString(54) ?? '1',
      price: v.getString(44) ?? '0',
      qty: v.getString(38) ?? '0',
    };
    this.open.set(o.clOrdID, o);
    this.report(s, o, '0', '0', o.clOrdID, null, { leaves: o.qty, cum: '0' });
    if (this.opts.fillOnCross && this.crosses(o)) {
      this.open.delete(o.clOrdID);
      this.report(s, o, 'F', '2', o.clOrdID, null, { leaves: '0', cum: o.qty, lastPx: o.price, lastQty: o.qty });
    }
  }

  private onCancel(s: FixSession, v: MessageView): void {
    const orig = v.getString(41) ?? '';
    const id = v.getString(11) ?? '';
    const o = this.open.get(orig);
    if (o === undefined) {
      s.sendFields('9', [[11, id], [41, orig], [37, v.getString(37) ?? 'NONE'], [39, '8'], [434, '1'], [102, 1], [58, 'Unknown order']]);
      return;
    }
    this.open.delete(orig);
    this.report(s, o, '4', '4', id, orig, { leaves: '0', cum: '0' });
  }

  private onReplace(s: FixSession, v: MessageView): void {
    const orig = v.getString(41) ?? '';
    const id = v.getString(11) ?? '';
    const o = this.open.get(orig);
    if (o === undefined) {
      s.sendFields('9', [[11, id], [41, orig], [37, v.getString(37) ?? 'NONE'], [39, '8'], [434, '2'], [102, 1], [58, 'Unknown order']]);
      return;
    }
    this.open.delete(orig);
    o.clOrdID = id;
    o.price = v.getString(44) ?? o.price;
    o.qty = v.getString(38) ?? o.qty;
    this.open.set(id, o);
    this.report(s, o, '5', '0', id, orig, { leaves: o.qty, cum: '0' });
  }

  private onMassCancel(s: FixSession, v: MessageView): void {
    const symbol = v.getString(55);
    for (const [id, o] of [...this.open]) {
      if (symbol !== undefined && o.symbol !== symbol) continue;
      this.open.delete(id);
      this.report(s, o, '4', '4', o.clOrdID, null, { leaves: '0', cum: '0' });
    }
  }

  private onStatus(s: FixSession, v: MessageView): void {
    const id = v.getString(11) ?? '';
    const oid = v.getString(37);
    const o = [...this.open.values()].find((x) => x.orderID === oid);
    if (o) this.report(s, o, 'I', '0', id, null, { leaves: o.qty, cum: '0' });
  }

  private report(
    s: FixSession, o: Order, execType: string, ordStatus: string, clOrdID: string, orig: string | null,
    q: { leaves: string; cum: string; lastPx?: string; lastQty?: string },
  ): void {
    const f: [number, string | number][] = [[37, o.orderID], [11, clOrdID]];
    if (orig !== null) f.push([41, orig]);
    f.push([17, `E${++this.execSeq}`], [150, execType], [39, ordStatus], [55, o.symbol], [54, o.side], [38, o.qty], [40, '2'], [44, o.price]);
    if (q.lastPx !== undefined) f.push([31, q.lastPx], [32, q.lastQty!]);
    f.push([151, q.leaves], [14, q.cum], [6, q.lastPx ?? '0'], [60, isoNow()]);
    s.sendFields('8', f);
  }

  /** An unsolicited ExecutionReport (restatement) for a ClOrdID: tests of never-drop queues. */
  sendExecutionReport(clOrdID: string, symbol: string, session = this.session()): void {
    if (!session) throw new Error('fake venue: no logged-on session');
    const o: Order = { orderID: `O${++this.orderSeq}`, clOrdID, symbol, side: '1', price: '100', qty: '1' };
    this.report(session, o, 'D', '0', clOrdID, null, { leaves: '1', cum: '0' });
  }

  // ---------------------------------------------------------------- market data

  private crosses(o: Order): boolean {
    const b = this.books.find((x) => x.spec.symbol === o.symbol);
    if (!b) return false;
    const px = Math.round(Number(o.price) * 10 ** b.spec.priceScale);
    const bestAsk = b.mid + b.spec.tick;
    const bestBid = b.mid - b.spec.tick;
    return o.side === '1' ? px >= bestAsk : px <= bestBid;
  }

  private qty(spec: FakeVenueSymbol): number {
    return (1 + Math.floor(this.rand() * 50)) * 10 ** Math.max(0, spec.qtyScale - 2);
  }

  sendSnapshot(i: number, session = this.session()): void {
    if (!session?.isLoggedOn) return;
    const b = this.books[i]!;
    const { spec } = b;
    const enc = session.beginMessage('W');
    enc.int(262, ++this.mdReq).str(55, spec.symbol).int(268, b.bidQty.length + b.askQty.length);
    for (let k = 0; k < b.bidQty.length; k++) enc.char(269, 0x30).decimal(270, b.mid - (k + 1) * spec.tick, spec.priceScale).decimal(271, b.bidQty[k]!, spec.qtyScale);
    for (let k = 0; k < b.askQty.length; k++) enc.char(269, 0x31).decimal(270, b.mid + (k + 1) * spec.tick, spec.priceScale).decimal(271, b.askQty[k]!, spec.qtyScale);
    session.send();
  }

  /** One X: a quantity change on a random level (and now and then a trade entry). */
  sendIncremental(i = 0, session = this.session()): void {
    if (!session?.isLoggedOn) return;
    const every = this.opts.snapshotEvery ?? 50;
    if (every > 0 && ++this.incrementals % every === 0) {
      const b = this.books[i]!;
      b.mid += (this.rand() < 0.5 ? -1 : 1) * b.spec.tick;
      this.sendSnapshot(i, session);
      return;
    }
    const b = this.books[i]!;
    const { spec } = b;
    const bid = this.rand() < 0.5;
    const level = Math.floor(this.rand() * b.bidQty.length);
    const q = this.qty(spec);
    (bid ? b.bidQty : b.askQty)[level] = q;
    const px = bid ? b.mid - (level + 1) * spec.tick : b.mid + (level + 1) * spec.tick;
    const trade = this.rand() < 0.1;
    const enc = session.beginMessage('X');
    enc.int(262, this.mdReq).str(55, spec.symbol).int(268, trade ? 2 : 1);
    enc.char(279, 0x31).char(269, bid ? 0x30 : 0x31).decimal(270, px, spec.priceScale).decimal(271, q, spec.qtyScale);
    if (trade) enc.char(279, 0x30).char(269, 0x32).decimal(270, b.mid + spec.tick, spec.priceScale).decimal(271, q, spec.qtyScale).char(2446, 0x31);
    session.send();
  }
}

function isoNow(): string {
  const d = new Date();
  const p = (n: number, w = 2): string => String(n).padStart(w, '0');
  return `${d.getUTCFullYear()}${p(d.getUTCMonth() + 1)}${p(d.getUTCDate())}-${p(d.getUTCHours())}:${p(d.getUTCMinutes())}:${p(d.getUTCSeconds())}.${p(d.getUTCMilliseconds(), 3)}`;
}

function mulberry32(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
