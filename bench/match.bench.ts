/**
 * In-process matching throughput on a realistic order mix, one instrument (BTC/USD, Kraken precisions):
 *   ~50 % passive limit adds within 20 ticks of the touch, ~35 % cancels of random resting orders,
 *   ~15 % marketable orders (IOC limits 1-3 ticks through the touch, some market orders), from 64 funded
 *   accounts, STP on (own orders in the way cancel the arriving order); the book is held between 1,000 and
 *   8,000 resting orders. Events are drained after every call, as a gateway would. An "order" is one engine
 *   call (add, cancel or marketable order). Reported: wall-clock rate (median of rounds) and the rate per
 *   CPU-second of this process (steadier on a shared machine).
 *
 * Usage: node dist/bench/match.bench.js [--ops N] [--rounds R] [--json]
 * With --json the last stdout line is {"match_orders_per_s":…, "allocated_bytes_per_order":…, …}.
 */
import v8 from 'node:v8';
import { MatchingEngine, OrderRequest, OrdType, Side, TimeInForce } from '../src/sim/matching/index.js';

const args = process.argv.slice(2);
const json = args.includes('--json');
const argNum = (name: string, def: number): number => {
  const i = args.indexOf(name);
  return i >= 0 && i + 1 < args.length ? Number(args[i + 1]) : def;
};
const OPS = argNum('--ops', 2_000_000);
const ROUNDS = argNum('--rounds', 5);
const WARMUP = Math.min(OPS, 500_000);
const ACCOUNTS = 64;
const MAX_RESTING = 8000;
const MIN_RESTING = 1000;

// Deterministic xorshift32; the op stream is generated before timing.
let rng = 0x9e3779b9;
function rand(): number {
  rng ^= rng << 13;
  rng ^= rng >>> 17;
  rng ^= rng << 5;
  return (rng >>> 0) / 4294967296;
}

const enum Op {
  Add = 0,
  Cancel = 1,
  Take = 2,
  Market = 3,
}

interface Stream {
  op: Uint8Array;
  side: Uint8Array;
  off: Int32Array;
  qty: Float64Array;
  acct: Int32Array;
  pick: Float64Array;
}

function makeStream(n: number): Stream {
  const s: Stream = {
    op: new Uint8Array(n),
    side: new Uint8Array(n),
    off: new Int32Array(n),
    qty: new Float64Array(n),
    acct: new Int32Array(n),
    pick: new Float64Array(n),
  };
  for (let i = 0; i < n; i++) {
    const r = rand();
    s.op[i] = r < 0.5 ? Op.Add : r < 0.85 ? Op.Cancel : r < 0.98 ? Op.Take : Op.Market;
    s.side[i] = rand() < 0.5 ? Side.Buy : Side.Sell;
    s.off[i] = s.op[i] === Op.Add ? Math.floor(rand() * rand() * 20) : 1 + Math.floor(rand() * 3);
    s.qty[i] = (1 + Math.floor(rand() * 50)) * 10_000; // 0.0001 .. 0.005 BTC
    s.acct[i] = Math.floor(rand() * ACCOUNTS);
    s.pick[i] = rand();
  }
  return s;
}

function setup() {
  const e = new MatchingEngine({ seed: 7, initialOrderCapacity: 1 << 16 });
  const usd = e.addAsset('USD', 9);
  const btc = e.addAsset('BTC', 8);
  const inst = e.addInstrument({
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
  for (let i = 0; i < ACCOUNTS; i++) {
    const a = e.addAccount();
    e.deposit(a, usd, '10000000000');
    e.deposit(a, btc, '100000');
  }
  return { e, inst };
}

/** Pool of keys of orders that rested (some since filled: cancelling those is a cheap reject, as live). */
class KeyPool {
  keys = new Float64Array(1 << 16);
  n = 0;
  push(k: number): void {
    if (this.n === this.keys.length) {
      const g = new Float64Array(this.n * 2);
      g.set(this.keys);
      this.keys = g;
    }
    this.keys[this.n++] = k;
  }
  take(r: number): number {
    if (this.n === 0) return -1;
    const i = Math.floor(r * this.n);
    const k = this.keys[i];
    this.keys[i] = this.keys[--this.n];
    return k;
  }
}

function run(e: MatchingEngine, s: Stream, from: number, to: number, pool: KeyPool, req: OrderRequest): number {
  const mid0 = 500_000; // 50,000.0 USD
  let fills = 0;
  for (let i = from; i < to; i++) {
    let op = s.op[i];
    // Keep the book at a realistic size: a few thousand resting orders.
    if (op === Op.Add && pool.n > MAX_RESTING) op = Op.Cancel;
    else if (op === Op.Cancel && pool.n < MIN_RESTING) op = Op.Add;
    if (op === Op.Cancel) {
      // Skip keys of orders that filled meanwhile (a gateway would know from the fills).
      let k = pool.take(s.pick[i]);
      while (k >= 0 && !e.isOpen(k)) k = pool.take(s.pick[i]);
      if (k >= 0) e.cancel(k);
    } else {
      const side = s.side[i] as Side;
      const bid = e.bestBid(0);
      const ask = e.bestAsk(0);
      const b = bid >= 0 ? bid : ask >= 0 ? ask - 1 : mid0 - 1;
      const a = ask >= 0 ? ask : b + 2;
      req.account = s.acct[i];
      req.side = side;
      req.qty = s.qty[i];
      req.stopPx = -1;
      if (op === Op.Add) {
        req.ordType = OrdType.Limit;
        req.tif = TimeInForce.GTC;
        // Passive: at or behind our own touch, never crossing.
        req.price = side === Side.Buy ? Math.min(b - s.off[i], a - 1) : Math.max(a + s.off[i], b + 1);
      } else if (op === Op.Take) {
        req.ordType = OrdType.Limit;
        req.tif = TimeInForce.IOC;
        req.price = side === Side.Buy ? a + s.off[i] : b - s.off[i];
      } else {
        req.ordType = OrdType.Market;
        req.tif = TimeInForce.IOC;
        req.price = -1;
      }
      if (e.submit(req) === 0 && op === Op.Add && e.isOpen(e.lastRef)) pool.push(e.lastRef);
    }
    fills += e.md.count;
    e.exec.clear();
    e.md.clear();
  }
  return fills;
}

function main(): void {
  const { e } = setup();
  const req = new OrderRequest();
  req.instrument = 0;
  const pool = new KeyPool();
  const total = WARMUP + OPS * ROUNDS;
  const s = makeStream(total);
  run(e, s, 0, WARMUP, pool, req);

  const rates: number[] = [];
  const cpuRates: number[] = [];
  let allocPerOrder = 0;
  let mdEvents = 0;
  for (let r = 0; r < ROUNDS; r++) {
    const from = WARMUP + r * OPS;
    const prof = new v8.GCProfiler();
    const heap0 = process.memoryUsage().heapUsed;
    prof.start();
    const c0 = process.cpuUsage();
    const t0 = process.hrtime.bigint();
    mdEvents += run(e, s, from, from + OPS, pool, req);
    const t1 = process.hrtime.bigint();
    const c1 = process.cpuUsage(c0);
    cpuRates.push(OPS / ((c1.user + c1.system) / 1e6));
    const data = prof.stop();
    const heap1 = process.memoryUsage().heapUsed;
    let collected = 0;
    for (const g of data.statistics) collected += g.beforeGC.heapStatistics.usedHeapSize - g.afterGC.heapStatistics.usedHeapSize;
    const allocated = Math.max(0, heap1 - heap0 + collected);
    rates.push(OPS / (Number(t1 - t0) / 1e9));
    allocPerOrder = r === 0 ? allocated / OPS : Math.min(allocPerOrder, allocated / OPS);
  }
  rates.sort((a, b) => a - b);
  cpuRates.sort((a, b) => a - b);
  const cpuMedian = cpuRates[cpuRates.length >> 1];
  const median = rates[rates.length >> 1];
  const best = rates[rates.length - 1];
  const live = e.orders.liveCount();
  const line = (k: string, v: string) => console.log(`${k.padEnd(28)} ${v}`);
  line('ops per round', String(OPS));
  line('rounds', String(ROUNDS));
  line('orders/s median', Math.round(median).toLocaleString('en-US'));
  line('orders/s best', Math.round(best).toLocaleString('en-US'));
  line('orders/s per CPU-second', Math.round(cpuMedian).toLocaleString('en-US'));
  line('allocated bytes/order (min)', allocPerOrder.toFixed(2));
  line('md events per order', (mdEvents / (OPS * ROUNDS)).toFixed(2));
  line('resting orders at end', String(live));
  line('book levels bid/ask', `${e.books[0].bids.n}/${e.books[0].asks.n}`);
  if (json) {
    console.log(
      JSON.stringify({
        match_orders_per_s: Math.round(median),
        match_orders_per_s_best: Math.round(best),
        match_orders_per_cpu_s: Math.round(cpuMedian),
        allocated_bytes_per_order: Number(allocPerOrder.toFixed(2)),
        ops: OPS,
        rounds: ROUNDS,
      }),
    );
  }
}

main();
