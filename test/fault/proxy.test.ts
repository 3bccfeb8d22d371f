import { connect, createServer, type Server, type Socket } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { Boundary, FixBoundaryScanner } from './fix-boundary.js';
import { Prng } from './prng.js';
import { FaultProxy, validateScenario, type Scenario } from './proxy.js';

/** A FIX 4.4 frame with correct BodyLength and CheckSum; `|` stands for SOH. */
function fix(body: string): Buffer {
  const b = body.replace(/\|/g, '\x01') + (body.endsWith('|') ? '' : '\x01');
  const head = `8=FIX.4.4\x019=${b.length}\x01`;
  let sum = 0;
  for (const c of head + b) sum += c.charCodeAt(0);
  return Buffer.from(`${head}${b}10=${String(sum & 0xff).padStart(3, '0')}\x01`, 'latin1');
}

function messages(n: number): Buffer[] {
  return Array.from({ length: n }, (_, i) => fix(`35=D|34=${i + 1}|49=A|56=B|11=ORD${i}|55=BTC/USD|54=1|38=0.01|40=2|44=1000`));
}

interface Upstream {
  server: Server;
  port: number;
  /** Bytes received per accepted connection, in accept order. */
  received: Buffer[][];
  closed: Promise<void>[];
}

/** Echo server that also records what it received and when each of its sockets closed. */
async function echoServer(): Promise<Upstream> {
  const up: Upstream = { server: null as unknown as Server, port: 0, received: [], closed: [] };
  const sockets = new Set<Socket>();
  up.server = createServer((s) => {
    sockets.add(s);
    const got: Buffer[] = [];
    up.received.push(got);
    up.closed.push(new Promise((resolve) => s.on('close', () => resolve())));
    s.on('data', (d) => { got.push(d); s.write(d); });
    s.on('error', () => {});
    s.on('close', () => sockets.delete(s));
  });
  up.server.on('close', () => { for (const s of sockets) s.destroy(); });
  await new Promise<void>((r) => up.server.listen(0, '127.0.0.1', () => r()));
  up.port = (up.server.address() as { port: number }).port;
  return up;
}

interface Client {
  socket: Socket;
  data: () => Buffer;
  closed: Promise<void>;
  waitBytes: (n: number, timeoutMs?: number) => Promise<Buffer>;
}

async function client(port: number): Promise<Client> {
  const socket = connect({ host: '127.0.0.1', port });
  const chunks: Buffer[] = [];
  let notify = () => {};
  socket.on('data', (d) => { chunks.push(d); notify(); });
  socket.on('error', () => {});
  const closed = new Promise<void>((r) => socket.on('close', () => { r(); notify(); }));
  await new Promise<void>((r) => socket.once('connect', () => r()));
  const data = () => Buffer.concat(chunks);
  const waitBytes = (n: number, timeoutMs = 5000) =>
    new Promise<Buffer>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`got ${data().length} of ${n} bytes`)), timeoutMs);
      const check = () => {
        if (data().length >= n || socket.destroyed) { clearTimeout(timer); resolve(data()); }
      };
      notify = check;
      check();
    });
  return { socket, data, closed, waitBytes };
}

function withTimeout<T>(p: Promise<T>, ms: number, what: string): Promise<T> {
  return Promise.race([p, new Promise<T>((_, reject) => setTimeout(() => reject(new Error(`timeout: ${what}`)), ms))]);
}

const cleanups: (() => Promise<void> | void)[] = [];
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
});

async function setup(scenario?: Scenario, extra: { idleTimeoutMs?: number } = {}) {
  const up = await echoServer();
  const proxy = await FaultProxy.start({ upstreamPort: up.port, scenario, ...extra });
  cleanups.push(() => new Promise<void>((r) => up.server.close(() => r())));
  cleanups.push(() => proxy.close());
  return { up, proxy };
}

describe('FixBoundaryScanner', () => {
  it('finds every start and end in any chunking, ignoring garbage between messages', () => {
    const stream = Buffer.concat([Buffer.from('junk8=FI'), ...messages(5), Buffer.from('xx'), ...messages(2)]);
    const s = new FixBoundaryScanner();
    const starts: number[] = [];
    const ends: number[] = [];
    for (let i = 0; i < stream.length; i++) {
      const r = s.step(stream[i]!);
      if (r === Boundary.START) starts.push(s.messageStart);
      if (r === Boundary.END) ends.push(s.offset);
    }
    expect(starts.length).toBe(7);
    expect(ends.length).toBe(7);
    expect(stream.subarray(starts[0], ends[0]).toString('latin1')).toBe(messages(1)[0]!.toString('latin1'));
  });
});

describe('FaultProxy', () => {
  it('is byte-exact in transparent mode, both directions', async () => {
    const { up, proxy } = await setup();
    const c = await client(proxy.port);
    const rng = new Prng(1);
    const payload = Buffer.from(Array.from({ length: 100_000 }, () => rng.int(256)));
    for (let off = 0; off < payload.length; off += 7_001) c.socket.write(payload.subarray(off, off + 7_001));
    const back = await c.waitBytes(payload.length);
    expect(back.equals(payload)).toBe(true);
    expect(Buffer.concat(up.received[0]!).equals(payload)).toBe(true);
    const k = proxy.counters();
    expect(k.up.bytesIn).toBe(payload.length);
    expect(k.up.bytesOut).toBe(payload.length);
    expect(k.down.bytesOut).toBe(payload.length);
    expect(Object.values(k.faults).every((n) => n === 0)).toBe(true);
  });

  it('re-chunks into small pieces (down to 1 byte) and preserves the byte stream', async () => {
    const { up, proxy } = await setup({ seed: 7, rules: [{ kind: 'split', minBytes: 1, maxBytes: 5 }] });
    const c = await client(proxy.port);
    const stream = Buffer.concat(messages(20));
    c.socket.write(stream);
    const back = await c.waitBytes(stream.length);
    expect(back.equals(stream)).toBe(true);
    expect(Buffer.concat(up.received[0]!).equals(stream)).toBe(true);
    const k = proxy.counters();
    expect(k.faults.split).toBeGreaterThan(0);
    expect(k.up.chunksOut).toBeGreaterThanOrEqual(Math.ceil(stream.length / 5));
    expect(k.up.messagesIn).toBe(20);
  });

  it('corrupts the same stream offsets for the same seed, and others for another seed', async () => {
    const stream = Buffer.concat(messages(60));
    const run = async (seed: number) => {
      const { up, proxy } = await setup({ seed, rules: [{ kind: 'corrupt', dir: 'up', probability: 0.005 }] });
      const c = await client(proxy.port);
      // Different chunkings on purpose: byte-level faults must not depend on them.
      const step = 100 + seed;
      for (let off = 0; off < stream.length; off += step) c.socket.write(stream.subarray(off, off + step));
      const back = await c.waitBytes(stream.length);
      const offsets = proxy.events().filter((e) => e.kind === 'corrupt').map((e) => e.offset!);
      const diff: number[] = [];
      for (let i = 0; i < stream.length; i++) if (back[i] !== stream[i]) diff.push(i);
      expect(Buffer.concat(up.received[0]!).equals(back)).toBe(true);
      return { offsets, diff, bytes: back };
    };
    const a = await run(42);
    const b = await run(42);
    const other = await run(43);
    expect(a.offsets.length).toBeGreaterThan(0);
    expect(a.offsets).toEqual(a.diff);
    expect(b.offsets).toEqual(a.offsets);
    expect(b.bytes.equals(a.bytes)).toBe(true);
    expect(other.offsets).not.toEqual(a.offsets);
  });

  it('drop at message n forwards messages 1..n-1 and closes both sides', async () => {
    const { up, proxy } = await setup({ seed: 1, rules: [{ kind: 'drop', dir: 'up', atMessage: 3 }] });
    const c = await client(proxy.port);
    const msgs = messages(5);
    c.socket.write(Buffer.concat(msgs));
    await withTimeout(c.closed, 5000, 'client close');
    await withTimeout(up.closed[0]!, 5000, 'upstream close');
    expect(Buffer.concat(up.received[0]!).equals(Buffer.concat(msgs.slice(0, 2)))).toBe(true);
    expect(proxy.counters().faults.drop).toBe(1);
    expect(proxy.events().some((e) => e.kind === 'drop' && e.detail === 'drop at message 3')).toBe(true);
  });

  it('drop at a byte count forwards exactly that many bytes', async () => {
    const { up, proxy } = await setup({ seed: 1, rules: [{ kind: 'drop', dir: 'up', atBytes: 1234 }] });
    const c = await client(proxy.port);
    const stream = Buffer.concat(messages(30));
    c.socket.write(stream);
    await withTimeout(up.closed[0]!, 5000, 'upstream close');
    await withTimeout(c.closed, 5000, 'client close');
    expect(Buffer.concat(up.received[0]!).equals(stream.subarray(0, 1234))).toBe(true);
  });

  it.each([
    { k: 0, rule: { kind: 'drop', dir: 'up', atMessage: 2 } as const, fault: 'drop' as const },
    { k: 3, rule: { kind: 'cut', dir: 'up', message: 2, afterBytes: 3 } as const, fault: 'cut' as const },
  ])('cuts message 2 after $k bytes even when its `8=FIX` arrives one byte at a time', async ({ k, rule, fault }) => {
    const { up, proxy } = await setup({ seed: 1, rules: [rule] });
    const c = await client(proxy.port);
    const msgs = messages(3);
    c.socket.write(msgs[0]!);
    // `8=FIX` of message 2 byte by byte: the proxy must hold a possible prefix back to cut before it.
    const second = msgs[1]!;
    for (let i = 0; i < 6; i++) {
      c.socket.write(second.subarray(i, i + 1));
      await new Promise((r) => setTimeout(r, 5));
    }
    c.socket.write(second.subarray(6));
    await withTimeout(up.closed[0]!, 5000, 'upstream close');
    await withTimeout(c.closed, 5000, 'client close');
    expect(Buffer.concat(up.received[0]!).toString('latin1')).toBe(msgs[0]!.toString('latin1') + '8=F'.slice(0, k));
    expect(proxy.counters().faults[fault]).toBe(1);
  });

  it('cuts the echo direction in the middle of a message', async () => {
    const { proxy } = await setup({ seed: 1, rules: [{ kind: 'cut', dir: 'down', message: 2, afterBytes: 40 }] });
    const c = await client(proxy.port);
    const msgs = messages(4);
    c.socket.write(Buffer.concat(msgs));
    await withTimeout(c.closed, 5000, 'client close');
    expect(c.data().toString('latin1')).toBe(msgs[0]!.toString('latin1') + msgs[1]!.subarray(0, 40).toString('latin1'));
  });

  it('drops a connection after a time even when it is silent', async () => {
    const { up, proxy } = await setup({ seed: 1, rules: [{ kind: 'drop', atMs: 50, reset: true }] });
    const c = await client(proxy.port);
    await withTimeout(c.closed, 5000, 'client close');
    await withTimeout(up.closed[0]!, 5000, 'upstream close');
    expect(proxy.events().some((e) => e.kind === 'drop')).toBe(true);
  });

  it('a stall holds delivery back: a later unstalled connection overtakes it, then everything arrives', async () => {
    const { proxy } = await setup({ seed: 1, rules: [{ kind: 'stall', conn: 0, dir: 'down', ms: 400, atBytes: 0 }] });
    const order: string[] = [];
    const slow = await client(proxy.port);
    const fast = await client(proxy.port);
    const msg = messages(1)[0]!;
    slow.socket.write(msg);
    const slowDone = slow.waitBytes(msg.length).then((b) => { order.push('stalled'); return b; });
    await proxy.waitFor((e) => e.kind === 'stall');
    fast.socket.write(msg);
    const fastDone = fast.waitBytes(msg.length).then((b) => { order.push('free'); return b; });
    const [a, b] = await Promise.all([slowDone, fastDone]);
    expect(order).toEqual(['free', 'stalled']);
    expect(a.equals(msg)).toBe(true);
    expect(b.equals(msg)).toBe(true);
  });

  it('a delay keeps order within the connection and lets an undelayed one overtake', async () => {
    const { proxy } = await setup({ seed: 3, rules: [{ kind: 'delay', conn: 0, ms: 300, jitterMs: 50 }, { kind: 'split', conn: 0, maxBytes: 9 }] });
    const order: string[] = [];
    const slow = await client(proxy.port);
    const fast = await client(proxy.port);
    const stream = Buffer.concat(messages(5));
    slow.socket.write(stream);
    await proxy.waitFor((e) => e.kind === 'delay');
    fast.socket.write(stream);
    const done = await Promise.all([
      slow.waitBytes(stream.length).then((b) => { order.push('delayed'); return b; }),
      fast.waitBytes(stream.length).then((b) => { order.push('free'); return b; }),
    ]);
    expect(order).toEqual(['free', 'delayed']);
    expect(done[0].equals(stream)).toBe(true);
  });

  it('duplicates chunks', async () => {
    const { up, proxy } = await setup({ seed: 1, rules: [{ kind: 'split', dir: 'up', minBytes: 4, maxBytes: 4 }, { kind: 'duplicate', dir: 'up', probability: 1 }] });
    const c = await client(proxy.port);
    c.socket.write(Buffer.from('abcdefgh'));
    await c.waitBytes(16);
    expect(Buffer.concat(up.received[0]!).toString()).toBe('abcdabcdefghefgh');
    expect(proxy.counters().faults.duplicate).toBe(2);
  });

  it('swaps adjacent chunks (breaking the stream, as intended) and releases a lone held chunk', async () => {
    const { up, proxy } = await setup({ seed: 1, rules: [{ kind: 'split', dir: 'up', minBytes: 2, maxBytes: 2 }, { kind: 'reorder', dir: 'up', probability: 1, holdMs: 10 }] });
    const c = await client(proxy.port);
    c.socket.write(Buffer.from('aabbccddee'));
    await c.waitBytes(10);
    expect(Buffer.concat(up.received[0]!).toString()).toBe('bbaaddccee');
    expect(proxy.counters().faults.reorder).toBe(2);
  });

  it('closes an idle connection by itself', async () => {
    const { proxy } = await setup(undefined, { idleTimeoutMs: 100 });
    const c = await client(proxy.port);
    await withTimeout(c.closed, 5000, 'idle close');
    expect(proxy.events().some((e) => e.kind === 'idle-timeout')).toBe(true);
  });

  it('closes the client when the upstream refuses, and close() ends open connections', async () => {
    const up = await echoServer();
    const port = up.port;
    await new Promise<void>((r) => up.server.close(() => r()));
    const proxy = await FaultProxy.start({ upstreamPort: port });
    cleanups.push(() => proxy.close());
    const c = await client(proxy.port);
    await withTimeout(c.closed, 5000, 'client close on refused upstream');
    expect(proxy.events().some((e) => e.kind === 'upstream-error')).toBe(true);

    const { proxy: p2 } = await setup();
    const c2 = await client(p2.port);
    c2.socket.write('hello');
    await c2.waitBytes(5);
    await p2.close();
    await withTimeout(c2.closed, 5000, 'client close on proxy close');
    expect(p2.counters().open).toBe(0);
  });

  it('rejects a malformed scenario with a message naming the rule', () => {
    expect(() => validateScenario({ seed: 1, rules: [{ kind: 'corrupt', probability: 2 }] })).toThrow(/rule 0 \(corrupt\): probability/);
    expect(() => validateScenario({ seed: 1, rules: [{ kind: 'drop' }] })).toThrow(/exactly one of/);
    expect(() => validateScenario({ seed: 1, rules: [{ kind: 'nope' } as never] })).toThrow(/unknown kind/);
    expect(JSON.parse(JSON.stringify({ seed: 5, rules: [{ kind: 'delay', ms: 1 }] }))).toEqual(validateScenario({ seed: 5, rules: [{ kind: 'delay', ms: 1 }] }));
  });
});
