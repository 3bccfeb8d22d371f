/** Shared set-up for engine tests: a fake venue on 127.0.0.1 and an engine configuration for it. */
import { fileURLToPath } from 'node:url';
import type { EngineConfig, EngineStrategyConfig } from '../../src/engine/index.js';
import { FakeVenue, type FakeVenueOptions } from '../../src/engine/testing/fake-venue.js';
import type { InstrumentSpec } from '../../src/kraken/index.js';

export const XBT: InstrumentSpec = {
  symbol: 'XBT/USD',
  venue: 'spot',
  tickSize: '0.1',
  priceDecimals: 1,
  qtyIncrement: '0.00000001',
  qtyDecimals: 8,
  qtyMin: '0.0001',
};

export function fixture(name: string): string {
  return fileURLToPath(new URL(`./fixtures/${name}`, import.meta.url));
}

export function example(name: string): string {
  return fileURLToPath(new URL(`../../examples/strategies/${name}`, import.meta.url));
}

export function startVenue(extra: Partial<FakeVenueOptions> = {}): Promise<FakeVenue> {
  return FakeVenue.start({ symbols: [{ symbol: 'XBT/USD', mid: 300_000, priceScale: 1, qtyScale: 8, tick: 1 }], ...extra });
}

export function engineConfig(port: number, strategies: EngineStrategyConfig[], extra: Partial<EngineConfig> = {}): EngineConfig {
  return {
    port,
    senderCompID: 'CLIENT',
    targetCompID: 'KRAKEN',
    instruments: [XBT],
    strategies,
    logonTimeoutMs: 5_000,
    restartBackoffMs: 20,
    ...extra,
  };
}

/** Polls `cond` every 10 ms; rejects with `what` after `ms`. */
export async function until(cond: () => boolean, what: string, ms = 10_000): Promise<void> {
  const deadline = Date.now() + ms;
  while (!cond()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for: ${what}`);
    await new Promise((r) => setTimeout(r, 10));
  }
}
