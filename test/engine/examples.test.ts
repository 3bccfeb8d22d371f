// The two example strategies run against the fake venue: the market maker keeps a bid and an ask around
// the mid (moving them by amend), the imbalance taker takes when the book leans and its fills move the
// position. Bounded: each runs about a second of market data.
import { afterEach, describe, expect, it } from 'vitest';
import { startEngine, type EngineHandle } from '../../src/engine/index.js';
import type { FakeVenue } from '../../src/engine/testing/fake-venue.js';
import { engineConfig, example, startVenue, until } from './helpers.js';

let venue: FakeVenue | undefined;
let engine: EngineHandle | undefined;

afterEach(async () => {
  await engine?.stop();
  engine = undefined;
  await venue?.close();
  venue = undefined;
});

describe('example strategies', () => {
  it('market-maker quotes both sides around the mid and cleans up on stop', async () => {
    venue = await startVenue({ mdIntervalMs: 5, snapshotEvery: 10 });
    engine = await startEngine(
      engineConfig(venue.port, [{ name: 'mm', module: example('market-maker.ts'), params: { halfSpreadTicks: 3, minRequoteMs: 5 } }]),
    );
    await until(() => (venue!.received.G ?? 0) >= 2, 'quotes to be moved by amend');
    const open = [...venue.open.values()];
    const bids = open.filter((o) => o.side === '1').map((o) => Number(o.price));
    const asks = open.filter((o) => o.side === '2').map((o) => Number(o.price));
    expect(bids).toHaveLength(1);
    expect(asks).toHaveLength(1);
    expect(bids[0]!).toBeLessThan(asks[0]!);
    const h = engine.health();
    expect(h.errors).toEqual([]);
    expect(h.strategies[0]!.counters.localRejects).toBe(0);
    expect(engine.counters().commandsRejected).toBe(0);
    await engine.stop();
    engine = undefined;
    expect(venue.received.q).toBe(1);
    expect(venue.open.size).toBe(0);
  });

  it('imbalance-taker takes liquidity inline and its fills change the position', async () => {
    venue = await startVenue({ mdIntervalMs: 5, snapshotEvery: 5, fillOnCross: true, seed: 7 });
    engine = await startEngine(
      engineConfig(venue.port, [
        { name: 'taker', module: example('imbalance-taker.ts'), mode: 'inline', params: { threshold: 0.2, cooldownMs: 20, levels: 2 } },
      ]),
    );
    await until(() => (venue!.received.D ?? 0) >= 2, 'two takes');
    await until(() => engine!.health().strategies[0]!.counters.executions >= 4, 'their fills');
    expect(engine.health().errors).toEqual([]);
    expect(engine.counters().commandsRejected).toBe(0);
  });
});
