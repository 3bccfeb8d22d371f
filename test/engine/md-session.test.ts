// The engine's market-data session against the real Kraken simulator: books come from the simulator's
// MD port (CompID-only logon, MarketDataRequest), orders go to its trading port (signed logon), and the
// market maker quotes from those books. A bad subscription shows up as a reject in health().
import { connect, createServer, type Server, type Socket } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { startEngine, type EngineConfig, type EngineHandle } from '../../src/engine/index.js';
import { DEFAULT_ACCOUNTS, startKrakenSimulator, TARGET_COMP_IDS, type SimulatorHandle } from '../../src/sim/index.js';
import { example, until, XBT } from './helpers.js';

let sim: SimulatorHandle | undefined;
let engine: EngineHandle | undefined;
let proxy: Proxy | undefined;

/** A TCP relay whose connections the test can cut, to make the venue "drop" the MD session. */
interface Proxy {
  port: number;
  connections: number;
  cut(): void;
  close(): Promise<void>;
}

function startProxy(target: number): Promise<Proxy> {
  const pairs: [Socket, Socket][] = [];
  const server: Server = createServer((client) => {
    const upstream = connect(target, '127.0.0.1');
    client.pipe(upstream);
    upstream.pipe(client);
    client.on('error', () => upstream.destroy());
    upstream.on('error', () => client.destroy());
    pairs.push([client, upstream]);
    p.connections++;
  });
  const p: Proxy = {
    port: 0,
    connections: 0,
    cut: () => {
      for (const [a, b] of pairs.splice(0)) {
        a.destroy();
        b.destroy();
      }
    },
    close: () => {
      p.cut();
      return new Promise((r) => server.close(() => r()));
    },
  };
  return new Promise((resolve) =>
    server.listen(0, '127.0.0.1', () => {
      p.port = (server.address() as { port: number }).port;
      resolve(p);
    }),
  );
}

afterEach(async () => {
  await proxy?.close();
  proxy = undefined;
  await engine?.stop();
  engine = undefined;
  await sim?.close();
  sim = undefined;
});

const alice = DEFAULT_ACCOUNTS[0]!.spot!;

function simulator(): Promise<SimulatorHandle> {
  return startKrakenSimulator({
    host: '127.0.0.1',
    ports: { spotTrading: 0, spotMd: 0, derivTrading: 0, derivMd: 0, derivMdL3: 0, spotMdL3: 0 },
    seed: 11,
    tickMs: 10,
    flow: { stepMs: 20, actionsPerStep: 3, takeFraction: 0.2 },
  });
}

function config(s: SimulatorHandle, extra: Partial<EngineConfig> = {}): EngineConfig {
  return {
    port: s.ports.spotTrading,
    senderCompID: alice.senderCompID,
    targetCompID: TARGET_COMP_IDS.spotTrading,
    credentials: { apiKey: alice.apiKey, secretBase64: alice.apiSecret },
    instruments: [XBT],
    strategies: [],
    logonTimeoutMs: 5_000,
    marketData: { port: s.ports.spotMd, senderCompID: alice.senderCompID, targetCompID: TARGET_COMP_IDS.spotMd, depth: 10 },
    ...extra,
  };
}

describe('engine market-data session (Kraken simulator)', () => {
  it('subscribes on the MD port and the market maker quotes from those books on the trading port', async () => {
    sim = await simulator();
    engine = await startEngine(
      config(sim, { strategies: [{ name: 'mm', module: example('market-maker.ts'), params: { halfSpreadTicks: 2, minRequoteMs: 100, requoteTicks: 3 } }] }),
    );
    const md = engine.health().marketData!;
    expect(md.loggedOn).toBe(true);
    expect(md.requests).toBe(1);
    await until(() => engine!.counters().mdMessages >= 3, 'snapshot and increments from the MD port');
    await until(() => engine!.counters().erNew >= 2, 'both quotes acknowledged by the simulator');
    const c = engine.counters();
    expect(c.mdEntries).toBeGreaterThan(0);
    expect(c.ordersSent).toBeGreaterThanOrEqual(2);
    expect(c.commandsRejected).toBe(0);
    expect(sim.stats().ordersReceived).toBeGreaterThanOrEqual(2);
    const h = engine.health();
    expect(h.strategies[0]!.counters.books).toBeGreaterThan(0);
    expect(h.marketData!.rejects).toBe(0);
    expect(h.errors).toEqual([]);
    // Round trips (order written -> first ExecutionReport read) are measured.
    expect(engine.latency().percentiles(4).count).toBeGreaterThan(0);
    await engine.stop();
    expect(engine.health().marketData!.loggedOn).toBe(false);
    engine = undefined;
  }, 30_000);

  it('reports a MarketDataRequestReject in health() and keeps the engine running', async () => {
    sim = await simulator();
    const unknown = { ...XBT, symbol: 'DOGE/USD' };
    engine = await startEngine(config(sim, { instruments: [unknown] }));
    await until(() => engine!.health().marketData!.lastReject !== null, 'the reject for an unknown symbol');
    expect(engine.health().marketData!.rejects).toBe(1);
    const h = engine.health();
    expect(h.marketData!.lastReject).toMatch(/35=Y.*DOGE\/USD/);
    expect(h.errors.some((e) => e.source === 'market-data' && /rejected/.test(e.message))).toBe(true);
    expect(h.loggedOn).toBe(true);
  }, 30_000);

  it('reconnects a dropped MD session and subscribes again after the new logon', async () => {
    sim = await simulator();
    proxy = await startProxy(sim.ports.spotMd);
    const cfg = config(sim);
    cfg.marketData = { ...cfg.marketData!, port: proxy.port, reconnectMs: 50 };
    engine = await startEngine(cfg);
    await until(() => engine!.counters().mdMessages >= 2, 'market data before the drop');
    proxy.cut();
    await until(() => engine!.counters().mdLogons >= 2, 'a second MD logon');
    const before = engine.counters().mdMessages;
    await until(() => engine!.counters().mdMessages > before + 1, 'market data after the reconnect');
    const h = engine.health();
    expect(proxy.connections).toBe(2);
    expect(h.marketData!.requests).toBe(2);
    expect(h.marketData!.disconnects).toBe(1);
    expect(h.marketData!.rejects).toBe(0);
    expect(h.loggedOn).toBe(true);
  }, 30_000);

  it('fails to start with a clear message when the MD port does not answer', async () => {
    sim = await simulator();
    const cfg = config(sim, { logonTimeoutMs: 1_000 });
    cfg.marketData = { ...cfg.marketData!, port: sim.ports.derivTrading, targetCompID: 'KRAKEN-MD' };
    await expect(startEngine(cfg)).rejects.toThrow(/market-data session ALICE->KRAKEN-MD/);
  }, 30_000);
});
