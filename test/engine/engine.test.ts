// The engine end to end over 127.0.0.1 against the in-process fake venue: logon, an order placed by a
// strategy, its ExecutionReport back in the strategy, a cancel, a clean stop; in worker mode (piscina)
// and inline mode (on the hot-path thread). Bounded: every wait has a deadline.
import { afterEach, describe, expect, it } from 'vitest';
import { Interval, startEngine, type EngineHandle, type StrategyMode } from '../../src/engine/index.js';
import type { FakeVenue } from '../../src/engine/testing/fake-venue.js';
import { engineConfig, fixture, startVenue, until } from './helpers.js';

let venue: FakeVenue | undefined;
let engine: EngineHandle | undefined;

afterEach(async () => {
  await engine?.stop();
  engine = undefined;
  await venue?.close();
  venue = undefined;
});

describe.each<StrategyMode>(['worker', 'inline'])('engine, %s mode', (mode) => {
  it('logs on, places through a strategy, delivers the ER, cancels and stops cleanly', async () => {
    venue = await startVenue();
    const progress = new SharedArrayBuffer(32);
    const p = new Int32Array(progress);
    engine = await startEngine(
      engineConfig(venue.port, [{ name: 'pc', module: fixture('place-cancel.ts'), mode, params: { progress } }]),
    );
    expect(engine.health().loggedOn).toBe(true);
    expect(engine.health().session).toBe('Active');

    await until(() => Atomics.load(p, 3) === 1, 'the cancel to be confirmed to the strategy');
    expect(Atomics.load(p, 0)).toBe(1); // placed
    expect(Atomics.load(p, 1)).toBe(1); // ER New reached the strategy
    expect(Atomics.load(p, 2)).toBe(1); // cancel sent
    expect(Atomics.load(p, 4)).toBe(0); // no rejects
    expect(venue.received.D).toBe(1);
    expect(venue.received.F).toBe(1);
    expect(venue.open.size).toBe(0);

    const c = engine.counters();
    expect(c.commandsSent).toBe(2);
    expect(c.commandsRejected).toBe(0);
    expect(c.executionReports).toBe(2);
    expect(c.mdMessages).toBeGreaterThanOrEqual(1);
    const h = engine.health();
    expect(h.strategies).toHaveLength(1);
    expect(h.strategies[0]!.mode).toBe(mode);
    expect(h.strategies[0]!.state).toBe('running');
    expect(h.strategies[0]!.counters.executions).toBe(2);
    expect(h.errors).toEqual([]);

    const lat = engine.latency();
    expect(lat.percentiles(Interval.WIRE_TO_STRATEGY).count).toBeGreaterThanOrEqual(3);
    expect(lat.percentiles(Interval.STRATEGY_TO_WIRE).count).toBe(2);
    expect(lat.percentiles(Interval.PARSE).count).toBeGreaterThanOrEqual(3);
    expect(engine.hgrm('strategy_to_wire')).toMatch(/Percentile/);

    await engine.stop();
    expect(engine.health().state).toBe('stopped');
    await until(() => venue!.session() === undefined, 'the venue to see the logout', 5_000);
    engine = undefined;
  });

  it('restarts a crashing strategy, reports the failure and skips the poison record once', async () => {
    // A restarted strategy has an empty book until the next snapshot: publish some.
    venue = await startVenue({ mdIntervalMs: 20, snapshotEvery: 3 });
    const state = new SharedArrayBuffer(16);
    const s = new Int32Array(state);
    const errors: string[] = [];
    engine = await startEngine(
      engineConfig(venue.port, [{ name: 'crashy', module: fixture('crash-once.ts'), mode, params: { state, crashes: 1 } }]),
      { onError: (e) => errors.push(`${e.strategy}: ${e.message}`) },
    );
    // Crash on the first ER; restarted, it places a second order whose ER it handles normally.
    await until(() => Atomics.load(s, 2) >= 1, 'an ExecutionReport handled after the restart');
    expect(Atomics.load(s, 0)).toBe(1);
    expect(Atomics.load(s, 1)).toBe(2); // started twice
    expect(errors).toEqual(['crashy: strategy bug: boom']);
    const st = engine.health().strategies[0]!;
    expect(st.restarts).toBe(1);
    expect(st.lastError).toMatch(/boom/);
    expect(st.state).toBe('running');
    expect(st.counters.poisonSkipped).toBe(1);
    expect(engine.health().errors[0]!.source).toBe('strategy');
    expect(venue.received.D).toBe(2);
  });
});

describe('engine back-pressure', () => {
  it('counts a full event queue and loses no ExecutionReport', async () => {
    venue = await startVenue();
    const state = new SharedArrayBuffer(16);
    const seen = new Int32Array(state);
    engine = await startEngine(
      engineConfig(venue.port, [{ name: 'slow', module: fixture('slow-consumer.ts'), params: { state, delayMs: 0.5 } }], {
        queues: { eventsBytes: 4096, eventsBacklogBytes: 4096 },
      }),
    );
    const n = 400;
    for (let i = 0; i < n; i++) venue.sendExecutionReport(String(1000 + i * 10), 'XBT/USD');
    await until(() => Atomics.load(seen, 0) === n, `all ${n} ExecutionReports to reach the strategy`, 30_000);
    const c = engine.counters();
    expect(c.executionReports).toBe(n);
    expect(c.eventsBacklogged).toBeGreaterThan(0);
    expect(c.eventsSpilled).toBeGreaterThan(0);
    expect(c.socketPauses).toBeGreaterThan(0);
    expect(engine.health().strategies[0]!.counters.executions).toBe(n);
  }, 45_000);
});

describe('engine start errors', () => {
  it('fails with a clear message when the venue is not there', async () => {
    await expect(startEngine(engineConfig(1, []))).rejects.toThrow(/could not start session CLIENT->KRAKEN at 127\.0\.0\.1:1: connect to 127\.0\.0\.1:1 failed/);
  });

  it('refuses a bad configuration before starting anything', async () => {
    await expect(startEngine(engineConfig(0, []))).rejects.toThrow(/port must be 1\.\.65535/);
    await expect(startEngine({ ...engineConfig(5000, []), instruments: [] })).rejects.toThrow(/at least one instrument/);
    await expect(
      startEngine(engineConfig(5000, [{ name: 'a', module: 'x.ts' }, { name: 'a', module: 'y.ts' }])),
    ).rejects.toThrow(/duplicate strategy name "a"/);
  });

  it('reports a strategy module that does not exist', async () => {
    venue = await startVenue();
    const errors: string[] = [];
    engine = await startEngine(engineConfig(venue.port, [{ name: 'ghost', module: '/nonexistent/strategy.ts', mode: 'worker' }], { maxStrategyRestarts: 0 }), {
      onError: (e) => errors.push(e.message),
    });
    await until(() => errors.length > 0, 'the failure report');
    expect(errors[0]).toMatch(/strategy module not found: \/nonexistent\/strategy\.ts/);
    await until(() => engine!.health().strategies[0]!.state === 'failed', 'the strategy to be marked failed');
  });
});
