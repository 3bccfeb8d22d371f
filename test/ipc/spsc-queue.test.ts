import { describe, expect, it } from 'vitest';
import {
  createQueue,
  HEADER_SIZE,
  queueStats,
  RecordBuffer,
  RecordType,
  SpscConsumer,
  SpscProducer,
  StatusFlyweight,
  WaitStrategy,
  type RecordHandler,
} from '../../src/ipc/index.js';

/** Writes a Status record of `size` bytes whose seq and body bytes encode `n`. */
function put(p: SpscProducer, n: number, size: number): boolean {
  if (!p.tryClaim(size)) return false;
  const f = new StatusFlyweight().wrapForWrite(p.buffer, p.claimedOffset, size);
  f.c.seq = n;
  f.instrumentId = n * 7;
  for (let i = 56; i < size; i++) p.buffer.u8[p.claimedOffset + i] = (n + i) & 0xff;
  p.commit();
  return true;
}

class Collect implements RecordHandler {
  seqs: number[] = [];
  bad = 0;
  onRecord(buf: RecordBuffer, offset: number, type: number, length: number): void {
    const f = new StatusFlyweight().wrap(buf, offset);
    const n = f.c.seq;
    if (type !== RecordType.Status || f.c.length !== length || f.instrumentId !== n * 7) this.bad++;
    for (let i = 56; i < length; i++) if (buf.u8[offset + i] !== ((n + i) & 0xff)) this.bad++;
    this.seqs.push(n);
  }
}

describe('queue creation and attach', () => {
  it('validates capacity and buffers', () => {
    expect(() => createQueue(1000)).toThrow(/power of two/);
    expect(() => createQueue(512)).toThrow(/power of two/);
    expect(() => new SpscProducer(new ArrayBuffer(4096) as unknown as SharedArrayBuffer)).toThrow(/SharedArrayBuffer/);
    expect(() => new SpscConsumer(new SharedArrayBuffer(4096))).toThrow(/not a kfix queue/);
    const sab = createQueue(1024);
    expect(queueStats(sab)).toMatchObject({ capacity: 1024, usedBytes: 0, fullCount: 0 });
  });
});

describe('SPSC ring', () => {
  it('delivers in order with poll and with peek/release', () => {
    const sab = createQueue(4096);
    const p = new SpscProducer(sab);
    const c = new SpscConsumer(sab);
    for (let i = 1; i <= 10; i++) expect(put(p, i, 56 + (i % 3) * 8)).toBe(true);
    const h = new Collect();
    expect(c.poll(h, 4)).toBe(4);
    expect(h.seqs).toEqual([1, 2, 3, 4]);
    const off = c.peek();
    expect(off).toBeGreaterThanOrEqual(0);
    expect(new StatusFlyweight().wrap(c.buffer, off).c.seq).toBe(5);
    expect(c.peek()).toBe(off); // peek is idempotent until release
    c.release();
    expect(() => c.release()).toThrow(/no record peeked/);
    expect(c.poll(h)).toBe(5);
    expect(h.seqs).toEqual([1, 2, 3, 4, 6, 7, 8, 9, 10]);
    expect(h.bad).toBe(0);
    expect(c.peek()).toBe(-1);
    expect(c.poll(h)).toBe(0);
  });

  it('wraps around with padding over many laps, sizes varying, nothing lost or torn', () => {
    const sab = createQueue(1024);
    const p = new SpscProducer(sab);
    const c = new SpscConsumer(sab);
    const h = new Collect();
    let next = 1;
    let wraps = 0;
    let lastOffset = 0;
    for (let round = 0; round < 2000; round++) {
      const burst = 1 + (round % 5);
      for (let k = 0; k < burst; k++) {
        const size = 56 + ((next * 13) % 9) * 40; // 56 .. 376 bytes, max claim is 512
        if (!put(p, next, size)) break;
        next++;
      }
      if (round % 3 !== 0) c.poll(h, 1 + (round % 4));
      const off = c.peek();
      if (off >= 0 && off < lastOffset) wraps++;
      if (off >= 0) lastOffset = off;
    }
    c.poll(h);
    expect(wraps).toBeGreaterThan(100);
    expect(h.bad).toBe(0);
    expect(h.seqs.length).toBe(next - 1);
    expect(h.seqs.every((s, i) => s === i + 1)).toBe(true);
    expect(queueStats(sab).usedBytes).toBe(0);
  });

  it('refuses when full (counted), never overwrites, accepts again after consumption', () => {
    const sab = createQueue(1024);
    const p = new SpscProducer(sab);
    const c = new SpscConsumer(sab);
    let n = 0;
    while (put(p, n + 1, 64)) n++;
    expect(n).toBe(16); // 1024 / 64, exactly full
    expect(put(p, 99, 64)).toBe(false);
    expect(queueStats(sab).fullCount).toBe(2); // the loop's last attempt + this one
    expect(queueStats(sab).usedBytes).toBe(1024);
    expect(p.hasRoom(64)).toBe(false);
    const h = new Collect();
    expect(c.poll(h, 1)).toBe(1);
    expect(put(p, 17, 64)).toBe(true);
    c.poll(h);
    expect(h.seqs).toEqual(Array.from({ length: 17 }, (_, i) => i + 1));
    expect(h.bad).toBe(0);
  });

  it('a record that does not fit before the end waits for the ring to drain, then wraps', () => {
    const sab = createQueue(1024);
    const p = new SpscProducer(sab);
    const c = new SpscConsumer(sab);
    const h = new Collect();
    expect(put(p, 1, 504)).toBe(true);
    expect(put(p, 2, 456)).toBe(true); // tail at 960: 64 bytes to the end
    c.poll(h, 1); // 568 free in total, but 64 (padding) + 512 needed
    expect(put(p, 3, 512)).toBe(false);
    c.poll(h);
    expect(put(p, 3, 512)).toBe(true); // padding 64 @960, record @0
    expect(c.peek()).toBe(0);
    c.poll(h);
    expect(h.seqs).toEqual([1, 2, 3]);
    expect(h.bad).toBe(0);
  });

  it('positions wrap through the int32 sign bit and through 2^32', () => {
    for (const start of [2 ** 31 - 304, -304]) {
      const sab = createQueue(1024);
      const ctl = new Int32Array(sab, 0, 32);
      ctl[0] = start; // TAIL
      ctl[16] = start; // HEAD
      const p = new SpscProducer(sab);
      const c = new SpscConsumer(sab);
      const h = new Collect();
      let n = 0;
      for (let round = 0; round < 100; round++) {
        while (put(p, n + 1, 56 + (n % 4) * 8)) n++;
        c.poll(h, 3);
        expect(queueStats(sab).usedBytes).toBeLessThanOrEqual(1024);
      }
      c.poll(h);
      expect(h.bad).toBe(0);
      expect(h.seqs).toEqual(Array.from({ length: n }, (_, i) => i + 1));
      expect(queueStats(sab).usedBytes).toBe(0);
    }
  });

  it('commitDeferred batches records behind one publish', () => {
    const sab = createQueue(1024);
    const p = new SpscProducer(sab);
    const c = new SpscConsumer(sab);
    const h = new Collect();
    for (let i = 1; i <= 3; i++) {
      expect(p.tryClaim(64)).toBe(true);
      new StatusFlyweight().wrapForWrite(p.buffer, p.claimedOffset, 64).c.seq = i;
      new StatusFlyweight().wrap(p.buffer, p.claimedOffset).instrumentId = i * 7;
      p.commitDeferred();
    }
    expect(c.hasData()).toBe(false);
    expect(c.poll(h)).toBe(0);
    p.publish();
    expect(c.poll(h)).toBe(3);
    expect(h.seqs).toEqual([1, 2, 3]);
    // A producer that fills the ring with unpublished records is unblocked by waitForRoom.
    while (p.tryClaim(64)) p.commitDeferred();
    expect(c.hasData()).toBe(false);
    expect(p.waitForRoom(64, 1)).toBe(false);
    expect(c.hasData()).toBe(true);
  });

  it('rejects misuse with clear errors', () => {
    const sab = createQueue(1024);
    const p = new SpscProducer(sab);
    expect(() => p.tryClaim(60)).toThrow(/multiple of 8/);
    expect(() => p.tryClaim(HEADER_SIZE - 8)).toThrow(/multiple of 8/);
    expect(() => p.tryClaim(520)).toThrow(/\[40, 512\]/);
    expect(() => p.commit()).toThrow(/nothing claimed/);
    expect(p.tryClaim(64)).toBe(true);
    expect(() => p.tryClaim(64)).toThrow(/previous claim/);
    p.abort();
    expect(p.tryClaim(64)).toBe(true);
  });

  it('reports a corrupt record length instead of looping', () => {
    const sab = createQueue(1024);
    const p = new SpscProducer(sab);
    const c = new SpscConsumer(sab);
    put(p, 1, 64);
    new Uint32Array(sab, 512, 2)[1] = 3; // length field of the record at data offset 0
    expect(() => c.poll(new Collect())).toThrow(/corrupt record at offset 0: length 3/);
  });
});

describe('wake-up', () => {
  it('awaitData times out on an empty ring for spin and spin-then-wait', () => {
    for (const strategy of [WaitStrategy.BusySpin, WaitStrategy.SpinThenWait]) {
      const sab = createQueue(1024);
      const c = new SpscConsumer(sab, { strategy, spinIterations: 100 });
      expect(c.awaitData(5)).toBe(false);
      put(new SpscProducer(sab), 1, 64);
      expect(c.awaitData(5)).toBe(true);
    }
    const w = new SpscConsumer(createQueue(1024), { strategy: WaitStrategy.WaitAsync });
    expect(() => w.awaitData(1)).toThrow(/awaitDataAsync/);
  });

  it('the producer notifies only a sleeping consumer (waitAsync)', async () => {
    const sab = createQueue(1024);
    const p = new SpscProducer(sab);
    const c = new SpscConsumer(sab, { strategy: WaitStrategy.WaitAsync, spinIterations: 0 });
    put(p, 1, 64); // nobody waiting: no notify
    expect(queueStats(sab).notifyCount).toBe(0);
    c.poll(new Collect());
    const woke = c.awaitDataAsync(5000);
    setTimeout(() => put(p, 2, 64), 20);
    expect(await woke).toBe(true);
    const s = queueStats(sab);
    expect(s.consumerWaits).toBe(1);
    expect(s.notifyCount).toBe(1);
    expect(await c.awaitDataAsync(1)).toBe(true); // data present: immediate
    c.poll(new Collect());
    expect(await c.awaitDataAsync(10)).toBe(false);
  });

  it('nudge wakes a sleeping consumer without delivering a record', async () => {
    const sab = createQueue(1024);
    const p = new SpscProducer(sab);
    const c = new SpscConsumer(sab, { strategy: WaitStrategy.WaitAsync, spinIterations: 0 });
    const woke = c.awaitDataAsync(5000);
    setTimeout(() => {
      expect(p.consumerWaiting()).toBe(true);
      p.nudge();
    }, 20);
    expect(await woke).toBe(true);
    expect(c.poll(new Collect())).toBe(0);
    expect(queueStats(sab).usedBytes).toBe(0);
  });

  it('producer waitForRoom returns once the consumer frees space', async () => {
    const sab = createQueue(1024);
    const p = new SpscProducer(sab, { strategy: WaitStrategy.WaitAsync, spinIterations: 0 });
    const c = new SpscConsumer(sab);
    while (put(p, 1, 64));
    expect(p.waitForRoom.bind(p, 64, 1)).toThrow(/waitForRoomAsync/);
    const room = p.waitForRoomAsync(64, 5000);
    setTimeout(() => c.poll(new Collect(), 1), 20);
    expect(await room).toBe(true);
    expect(queueStats(sab).consumerNotifies).toBe(1);
    const sync = new SpscProducer(sab, { strategy: WaitStrategy.SpinThenWait, spinIterations: 10 });
    expect(sync.waitForRoom(64, 1)).toBe(true);
  });
});
