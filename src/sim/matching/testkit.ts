/**
 * Small fixtures for exercising the engine in tests and benchmarks (also usable by the gateway's tests):
 * a BTC/USD spot pair and a PF_XBTUSD perpetual with Kraken-like precisions, funded accounts, and
 * decimal-string shorthands. Not used by the engine itself.
 */
import { ExecType, ORD_TYPE_FIX, OrdType, Side, StpMode, TimeInForce, reasonText } from './constants.js';
import { MatchingEngine, type MatchingEngineOptions } from './engine.js';
import { formatAvgPx } from './format.js';
import type { Instrument } from './instrument.js';
import { OrderRequest } from './requests.js';

export interface Fixture {
  engine: MatchingEngine;
  usd: number;
  btc: number;
  spot: Instrument;
  perp: Instrument;
  /** Accounts 0..n-1, each funded with 1,000,000 USD and 100 BTC. */
  accounts: number[];
  /** "100.5" -> ticks of the spot pair. */
  p(s: string): number;
  /** "0.5" -> lots of the spot pair. */
  q(s: string): number;
  /** Builds a request on the spot pair with decimal strings; unspecified fields take defaults. */
  order(f: OrderFields): OrderRequest;
  submit(f: OrderFields): number;
}

export interface OrderFields {
  instrument?: number;
  account?: number;
  session?: number;
  tag?: number;
  side?: Side;
  type?: OrdType;
  tif?: TimeInForce;
  price?: string;
  stopPx?: string;
  qty: string;
  display?: string;
  postOnly?: boolean;
  reduceOnly?: boolean;
  stp?: StpMode;
  expireTime?: number;
  effectiveTime?: number;
}

export function makeFixture(nAccounts = 3, opts: MatchingEngineOptions = {}): Fixture {
  const engine = new MatchingEngine({ seed: 42, nowMicros: 1_700_000_000_000_000, ...opts });
  const usd = engine.addAsset('USD', 9);
  const btc = engine.addAsset('BTC', 8);
  const spot = engine.addInstrument({
    symbol: 'BTC/USD',
    kind: 'spot',
    baseAsset: btc,
    quoteAsset: usd,
    tickSize: '0.1',
    lotSize: '0.00000001',
    priceDecimals: 1,
    qtyDecimals: 8,
    minQty: '0.0001',
    minCost: '0.5',
  });
  const perp = engine.addInstrument({
    symbol: 'PF_XBTUSD',
    kind: 'derivative',
    tickSize: '0.5',
    lotSize: '0.0001',
    priceDecimals: 1,
    qtyDecimals: 4,
    minQty: '0.0001',
    minCost: '0',
    maxPosition: '1000',
  });
  const accounts: number[] = [];
  for (let i = 0; i < nAccounts; i++) {
    const a = engine.addAccount();
    engine.deposit(a, usd, '1000000');
    engine.deposit(a, btc, '100');
    accounts.push(a);
  }
  const req = new OrderRequest();
  const fx: Fixture = {
    engine,
    usd,
    btc,
    spot,
    perp,
    accounts,
    p: (s) => check(spot.priceToTicks(s), s),
    q: (s) => check(spot.qtyToLots(s), s),
    order(f) {
      const inst = engine.instruments[f.instrument ?? spot.id];
      req.reset();
      req.instrument = inst.id;
      req.account = f.account ?? 0;
      req.session = f.session ?? 0;
      req.tag = f.tag ?? 0;
      req.side = f.side ?? Side.Buy;
      req.ordType = f.type ?? OrdType.Limit;
      req.tif = f.tif ?? TimeInForce.GTC;
      req.price = f.price === undefined ? -1 : check(inst.priceToTicks(f.price), f.price);
      req.stopPx = f.stopPx === undefined ? -1 : check(inst.priceToTicks(f.stopPx), f.stopPx);
      req.qty = check(inst.qtyToLots(f.qty), f.qty);
      req.displayQty = f.display === undefined ? 0 : check(inst.qtyToLots(f.display), f.display);
      req.postOnly = f.postOnly ?? false;
      req.reduceOnly = f.reduceOnly ?? false;
      req.stp = f.stp ?? StpMode.CancelNewest;
      req.expireTime = f.expireTime ?? 0;
      req.effectiveTime = f.effectiveTime ?? 0;
      return req;
    },
    /** Submits; returns the order key, or throws with the reject text. */
    submit(f) {
      const r = engine.submit(fx.order(f));
      if (r !== 0) throw new Error(`rejected: ${reasonText(r)}`);
      return engine.lastRef;
    },
  };
  return fx;
}

function check(v: number, s: string): number {
  if (v < 0) throw new RangeError(`bad decimal ${s} (${v})`);
  return v;
}

/** Compact, decimal rendering of exec events: easy to assert whole sequences. */
export interface ExecRow {
  ref: number;
  et: string;
  os: string;
  type: string;
  cum: string;
  leaves: string;
  lastPx: string;
  lastQty: string;
  avgPx: string;
  liq: number;
  text: string;
  tradeId: number;
}

export function execRows(e: MatchingEngine, clear = true): ExecRow[] {
  const x = e.exec;
  const out: ExecRow[] = [];
  for (let i = 0; i < x.count; i++) {
    const v = x.get(i);
    const inst = e.instruments[v.instrument];
    const trade = v.execType === ExecType.Trade;
    out.push({
      ref: v.ref,
      et: String.fromCharCode(v.execType),
      os: String.fromCharCode(v.ordStatus),
      type: ORD_TYPE_FIX[v.ordType],
      cum: inst.formatQty(v.cumQty),
      leaves: inst.formatQty(v.leavesQty),
      lastPx: trade ? inst.formatPrice(v.lastPx) : '',
      lastQty: trade ? inst.formatQty(v.lastQty) : '',
      avgPx: formatAvgPx(inst, v.notionalHi, v.notionalLo, v.cumQty, 0),
      liq: v.liquidity,
      text: reasonText(v.reason),
      tradeId: v.tradeId,
    });
  }
  if (clear) {
    e.exec.clear();
    e.md.clear();
  }
  return out;
}

/** "F/1 cum=0.5 leaves=0.5 @100.0x0.5 avg=100.0" style one-liners. */
export function execLines(e: MatchingEngine, clear = true): string[] {
  return execRows(e, clear).map((r) => {
    let s = `${r.et}/${r.os} cum=${trim(r.cum)} leaves=${trim(r.leaves)}`;
    if (r.et === 'F') s += ` last=${trim(r.lastQty)}@${r.lastPx} avg=${r.avgPx} ${r.liq === 1 ? 'maker' : 'taker'}`;
    if (r.text !== '') s += ` "${r.text}"`;
    return s;
  });
}

function trim(s: string): string {
  if (!s.includes('.')) return s;
  return s.replace(/0+$/, '').replace(/\.$/, '');
}
