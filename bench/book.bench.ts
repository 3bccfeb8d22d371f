/**
 * Book benchmark: L2 and L3 updates/s on a pre-generated, realistic random stream, plus bytes
 * allocated per update.
 *
 * Stream shape (both books): messages of 1-4 entries; ~80% qty changes concentrated near the top
 * (geometric level choice), the rest adds/deletes near the top. The L2 stream keeps each side at
 * exactly the subscribed depth the way Kraken does (an insert is followed by a "left the depth"
 * delete of the worst level; a delete by a New at the bottom). Generation runs once through a
 * generator book, recording entries into typed arrays and the expected 5041 per message; the timed
 * runs only replay them, so generation cost is not measured.
 *
 * Allocation: after warm-up, a full GC, then the stream is replayed in chunks; a chunk counts only if
 * no GC ran during it (PerformanceObserver 'gc' + heap never shrinking), so used_heap_size deltas are
 * exact. Run with --expose-gc (npm run bench:book does); without it we enable gc via V8 flags.
 *
 * Usage: node dist/bench/book.bench.js [--json] [--l2-events N] [--l3-events N] [--depth D]
 */
import { PerformanceObserver } from 'node:perf_hooks';
import v8 from 'node:v8';
import vm from 'node:vm';
import {
  BookStatus,
  formatScaled,
  L2Book,
  L3Book,
  MDEntryType,
  MDUpdateAction,
  NO_CHECKSUM,
  l2BookChecksum,
  l3BookChecksum,
} from '../src/book/index.js';

const { Bid, Offer } = MDEntryType;
const { New, Change, Delete } = MDUpdateAction;

// ---- args --------------------------------------------------------------------------------------------
const argv = process.argv.slice(2);
const JSON_OUT = argv.includes('--json');
function numArg(name: string, dflt: number): number {
  const i = argv.indexOf(name);
  if (i < 0) return dflt;
  const v = Number(argv[i + 1]);
  if (!Number.isFinite(v) || v <= 0) {
    console.error(`bad ${name}: ${argv[i + 1]}`);
    process.exit(2);
  }
  return v;
}
const L2_EVENTS = numArg('--l2-events', 400_000);
const L3_EVENTS = numArg('--l3-events', 100_000);
/** Soft wall-clock budget: repetitions stop once it is spent (each measurement still runs once). */
const BUDGET_MS = numArg('--budget-ms', 9_000);
const T_START = Date.now();
const overBudget = () => Date.now() - T_START > BUDGET_MS;
const DEPTH = numArg('--depth', 100);
const log = (s: string) => {
  if (!JSON_OUT) console.log(s);
};

// ---- deterministic PRNG (mulberry32) -------------------------------------------------------------------
let seed = 0x9e3779b9;
function rand(): number {
  seed = (seed + 0x6d2b79f5) | 0;
  let t = seed;
  t = Math.imul(t ^ (t >>> 15), t | 1);
  t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
  return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
}
/** Geometric level index: mostly 0..3, occasionally deeper. */
function topIndex(n: number, p = 0.35): number {
  let i = 0;
  while (rand() > p && i < n - 1) i++;
  return i;
}
/** Log-uniform 0.0001 .. 50 BTC at 8 decimals: many values exceed 2^30 (not V8 small integers). */
function randQty(): number {
  return Math.floor(1e4 * Math.exp(rand() * Math.log(5e5)));
}

// ---- GC / heap helpers ------------------------------------------------------------------------------
type GcFn = () => void;
const gc: GcFn = (() => {
  const g = (globalThis as { gc?: GcFn }).gc;
  if (g) return g;
  v8.setFlagsFromString('--expose-gc');
  return vm.runInNewContext('gc') as GcFn;
})();
let gcEvents = 0;
const gcObserver = new PerformanceObserver((list) => {
  gcEvents += list.getEntries().length;
});
gcObserver.observe({ entryTypes: ['gc'] });
const tick = () => new Promise<void>((r) => setTimeout(r, 0));
const heapUsed = () => v8.getHeapStatistics().used_heap_size;

// ---- 5041 values as wire digits (10 bytes per message slot) ------------------------------------------
interface CksBytes {
  digits: Uint8Array;
  len: Uint8Array;
}
function newCksBytes(cap: number): CksBytes {
  return { digits: new Uint8Array(cap * 10), len: new Uint8Array(cap) };
}
function putCks(c: CksBytes, m: number, value: number): void {
  const str = String(value);
  for (let i = 0; i < str.length; i++) c.digits[m * 10 + i] = str.charCodeAt(i);
  c.len[m] = str.length;
}

// ---- wire form of entries (what a FIX decoder hands over: byte ranges) -------------------------------
/** Per entry: [id bytes (L3)][270 digits][271 digits] in one buffer, like fields of one message. */
interface Wire {
  buf: Uint8Array;
  off: Int32Array; // start of the entry's record
  pxLen: Uint8Array;
  qtyLen: Uint8Array;
}
const PD = 1; // 2349 for the simulated BTC/USD
const QD = 8; // 5010
function encodeWire(n: number, px: Float64Array, qty: Float64Array, idBuf: Uint8Array | null, ids: Int32Array | null): Wire {
  const idLen = idBuf ? ID_LEN : 0;
  const buf = new Uint8Array(n * (idLen + 40));
  const w: Wire = { buf, off: new Int32Array(n), pxLen: new Uint8Array(n), qtyLen: new Uint8Array(n) };
  let pos = 0;
  for (let e = 0; e < n; e++) {
    w.off[e] = pos;
    if (idBuf && ids) {
      buf.set(idBuf.subarray(ids[e] * ID_STRIDE, ids[e] * ID_STRIDE + ID_LEN), pos);
      pos += ID_LEN;
    }
    const p = formatScaled(px[e], PD);
    const q = formatScaled(qty[e], QD);
    for (let i = 0; i < p.length; i++) buf[pos++] = p.charCodeAt(i);
    for (let i = 0; i < q.length; i++) buf[pos++] = q.charCodeAt(i);
    w.pxLen[e] = p.length;
    w.qtyLen[e] = q.length;
  }
  return w;
}

// ---- L2 stream ---------------------------------------------------------------------------------------
interface L2Stream {
  snapSide: Uint8Array;
  snapPx: Float64Array;
  snapQty: Float64Array;
  act: Uint8Array;
  side: Uint8Array;
  px: Float64Array;
  qty: Float64Array;
  msgEnd: Int32Array; // exclusive end entry index per message
  cks: CksBytes; // expected 5041 per message, as the wire carries it (ASCII digits)
  entries: number;
  messages: number;
}

function genL2(events: number, depth: number): L2Stream {
  const cap = events + 8;
  const s: L2Stream = {
    snapSide: new Uint8Array(2 * depth),
    snapPx: new Float64Array(2 * depth),
    snapQty: new Float64Array(2 * depth),
    act: new Uint8Array(cap),
    side: new Uint8Array(cap),
    px: new Float64Array(cap),
    qty: new Float64Array(cap),
    msgEnd: new Int32Array(cap),
    cks: newCksBytes(cap),
    entries: 0,
    messages: 0,
  };
  const g = new L2Book({ depthCap: depth, slack: 64 });
  const mid = 300_000; // 30000.0 at 2349=1
  g.beginSnapshot();
  for (let i = 0; i < depth; i++) {
    const k = 2 * i;
    s.snapSide[k] = Bid;
    s.snapPx[k] = mid - 1 - i * 2;
    s.snapQty[k] = randQty();
    s.snapSide[k + 1] = Offer;
    s.snapPx[k + 1] = mid + 1 + i * 2;
    s.snapQty[k + 1] = randQty();
    g.applySnapshotEntry(Bid, s.snapPx[k], s.snapQty[k]);
    g.applySnapshotEntry(Offer, s.snapPx[k + 1], s.snapQty[k + 1]);
  }
  if (g.endMessage(NO_CHECKSUM) !== BookStatus.Ok) throw new Error('generator snapshot failed');

  const emit = (a: number, sd: number, p: number, q: number) => {
    const e = s.entries++;
    s.act[e] = a;
    s.side[e] = sd;
    s.px[e] = p;
    s.qty[e] = q;
    if (g.applyEntry(a, sd, p, q) !== BookStatus.Ok) throw new Error(`generator entry failed at ${e}`);
  };
  // Each step may emit up to 2 entries, so stop 2 short; a message that emitted nothing ends the stream.
  while (s.entries < events - 2) {
    g.beginIncremental();
    const before = s.entries;
    const k = 1 + (rand() < 0.5 ? 0 : Math.floor(rand() * 4));
    for (let j = 0; j < k && s.entries < events - 2; j++) {
      const sd = rand() < 0.5 ? Bid : Offer;
      const n = g.depth(sd);
      const r = rand();
      if (r < 0.8) {
        emit(Change, sd, g.levelPrice(sd, topIndex(n)), randQty());
      } else if (r < 0.9) {
        // New level near the top: a free price between existing ones or just inside the spread.
        const i = topIndex(n);
        const inside = sd === Bid ? g.levelPrice(sd, i) + 1 : g.levelPrice(sd, i) - 1;
        const other = g.depth(1 - sd) > 0 ? g.levelPrice(1 - sd, 0) : 0;
        const crosses = sd === Bid ? inside >= other : inside <= other;
        if (g.qtyAt(sd, inside) !== 0 || crosses || inside <= 0) {
          emit(Change, sd, g.levelPrice(sd, i), randQty());
          continue;
        }
        emit(New, sd, inside, randQty());
        if (g.depth(sd) > depth) {
          const w = g.depth(sd) - 1;
          emit(Delete, sd, g.levelPrice(sd, w), g.levelQty(sd, w)); // left the subscribed depth
        }
      } else {
        const i = topIndex(n);
        emit(Delete, sd, g.levelPrice(sd, i), 0);
        const w = g.depth(sd) - 1;
        const worst = g.levelPrice(sd, w);
        emit(New, sd, sd === Bid ? worst - 1 - Math.floor(rand() * 3) : worst + 1 + Math.floor(rand() * 3), randQty());
      }
    }
    if (g.endMessage(NO_CHECKSUM) !== BookStatus.Ok) throw new Error('generator message failed');
    if (s.entries === before) break;
    s.msgEnd[s.messages] = s.entries;
    putCks(s.cks, s.messages, l2BookChecksum(g));
    s.messages++;
  }
  return s;
}

function loadL2Snapshot(book: L2Book, s: L2Stream): void {
  book.beginSnapshot();
  for (let i = 0; i < s.snapPx.length; i++) book.applySnapshotEntry(s.snapSide[i], s.snapPx[i], s.snapQty[i]);
  if (book.endMessage(NO_CHECKSUM) !== BookStatus.Ok) throw new Error('snapshot failed');
}

/** Replays messages [m0, m1); returns OR of all statuses (0 = all Ok). */
function replayL2(book: L2Book, s: L2Stream, m0: number, m1: number, checksum: boolean): number {
  let bad = 0;
  let e = m0 === 0 ? 0 : s.msgEnd[m0 - 1];
  for (let m = m0; m < m1; m++) {
    bad |= book.beginIncremental();
    const end = s.msgEnd[m];
    for (; e < end; e++) bad |= book.applyEntry(s.act[e], s.side[e], s.px[e], s.qty[e]);
    bad |= book.endMessageChecksumBytes(s.cks.digits, m * 10, checksum ? s.cks.len[m] : 0);
  }
  return bad;
}

function replayL2Wire(book: L2Book, s: L2Stream, w: Wire, m0: number, m1: number, checksum: boolean): number {
  let bad = 0;
  let e = m0 === 0 ? 0 : s.msgEnd[m0 - 1];
  const buf = w.buf;
  for (let m = m0; m < m1; m++) {
    bad |= book.beginIncremental();
    const end = s.msgEnd[m];
    for (; e < end; e++) {
      const o = w.off[e];
      const pl = w.pxLen[e];
      bad |= book.applyEntryBytes(s.act[e], s.side[e], buf, o, pl, o + pl, w.qtyLen[e]);
    }
    bad |= book.endMessageChecksumBytes(s.cks.digits, m * 10, checksum ? s.cks.len[m] : 0);
  }
  return bad;
}

// ---- L3 stream ---------------------------------------------------------------------------------------
const ID_STRIDE = 20; // Kraken-style ids "OXXXXX-XXXXX-XXXXXX" are 19 bytes
const ID_LEN = 19;
const B36 = '0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ';

interface L3Stream {
  ids: Uint8Array; // id bytes, ID_STRIDE per id index
  snapSide: Uint8Array;
  snapId: Int32Array;
  snapPx: Float64Array;
  snapQty: Float64Array;
  snapCount: number;
  act: Uint8Array;
  side: Uint8Array;
  id: Int32Array;
  px: Float64Array;
  qty: Float64Array;
  msgEnd: Int32Array;
  cks: CksBytes;
  entries: number;
  messages: number;
  shape: string;
}

function writeId(buf: Uint8Array, idx: number): void {
  const base = idx * ID_STRIDE;
  let v = idx * 2654435761 + 12345; // scramble so ids do not share long prefixes
  for (let i = 0; i < ID_LEN; i++) {
    if (i === 6 || i === 12) {
      buf[base + i] = 0x2d; // '-'
      continue;
    }
    buf[base + i] = i === 0 ? 0x4f : B36.charCodeAt(v % 36);
    v = Math.floor(v / 36) + (i === 11 ? idx : 0);
  }
  // Guarantee uniqueness: last 4 chars carry idx in base 36.
  let u = idx;
  for (let i = ID_LEN - 1; i >= ID_LEN - 4; i--) {
    buf[base + i] = B36.charCodeAt(u % 36);
    u = Math.floor(u / 36);
  }
  buf[base + 7] = B36.charCodeAt(Math.floor(idx / 36 ** 4) % 36);
}

function genL3(events: number, levels: number, ordersPerLevel: number): L3Stream {
  const maxIds = events + levels * 2 * ordersPerLevel * 2 + 16;
  const cap = events + 8;
  const s: L3Stream = {
    ids: new Uint8Array(maxIds * ID_STRIDE),
    snapSide: new Uint8Array(levels * 2 * ordersPerLevel * 2),
    snapId: new Int32Array(levels * 2 * ordersPerLevel * 2),
    snapPx: new Float64Array(levels * 2 * ordersPerLevel * 2),
    snapQty: new Float64Array(levels * 2 * ordersPerLevel * 2),
    snapCount: 0,
    act: new Uint8Array(cap),
    side: new Uint8Array(cap),
    id: new Int32Array(cap),
    px: new Float64Array(cap),
    qty: new Float64Array(cap),
    msgEnd: new Int32Array(cap),
    cks: newCksBytes(cap),
    entries: 0,
    messages: 0,
    shape: '',
  };
  const maxOrders = 1 << 16;
  const g = new L3Book({ depthCap: 1000, maxOrders });
  const slotToId = new Int32Array(maxOrders);
  let nextId = 0;
  const targetOrders = levels * 2 * ordersPerLevel;
  const mid = 300_000;
  g.beginSnapshot();
  for (let i = 0; i < levels; i++) {
    for (const sd of [Bid, Offer]) {
      const p = sd === Bid ? mid - 1 - i * 2 : mid + 1 + i * 2;
      const cnt = 1 + Math.floor(rand() * (2 * ordersPerLevel - 1));
      for (let j = 0; j < cnt; j++) {
        const idx = nextId++;
        writeId(s.ids, idx);
        const q = randQty();
        const k = s.snapCount++;
        s.snapSide[k] = sd;
        s.snapId[k] = idx;
        s.snapPx[k] = p;
        s.snapQty[k] = q;
        if (g.applySnapshotEntry(sd, s.ids, idx * ID_STRIDE, ID_LEN, p, q) !== BookStatus.Ok) throw new Error('gen snap');
        slotToId[g.findOrder(s.ids, idx * ID_STRIDE, ID_LEN)] = idx;
      }
    }
  }
  if (g.endMessage(NO_CHECKSUM) !== BookStatus.Ok) throw new Error('generator L3 snapshot failed');

  const emit = (a: number, sd: number, idx: number, p: number, q: number) => {
    const e = s.entries++;
    s.act[e] = a;
    s.side[e] = sd;
    s.id[e] = idx;
    s.px[e] = p;
    s.qty[e] = q;
    if (g.applyEntry(a, sd, s.ids, idx * ID_STRIDE, ID_LEN, p, q) !== BookStatus.Ok) {
      throw new Error(`generator L3 entry failed at ${e}`);
    }
    if (a === New) slotToId[g.findOrder(s.ids, idx * ID_STRIDE, ID_LEN)] = idx;
  };
  /** An order at a near-top level; front of the queue more often (fills hit the front). */
  const pickOrder = (sd: number): number => {
    const i = topIndex(g.depth(sd));
    let o = g.levelHead(sd, i);
    if (rand() < 0.5) return o;
    const steps = Math.floor(rand() * g.levelOrderCount(sd, i));
    for (let k = 0; k < steps; k++) o = g.orderNext(o);
    return o;
  };
  while (s.entries < events) {
    g.beginIncremental();
    const before = s.entries;
    const k = 1 + (rand() < 0.5 ? 0 : Math.floor(rand() * 4));
    for (let j = 0; j < k && s.entries < events; j++) {
      const sd = rand() < 0.5 ? Bid : Offer;
      const r = rand();
      const count = g.orderCount();
      // 60% qty changes; the rest adds/deletes, biased to hold the population near targetOrders.
      const sideThin = g.depth(sd) < 3;
      const doChange = !sideThin && r < 0.6;
      const doDelete = !sideThin && !doChange && (r < 0.8 ? count > targetOrders / 2 : count > targetOrders * 1.5);
      if (doChange || doDelete) {
        const o = pickOrder(sd);
        if (doChange) emit(Change, sd, slotToId[o], g.orderPrice(o), randQty()); // partial fill / amend
        else emit(Delete, sd, slotToId[o], g.orderPrice(o), 0);
      } else {
        // New order: joins a near-top level, sometimes a fresh price inside the book.
        const i = topIndex(g.depth(sd));
        let p = g.levelPrice(sd, i);
        if (rand() < 0.2) {
          const inside = sd === Bid ? p + 1 : p - 1;
          const other = g.depth(1 - sd) > 0 ? g.levelPrice(1 - sd, 0) : 0;
          if (sd === Bid ? inside < other : inside > other) p = inside;
        }
        const idx = nextId++;
        writeId(s.ids, idx);
        emit(New, sd, idx, p, randQty());
      }
    }
    if (g.endMessage(NO_CHECKSUM) !== BookStatus.Ok) throw new Error('generator L3 message failed');
    if (s.entries === before) break;
    s.msgEnd[s.messages] = s.entries;
    putCks(s.cks, s.messages, l3BookChecksum(g));
    s.messages++;
  }
  let top = 0;
  for (const sd of [Bid, Offer]) for (let i = 0; i < Math.min(10, g.depth(sd)); i++) top += g.levelOrderCount(sd, i);
  s.shape = `${g.orderCount()} orders, ${g.depth(Bid)}/${g.depth(Offer)} levels, ${top} orders in the checksummed top 10+10`;
  return s;
}

function loadL3Snapshot(book: L3Book, s: L3Stream): void {
  book.beginSnapshot();
  for (let i = 0; i < s.snapCount; i++) {
    book.applySnapshotEntry(s.snapSide[i], s.ids, s.snapId[i] * ID_STRIDE, ID_LEN, s.snapPx[i], s.snapQty[i]);
  }
  if (book.endMessage(NO_CHECKSUM) !== BookStatus.Ok) throw new Error('L3 snapshot failed');
}

function replayL3(book: L3Book, s: L3Stream, m0: number, m1: number, checksum: boolean): number {
  let bad = 0;
  let e = m0 === 0 ? 0 : s.msgEnd[m0 - 1];
  const ids = s.ids;
  for (let m = m0; m < m1; m++) {
    bad |= book.beginIncremental();
    const end = s.msgEnd[m];
    for (; e < end; e++) {
      bad |= book.applyEntry(s.act[e], s.side[e], ids, s.id[e] * ID_STRIDE, ID_LEN, s.px[e], s.qty[e]);
    }
    bad |= book.endMessageChecksumBytes(s.cks.digits, m * 10, checksum ? s.cks.len[m] : 0);
  }
  return bad;
}

function replayL3Wire(book: L3Book, s: L3Stream, w: Wire, m0: number, m1: number, checksum: boolean): number {
  let bad = 0;
  let e = m0 === 0 ? 0 : s.msgEnd[m0 - 1];
  const buf = w.buf;
  for (let m = m0; m < m1; m++) {
    bad |= book.beginIncremental();
    const end = s.msgEnd[m];
    for (; e < end; e++) {
      const o = w.off[e];
      const pl = w.pxLen[e];
      bad |= book.applyEntryBytes(s.act[e], s.side[e], buf, o, ID_LEN, o + ID_LEN, pl, o + ID_LEN + pl, w.qtyLen[e]);
    }
    bad |= book.endMessageChecksumBytes(s.cks.digits, m * 10, checksum ? s.cks.len[m] : 0);
  }
  return bad;
}

// ---- measurement -----------------------------------------------------------------------------------
interface Replayer {
  reset(): void;
  replay(m0: number, m1: number, checksum: boolean): number;
  messages: number;
  entries: number;
  entriesBefore(m: number): number;
}

/** Best-of-`reps` full-stream replays, updates/s (fewer reps once the time budget is spent). */
function throughput(r: Replayer, checksum: boolean, reps: number): number {
  let best = 0;
  for (let i = 0; i < reps; i++) {
    r.reset();
    const t0 = process.hrtime.bigint();
    const bad = r.replay(0, r.messages, checksum);
    const ns = Number(process.hrtime.bigint() - t0);
    if (bad !== 0) throw new Error(`replay reported status bits ${bad}`);
    best = Math.max(best, r.entries / (ns / 1e9));
    if (overBudget()) break;
  }
  return best;
}

/**
 * Bytes allocated per update: the stream is replayed in chunks; chunks during which a GC ran are
 * dropped, the measuring overhead (an empty chunk) is subtracted, and the median over chunks is
 * reported, so one-off effects (code re-created after the forced GC flushed it) do not count.
 * `fraction` limits the run to the first part of the stream (checked L3 replays are slow).
 * Returns -1 if every chunk was disturbed by a GC.
 */
async function bytesPerUpdate(r: Replayer, checksum: boolean, chunks: number, fraction = 1): Promise<number> {
  r.reset();
  gc();
  await tick();
  const sample = async (m0: number, m1: number): Promise<number> => {
    const g0 = gcEvents;
    const h0 = heapUsed();
    const bad = r.replay(m0, m1, checksum);
    const h1 = heapUsed();
    await tick();
    if (bad !== 0) throw new Error(`replay reported status bits ${bad}`);
    return gcEvents !== g0 || h1 < h0 ? NaN : h1 - h0;
  };
  const overheads: number[] = [];
  for (let i = 0; i < 5; i++) {
    const o = await sample(0, 0);
    if (!Number.isNaN(o)) overheads.push(o);
  }
  const overhead = median(overheads);
  const total = Math.max(1, Math.floor(r.messages * fraction));
  const per = Math.max(1, Math.floor(total / chunks));
  const rates: number[] = [];
  for (let m = 0; m + per <= total; m += per) {
    const d = await sample(m, m + per);
    if (!Number.isNaN(d)) rates.push(Math.max(0, d - overhead) / (r.entriesBefore(m + per) - r.entriesBefore(m)));
  }
  return rates.length > 0 ? median(rates) : -1;
}

function median(xs: number[]): number {
  if (xs.length === 0) return 0;
  const a = [...xs].sort((x, y) => x - y);
  return a[a.length >> 1];
}

interface Result {
  rate: number;
  rateCks: number;
  bytes: number;
  wireRate: number;
  wireBytes: number;
}

async function measure(name: string, r: Replayer, wire: Replayer): Promise<Result> {
  const warm = throughput(r, true, 1); // warm-up (JIT) and a full correctness pass with every 5041 checked
  const rate = throughput(r, false, 3);
  const rateCks = Math.max(warm, throughput(r, true, 1));
  const bytesPlain = await bytesPerUpdate(r, false, 20);
  const bytesCks = await bytesPerUpdate(r, true, 10, 0.25);
  throughput(wire, false, 1);
  const wireRate = throughput(wire, false, 2);
  const wireBytes = Math.max(await bytesPerUpdate(wire, false, 20), await bytesPerUpdate(wire, true, 10, 0.25));
  log(
    `${name} (numbers API): ${(rate / 1e6).toFixed(2)} M updates/s with 5041 not checked, ${(rateCks / 1e6).toFixed(2)} M updates/s ` +
      `with 5041 checked on every message; allocated ${bytesPlain.toFixed(3)} / ${bytesCks.toFixed(3)} B per update (unchecked / checked)`,
  );
  log(
    `${name} (byte-range API, parsing 270/271 digits): ${(wireRate / 1e6).toFixed(2)} M updates/s with 5041 not checked; ` +
      `allocated ${wireBytes.toFixed(3)} B per update (max of unchecked / checked)`,
  );
  return { rate, rateCks, bytes: Math.max(bytesCks, bytesPlain), wireRate, wireBytes };
}

async function main(): Promise<void> {
  const [load1] = (await import('node:os')).loadavg();
  log(`book bench: node ${process.version}, 1-min load ${load1.toFixed(1)}, L2 ${L2_EVENTS} events depth ${DEPTH}, L3 ${L3_EVENTS} events`);

  let t = Date.now();
  const l2s = genL2(L2_EVENTS, DEPTH);
  const l2w = encodeWire(l2s.entries, l2s.px, l2s.qty, null, null);
  const l2 = new L2Book({ depthCap: DEPTH, priceDecimals: PD, qtyDecimals: QD });
  const entriesBefore2 = (m: number) => (m === 0 ? 0 : l2s.msgEnd[m - 1]);
  const l2r: Replayer = {
    reset: () => loadL2Snapshot(l2, l2s),
    replay: (a, b, c) => replayL2(l2, l2s, a, b, c),
    messages: l2s.messages,
    entries: l2s.entries,
    entriesBefore: entriesBefore2,
  };
  const l2wr: Replayer = { ...l2r, replay: (a, b, c) => replayL2Wire(l2, l2s, l2w, a, b, c) };
  log(`L2 stream: ${l2s.entries} entries in ${l2s.messages} messages (generated in ${Date.now() - t} ms)`);
  const r2 = await measure('L2', l2r, l2wr);

  t = Date.now();
  const l3s = genL3(L3_EVENTS, 50, 8);
  const l3w = encodeWire(l3s.entries, l3s.px, l3s.qty, l3s.ids, l3s.id);
  const l3 = new L3Book({ depthCap: 1000, maxOrders: 1 << 16, priceDecimals: PD, qtyDecimals: QD });
  const l3r: Replayer = {
    reset: () => loadL3Snapshot(l3, l3s),
    replay: (a, b, c) => replayL3(l3, l3s, a, b, c),
    messages: l3s.messages,
    entries: l3s.entries,
    entriesBefore: (m) => (m === 0 ? 0 : l3s.msgEnd[m - 1]),
  };
  const l3wr: Replayer = { ...l3r, replay: (a, b, c) => replayL3Wire(l3, l3s, l3w, a, b, c) };
  log(
    `L3 stream: ${l3s.entries} entries in ${l3s.messages} messages, ${l3s.snapCount} orders in snapshot; ` +
      `at end ${l3s.shape} (generated in ${Date.now() - t} ms)`,
  );
  const r3 = await measure('L3', l3r, l3wr);
  log(
    `target >= 2,000,000 L2 updates/s: ${r2.rate >= 2e6 ? 'met' : 'NOT met'}; ` +
      `total ${((Date.now() - T_START) / 1000).toFixed(1)} s${overBudget() ? ' (budget reached: fewer repetitions)' : ''}`,
  );
  gcObserver.disconnect();

  if (JSON_OUT) {
    console.log(
      JSON.stringify({
        l2_updates_per_s: Math.round(r2.rate),
        l3_updates_per_s: Math.round(r3.rate),
        l2_bytes_allocated_per_update: Number(r2.bytes.toFixed(4)),
        l3_bytes_allocated_per_update: Number(r3.bytes.toFixed(4)),
        l2_updates_per_s_checksum_every_msg: Math.round(r2.rateCks),
        l3_updates_per_s_checksum_every_msg: Math.round(r3.rateCks),
        l2_bytes_updates_per_s: Math.round(r2.wireRate),
        l3_bytes_updates_per_s: Math.round(r3.wireRate),
        l2_bytes_api_allocated_per_update: Number(r2.wireBytes.toFixed(4)),
        l3_bytes_api_allocated_per_update: Number(r3.wireBytes.toFixed(4)),
        l2_depth: DEPTH,
        l2_entries: l2s.entries,
        l3_entries: l3s.entries,
        load_avg_1m: Number(load1.toFixed(2)),
      }),
    );
  }
}

main().catch((err: unknown) => {
  console.error(err instanceof Error ? err.stack : err);
  process.exit(1);
});
