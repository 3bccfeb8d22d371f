/**
 * `kfix start` / `npm start`: the main job. Until the simulator and strategy workers land it runs the
 * codec round trip on a burst of orders and prints a latency summary, so a fresh clone shows something real.
 */
import { Decimal, FixEncoder, FixFramer, getDictionary, msgTypeCode, SystemClock, type MessageView } from '../codec/index.js';

export async function runStart(): Promise<number> {
  const clock = new SystemClock();
  const encoder = new FixEncoder({ senderCompID: 'CLIENT', targetCompID: 'KRAKEN-TRD' });
  const framer = new FixFramer(getDictionary({ kraken: true }));
  const px = new Decimal();
  const samples: number[] = [];
  let parsed = 0;
  const handler = {
    onMessage(view: MessageView) {
      if (view.getDecimal(44, px)) parsed++;
    },
    onError() {},
  };
  const n = 200_000;
  for (let i = 0; i < n; i++) {
    const t0 = process.hrtime.bigint();
    encoder.begin(msgTypeCode('D'), i + 1, clock.nowMicros())
      .int(11, 1_700_000_000_000_000 + i).char(40, 0x32).decimal(38, 125, 3).decimal(44, 8_412_35 + (i % 100), 1)
      .char(54, 0x31).str(55, 'XBT/USD').char(59, 0x31).timestamp(60, clock.nowMicros());
    encoder.finish();
    framer.push(encoder.message(), handler);
    if (i % 100 === 0) samples.push(Number(process.hrtime.bigint() - t0));
  }
  samples.sort((a, b) => a - b);
  const pct = (p: number) => samples[Math.min(samples.length - 1, Math.floor(p * samples.length))]!;
  console.log(`kfix codec demo: ${n} NewOrderSingles encoded and parsed back (${parsed} prices read exactly)`);
  console.log(`encode+parse per order: p50 ${(pct(0.5) / 1000).toFixed(2)} µs, p99 ${(pct(0.99) / 1000).toFixed(2)} µs, p99.9 ${(pct(0.999) / 1000).toFixed(2)} µs`);
  return parsed === n ? 0 : 1;
}
