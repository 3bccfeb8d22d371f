/**
 * The venue behind every port: one matching engine with the Spot pairs and Derivatives contracts, the
 * accounts (configured test accounts and the synthetic participants), the gateway's bookkeeping per
 * client order (owner session, ClOrdIDs, ages for rate-limit costs) and the dispatch of the engine's
 * event rows: execution rows to the owning trading session, public rows to the market-data feed.
 */
import type { Clock } from '../codec/index.js';
import type { Venue } from '../kraken/types.js';
import type { SimAccount } from './config.js';
import { DEFAULT_BALANCES } from './config.js';
import type { SimAsset, SimInstrument } from './catalog.js';
import { EXEC_STRIDE, ExecType, MatchingEngine, X, type Instrument, type MdEvents } from './matching/index.js';
import { OrderIds } from './order-ids.js';

export interface InstrumentRt {
  spec: SimInstrument;
  inst: Instrument;
  id: number;
  venue: Venue;
}

/** Whoever receives a client order's ExecutionReports (a trading session's state). */
export interface OrderOwner {
  readonly compID: string;
  readonly venue: Venue;
  /** Engine account of this SenderCompID. */
  readonly account: number;
  /** Orders of this owner still open, by current ClOrdID. */
  readonly openByClOrdID: Map<string, number>;
  writeExecutionReport(meta: OrderMeta, data: Float64Array, base: number): void;
}

export class OrderMeta {
  constructor(
    readonly owner: OrderOwner,
    public clOrdID: string,
    readonly orderID: string,
    readonly rt: InstrumentRt,
    /** Connection (logon) number that created or last replaced the order: 530=1/6 and COD scope. */
    public connNo: number,
    /** Created or last amended, epoch micros: the age in Spot's rate-limit costs. */
    public touchedMicros: number,
  ) {}
}

export interface MdListener {
  onMdEvents(md: MdEvents): void;
}

export class Exchange {
  readonly engine: MatchingEngine;
  readonly ids: OrderIds;
  readonly instruments: InstrumentRt[] = [];
  private readonly bySymbol = { spot: new Map<string, InstrumentRt>(), derivatives: new Map<string, InstrumentRt>() };
  readonly accountByName = new Map<string, number>();
  /** Accounts of the synthetic participants (their execution rows go nowhere). */
  readonly flowAccounts: number[] = [];
  readonly metas = new Map<number, OrderMeta>();
  /** ClOrdID text of engine tags in flight (orders' own and cancel/status requests'). */
  private readonly tagText = new Map<number, string>();
  private nextTag = 1;
  private readonly freeTags: number[] = [];
  private readonly closedKeys: number[] = [];
  mdListener: MdListener | null = null;
  readonly counters = { executionReports: 0 };

  constructor(
    readonly clock: Clock,
    seed: number,
    assets: readonly SimAsset[],
    instruments: readonly SimInstrument[],
    accounts: readonly SimAccount[],
    derivativesAmend: boolean,
  ) {
    this.engine = new MatchingEngine({ seed, nowMicros: clock.nowMicros(), derivativesAmend, maxInstruments: Math.max(64, instruments.length) });
    const assetIds = new Map<string, number>();
    for (const a of assets) assetIds.set(a.name, this.engine.addAsset(a.name, a.decimals));
    for (const spec of instruments) {
      const spot = spec.venue === 'spot';
      const base = spot ? assetIds.get(spec.base ?? '') : undefined;
      const quote = spot ? assetIds.get(spec.quote ?? '') : undefined;
      if (spot && (base === undefined || quote === undefined)) throw new RangeError(`instrument ${spec.symbol}: unknown asset ${spec.base}/${spec.quote}`);
      const inst = this.engine.addInstrument({
        symbol: spec.symbol,
        kind: spot ? 'spot' : 'derivative',
        baseAsset: base,
        quoteAsset: quote,
        tickSize: spec.tickSize,
        lotSize: spec.lotSize,
        priceDecimals: spec.priceDecimals,
        qtyDecimals: spec.qtyDecimals,
        minQty: spec.minQty,
        maxQty: spec.maxQty,
        minCost: spec.minCost,
        status: spec.status,
      });
      const rt: InstrumentRt = { spec, inst, id: inst.id, venue: spec.venue };
      this.instruments.push(rt);
      this.bySymbol[spec.venue].set(spec.symbol, rt);
    }
    for (const acct of accounts) {
      if (this.accountByName.has(acct.name)) throw new RangeError(`duplicate account name ${acct.name}`);
      const id = this.engine.addAccount();
      this.accountByName.set(acct.name, id);
      for (const [asset, amount] of Object.entries(acct.balances ?? DEFAULT_BALANCES)) {
        const aid = assetIds.get(asset);
        if (aid !== undefined) this.engine.deposit(id, aid, amount);
      }
    }
    // Synthetic participants: two makers and a taker, deep-pocketed so the flow never runs dry.
    for (let i = 0; i < 3; i++) {
      const id = this.engine.addAccount();
      for (const a of assets) this.engine.deposit(id, assetIds.get(a.name)!, '1000000000');
      this.flowAccounts.push(id);
    }
    this.ids = new OrderIds(this.engine, seed);
  }

  instrument(venue: Venue, symbol: string): InstrumentRt | undefined {
    return this.bySymbol[venue].get(symbol);
  }

  instrumentsOf(venue: Venue): InstrumentRt[] {
    return this.instruments.filter((r) => r.venue === venue);
  }

  /** Registers a ClOrdID for the next engine call; returns its tag. */
  tagFor(clOrdID: string): number {
    const t = this.nextTag++;
    this.tagText.set(t, clOrdID);
    return t;
  }

  /** Tag no longer needed once the current dispatch is done (requests, superseded ClOrdIDs). */
  releaseTagLater(tag: number): void {
    this.freeTags.push(tag);
  }

  textOfTag(tag: number): string {
    return this.tagText.get(tag) ?? '';
  }

  /** Moves the engine clock (GTD expiry, scheduled orders) and reports what that produced. */
  advance(): void {
    const now = this.clock.nowMicros();
    if (now > this.engine.now) this.engine.advanceTime(now);
    if (this.engine.exec.count > 0 || this.engine.md.count > 0) this.dispatch();
  }

  /**
   * Sends every pending execution row to its order's owner and the public rows to market data, then
   * clears the sinks and forgets closed orders.
   */
  dispatch(): void {
    const x = this.engine.exec;
    const d = x.data;
    for (let i = 0; i < x.count; i++) {
      const b = i * EXEC_STRIDE;
      const ref = d[b + X.Ref]!;
      const meta = this.metas.get(ref);
      if (meta === undefined) continue; // synthetic participants
      meta.owner.writeExecutionReport(meta, d, b);
      this.counters.executionReports++;
      const et = d[b + X.ExecType]!;
      const os = d[b + X.OrdStatus]!;
      if (et === ExecType.Replaced && d[b + X.OrigTag] !== d[b + X.Tag]) this.freeTags.push(d[b + X.OrigTag]!);
      if (os === 0x32 || os === 0x34 || os === 0x43) {
        this.closedKeys.push(ref);
        this.freeTags.push(d[b + X.Tag]!, d[b + X.OrigTag]!);
      }
    }
    x.clear();
    if (this.engine.md.count > 0) this.mdListener?.onMdEvents(this.engine.md);
    this.engine.md.clear();
    for (const key of this.closedKeys) {
      const meta = this.metas.get(key);
      if (meta === undefined || this.engine.isOpen(key)) continue;
      this.metas.delete(key);
      if (meta.owner.openByClOrdID.get(meta.clOrdID) === key) meta.owner.openByClOrdID.delete(meta.clOrdID);
    }
    this.closedKeys.length = 0;
    for (const t of this.freeTags) this.tagText.delete(t);
    this.freeTags.length = 0;
  }
}
