// The proxy's 'swallow' rule (added for the engine campaign's sequence-gap scenarios): the listed
// messages vanish whole, in any chunking, and the connection stays up.
import { connect, createServer, type Server, type Socket } from 'node:net';
import { afterEach, expect, it } from 'vitest';
import { FaultProxy, validateScenario } from '../proxy.js';

function fix(i: number): Buffer {
  const b = `35=D\x0134=${i}\x0149=A\x0156=B\x0111=ORD${i}\x01`;
  const head = `8=FIX.4.4\x019=${b.length}\x01`;
  let sum = 0;
  for (const c of head + b) sum += c.charCodeAt(0);
  return Buffer.from(`${head}${b}10=${String(sum & 0xff).padStart(3, '0')}\x01`, 'latin1');
}

let server: Server | undefined;
let proxy: FaultProxy | undefined;
afterEach(async () => {
  await proxy?.close();
  await new Promise<void>((r) => (server ? server.close(() => r()) : r()));
  server = proxy = undefined;
});

const seqs = (b: Buffer) => [...b.toString('latin1').matchAll(/\x0134=(\d+)\x01/g)].map((m) => Number(m[1]));

for (const chunk of [1, 7, 1000]) {
  it(`removes exactly the listed messages and keeps the connection (chunks of ${chunk} bytes)`, async () => {
    const got: Buffer[] = [];
    const sockets: Socket[] = [];
    server = createServer((s) => { sockets.push(s); s.on('data', (d) => got.push(d)); s.on('error', () => {}); });
    server.on('close', () => sockets.forEach((s) => s.destroy()));
    await new Promise<void>((r) => server!.listen(0, '127.0.0.1', () => r()));
    proxy = await FaultProxy.start({ upstreamPort: (server.address() as { port: number }).port, scenario: { seed: 1, rules: [{ kind: 'swallow', dir: 'up', messages: [2, 5, 6] }] } });
    const c = connect({ host: '127.0.0.1', port: proxy.port });
    await new Promise<void>((r) => c.once('connect', () => r()));
    const all = Buffer.concat(Array.from({ length: 8 }, (_, i) => fix(i + 1)));
    for (let off = 0; off < all.length; off += chunk) {
      c.write(all.subarray(off, off + chunk));
      if (chunk < 100) await new Promise((r) => setImmediate(r));
    }
    const want = Buffer.concat([1, 3, 4, 7, 8].map(fix));
    const deadline = Date.now() + 3000;
    while (Buffer.concat(got).length < want.length && Date.now() < deadline) await new Promise((r) => setTimeout(r, 5));
    const out = Buffer.concat(got);
    expect(seqs(out)).toEqual([1, 3, 4, 7, 8]);
    expect(out.toString('latin1').replace(/\x01/g, '|')).toBe(want.toString('latin1').replace(/\x01/g, '|'));
    expect(c.destroyed).toBe(false);
    expect(proxy.counters().faults.swallow).toBe(3);
    c.destroy();
  });
}

it('refuses a swallow rule without message numbers', () => {
  expect(() => validateScenario({ seed: 1, rules: [{ kind: 'swallow', messages: [] }] })).toThrow(/messages must be a non-empty list/);
  expect(() => validateScenario({ seed: 1, rules: [{ kind: 'swallow', messages: [0] }] })).toThrow(/1-based/);
});
