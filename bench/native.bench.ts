/**
 * bench:native — the napi-rs helper against the TypeScript path in the same run: checksum of a
 * ~250-byte ExecutionReport, the CheckSum trailer write, and what the encoder really does: a whole
 * NewOrderSingle with the TypeScript encoder's running checksum against the same encode finished by the
 * native trailer. The encode ratio decides which one the codec uses (build/native-choice.json).
 * `--json`: last line is one JSON object.
 */
import { run, bench, summary } from 'mitata';
import { checksum } from '../src/codec/checksum.js';
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { FixEncoder } from '../src/codec/encoder.js';
import { loadNativeHelper, nativeChoicePath } from '../src/codec/native.js';
import { encodeBenchNos } from './lib/nos.js';

const json = process.argv.includes('--json');
const er = Buffer.from(
  '8=FIX.4.4\x019=232\x0135=8\x0134=1024\x0149=KRAKEN-TRD\x0152=20261121-12:00:00.123\x0156=CLIENT\x01' +
  '11=1700000000000001\x0137=OKWUQF-YPJM2-DTAJHH\x0117=EXEC-0000000001\x01150=F\x0139=1\x0155=XBT/USD\x0154=1\x01' +
  '40=2\x0144=84123.5\x0138=0.5\x0131=84123.5\x0132=0.1\x0114=0.1\x01151=0.4\x016=84123.5\x01527=123456\x0160=20261121-12:00:00.120\x01',
  'latin1',
);
const buf = new Uint8Array(er.length + 16);
buf.set(er);
const end = er.length;
const native = loadNativeHelper();

function tsTrailer(b: Uint8Array, s: number, e: number): number {
  const sum = checksum(b, s, e);
  b[e] = 0x31; b[e + 1] = 0x30; b[e + 2] = 0x3d;
  b[e + 3] = 0x30 + Math.floor(sum / 100); b[e + 4] = 0x30 + (Math.floor(sum / 10) % 10); b[e + 5] = 0x30 + (sum % 10);
  b[e + 6] = 1;
  return e + 7;
}

if (native && native.checksum(buf, 0, end) !== checksum(buf, 0, end)) {
  console.error('native checksum disagrees with TypeScript');
  process.exit(1);
}

const T0 = Date.UTC(2026, 10, 21, 12, 0, 0) * 1000;
function encoderFor(n: typeof native): () => number {
  const enc = new FixEncoder({ senderCompID: 'CLIENT01', targetCompID: 'KRAKEN-TRD', native: n });
  let seq = 1;
  return () => encodeBenchNos(enc, seq++, T0);
}
const encodeTs = encoderFor(null);
const encodeNative = native ? encoderFor(native) : null;

/**
 * Whole-encode A/B: rounds alternate the two encoders so machine noise hits both alike; the decision
 * takes the median per-round ratio and needs a 5% margin, so a coin toss never flips the default.
 */
function encodeRounds(): { tsNs: number; nativeNs: number; medianSpeedup: number } | null {
  if (encodeNative === null) return null;
  const N = 100_000;
  const time = (f: () => number): number => {
    let sink = 0;
    const t0 = process.hrtime.bigint();
    for (let i = 0; i < N; i++) sink += f();
    const ns = Number(process.hrtime.bigint() - t0) / N;
    return sink > 0 ? ns : ns; // keeps `sink` alive
  };
  for (let i = 0; i < 3; i++) { time(encodeTs); time(encodeNative); }
  const ts: number[] = [];
  const nat: number[] = [];
  const ratio: number[] = [];
  for (let r = 0; r < 15; r++) {
    const a = time(encodeTs);
    const b = time(encodeNative);
    ts.push(a); nat.push(b); ratio.push(a / b);
  }
  const median = (xs: number[]) => [...xs].sort((x, y) => x - y)[xs.length >> 1]!;
  return { tsNs: median(ts), nativeNs: median(nat), medianSpeedup: median(ratio) };
}
const encodeAB = encodeRounds();
summary(() => {
  bench('checksum ts', () => checksum(buf, 0, end));
  if (native) bench('checksum native', () => native.checksum(buf, 0, end));
});
summary(() => {
  bench('trailer ts', () => tsTrailer(buf, 0, end));
  if (native) bench('trailer native', () => native.writeTrailer(buf, 0, end));
});

const res = await run({ format: json ? 'quiet' : 'mitata' } as never);
const avg = (name: string): number | null => {
  for (const b of (res as { benchmarks: { alias: string; runs: { stats?: { avg: number } }[] }[] }).benchmarks) {
    if (b.alias === name) return b.runs[0]?.stats?.avg ?? null;
  }
  return null;
};
const out = {
  native_available: native !== null,
  checksum_ts_ns: avg('checksum ts'),
  checksum_native_ns: avg('checksum native'),
  trailer_ts_ns: avg('trailer ts'),
  trailer_native_ns: avg('trailer native'),
  encode_ts_ns: encodeAB?.tsNs ?? null,
  encode_native_ns: encodeAB?.nativeNs ?? null,
  native_speedup_checksum: null as number | null,
  native_speedup_trailer: null as number | null,
  native_speedup_encode: null as number | null,
  native_faster: false,
};
if (out.checksum_native_ns && out.checksum_ts_ns) out.native_speedup_checksum = out.checksum_ts_ns / out.checksum_native_ns;
if (out.trailer_native_ns && out.trailer_ts_ns) out.native_speedup_trailer = out.trailer_ts_ns / out.trailer_native_ns;
out.native_speedup_encode = encodeAB?.medianSpeedup ?? null;
// What the encoder would change is its whole encode, so that ratio decides (with a margin, see above).
out.native_faster = (out.native_speedup_encode ?? 0) > 1.05;
// The encoder reads this to decide, so the choice rests on this machine's measurement.
mkdirSync(dirname(nativeChoicePath()), { recursive: true });
writeFileSync(nativeChoicePath(), JSON.stringify({ ...out, measured_at: new Date().toISOString() }, null, 2));
if (!json) {
  console.log(native ? `native/ts speedup: checksum ${out.native_speedup_checksum?.toFixed(2)}x, trailer ${out.native_speedup_trailer?.toFixed(2)}x, whole encode ${out.native_speedup_encode?.toFixed(2)}x -> ${out.native_faster ? 'native is faster' : 'TypeScript stays the default'}` : 'native helper not built (no cargo?): TypeScript only');
}
console.log(JSON.stringify(out));
