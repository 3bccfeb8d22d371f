/**
 * Simulator order round trip: a raw FIX client on loopback sends NewOrderSingle (IOC limit on an empty
 * PF_XBTUSD book: ack 150=0 then unsolicited cancel 150=4) and waits for the final report, one order
 * at a time. Reports the client-observed round trip and the simulator's own processing time per
 * order (SimulatorStats.orderProcessing), to show the simulator is not the bottleneck of round-trip
 * benchmarks.
 *
 *   node dist/bench/sim.bench.js [--orders N] [--warmup N] [--json]
 */
import { connect } from 'node:net';
import { FixEncoder, FixFramer, SystemClock, getDictionary, msgTypeCode, type MessageView } from '../src/codec/index.js';
import { krakenLogonPassword } from '../src/kraken/auth.js';
import { CombClOrdIdGenerator } from '../src/kraken/clordid.js';
import { Credentials } from '../src/kraken/credentials.js';
import { DEFAULT_ACCOUNTS, TARGET_COMP_IDS, startKrakenSimulator } from '../src/sim/index.js';
import { BenchArgs } from './lib/args.js';

function pct(sorted: Float64Array, p: number): number {
  return sorted.length === 0 ? 0 : sorted[Math.min(sorted.length - 1, Math.floor(p * sorted.length))]!;
}

async function main(): Promise<void> {
  const args = new BenchArgs();
  const orders = args.number('--orders', 20_000);
  const warmup = args.number('--warmup', 2_000);
  const json = args.has('--json');
  const clock = new SystemClock();
  const sim = await startKrakenSimulator({
    clock,
    ports: { spotMd: 0, spotTrading: 0, derivMd: 0, derivTrading: 0, derivMdL3: 0, spotMdL3: 0 },
    flow: { enabled: false },
    derivativesBucket: { capacity: 1e12, refillPerSec: 1e12 },
    errorRateLimitPerSec: 1_000_000,
  });
  const cred = DEFAULT_ACCOUNTS[0]!.derivatives!;
  const socket = connect({ host: '127.0.0.1', port: sim.ports.derivTrading });
  socket.setNoDelay(true);
  await new Promise<void>((r) => socket.once('connect', () => r()));
  const enc = new FixEncoder({ senderCompID: cred.senderCompID, targetCompID: TARGET_COMP_IDS.derivTrading });
  const framer = new FixFramer(getDictionary({ kraken: true }));
  let seq = 1;
  let onFinal: (() => void) | null = null;
  let logged = false;
  const handler = {
    onMessage(v: MessageView) {
      if (v.msgTypeCode === 0x41) logged = true;
      // The IOC's final report (150=4) ends one round trip.
      if (v.msgTypeCode === 0x38 && v.getChar(150) === 0x34) onFinal?.();
    },
    onError() {},
  };
  socket.on('data', (c: Buffer) => framer.push(c, handler));
  const nonce = String(Math.floor(clock.nowMicros() / 1000));
  const password = krakenLogonPassword(new Credentials(cred.apiKey, cred.apiSecret), {
    msgSeqNum: 1,
    senderCompID: cred.senderCompID,
    targetCompID: TARGET_COMP_IDS.derivTrading,
    nonce,
  });
  enc.begin(msgTypeCode('A'), seq++, clock.nowMicros()).int(98, 0).int(108, 30).char(141, 0x59).str(553, cred.apiKey).str(554, password).str(5025, nonce);
  enc.finish();
  socket.write(Buffer.from(enc.message()));
  while (!logged) await new Promise((r) => setTimeout(r, 5));

  const ids = new CombClOrdIdGenerator();
  const rtt = new Float64Array(orders);
  const sendOrder = () => {
    enc.begin(0x44, seq++, clock.nowMicros()).str(11, ids.next()).str(18, 's').str(38, '0.0010').char(40, 0x32).str(44, '1000');
    enc.char(54, 0x31).str(55, 'PF_XBTUSD').char(59, 0x33).timestamp(60, clock.nowMicros());
    enc.finish();
    socket.write(Buffer.from(enc.message()));
  };
  const roundTrip = () =>
    new Promise<number>((resolve) => {
      const t0 = performance.now();
      onFinal = () => resolve(performance.now() - t0);
      sendOrder();
    });
  for (let i = 0; i < warmup; i++) await roundTrip();
  const before = sim.stats().orderProcessing.count;
  for (let i = 0; i < orders; i++) rtt[i] = (await roundTrip()) * 1000;
  const st = sim.stats();
  socket.destroy();
  await sim.close();

  const sorted = rtt.slice().sort();
  const proc = st.orderProcessing;
  const result = {
    bench: 'sim-order-roundtrip',
    orders,
    measuredBySim: proc.count - before,
    rttUs: { p50: pct(sorted, 0.5), p99: pct(sorted, 0.99), p999: pct(sorted, 0.999), max: sorted[sorted.length - 1] ?? 0 },
    simProcessingUs: { mean: proc.meanUs, p50: proc.p50Us, p99: proc.p99Us, p999: proc.p999Us, max: proc.maxUs },
    simShareOfRttP50: proc.p50Us / pct(sorted, 0.5),
  };
  const f = (x: number) => x.toFixed(1);
  console.log(`orders ${orders} (IOC on PF_XBTUSD, ack + cancel per order), loopback, one at a time`);
  console.log(`client round trip   p50 ${f(result.rttUs.p50)} µs  p99 ${f(result.rttUs.p99)} µs  p99.9 ${f(result.rttUs.p999)} µs`);
  console.log(`simulator per order p50 ${f(proc.p50Us)} µs  p99 ${f(proc.p99Us)} µs  p99.9 ${f(proc.p999Us)} µs  mean ${f(proc.meanUs)} µs`);
  console.log(`simulator share of the median round trip: ${(result.simShareOfRttP50 * 100).toFixed(1)} %`);
  if (json) console.log(JSON.stringify(result));
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
