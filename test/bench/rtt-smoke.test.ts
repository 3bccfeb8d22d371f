/**
 * Bounded smoke test of the round-trip benchmark against the real peers: a few hundred round trips
 * of QuickFIX C++ <-> QuickFIX and jspurefix <-> jspurefix, ping-pong and pipelined. Checks that
 * samples come back complete and sane, never how fast they are. QuickFIX parts are skipped (and
 * say so in the test name) when libquickfix-dev is not installed.
 */
import { spawnSync } from 'node:child_process';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { histogramFromSamples, summarize } from '../../bench/lib/histogram.js';
import { JspurefixSeries } from '../../bench/rtt/jspurefix-series.js';
import { KfixSeries } from '../../bench/rtt/kfix-series.js';
import { ensureQfRtt, qfRttBinary, QuickfixSeries, quickfixInstalled } from '../../bench/rtt/quickfix.js';
import type { RttRunOptions, RttRunResult } from '../../bench/rtt/types.js';
import { expectSamplesComplete, smallRun } from './rtt-helpers.js';

const small = (o: Partial<RttRunOptions> = {}): RttRunOptions => smallRun(300, 30, o);

function expectSane(r: RttRunResult, count: number): void {
  expectSamplesComplete(r, count);
  expect(r.elapsedNs).toBeGreaterThan(0);
  const s = summarize(histogramFromSamples(r.samplesNs), r.elapsedNs);
  expect(s.count).toBe(count);
  expect(s.p50_us).toBeGreaterThan(0);
  expect(s.p50_us).toBeLessThanOrEqual(s.p99_us);
  expect(s.p99_us).toBeLessThanOrEqual(s.max_us);
  expect(s.msgs_per_s).toBeGreaterThan(0);
}

const hasQuickfix = quickfixInstalled();

describe.skipIf(!hasQuickfix)(`QuickFIX C++ <-> QuickFIX ping-pong${hasQuickfix ? '' : ' (skipped: libquickfix-dev not installed)'}`, () => {
  const series = new QuickfixSeries();
  beforeAll(() => {
    // Builds build/quickfix/qf-rtt when missing or stale.
    expect(ensureQfRtt()).toBeNull();
  }, 200_000);
  afterAll(() => series.dispose());

  it('returns every round trip of a ping-pong run', async () => {
    expect(await series.unavailable()).toBeNull();
    expectSane(await series.run(small()), 300);
  }, 60_000);

  it('returns every round trip with 4 orders in flight', async () => {
    expectSane(await series.run(small({ window: 4, count: 200 })), 200);
  }, 60_000);

  it('paces sends at a target rate, with a window', async () => {
    // 200 orders at 2000/s take at least ~0.1 s of measured wall time.
    const r = await series.run(small({ window: 2, count: 200, rateHz: 2000 }));
    expectSane(r, 200);
    expect(r.elapsedNs).toBeGreaterThanOrEqual(199 * 0.5e6 * 0.95);
  }, 60_000);

  it('rejects bad arguments with a usage message instead of running', () => {
    const r = spawnSync(qfRttBinary(), ['--role', 'initiator', '--port', '0', '--count', '5'], { encoding: 'utf8', timeout: 10_000 });
    expect(r.status).toBe(2);
    expect(r.stderr).toMatch(/usage: qf-rtt/);
    const bad = spawnSync(qfRttBinary(), ['--role', 'acceptor', '--port', 'x'], { encoding: 'utf8', timeout: 10_000 });
    expect(bad.status).toBe(2);
    expect(bad.stderr).toMatch(/--port expects a non-negative integer/);
  });
});

describe('jspurefix <-> jspurefix ping-pong', () => {
  const series = new JspurefixSeries();
  afterAll(() => series.dispose());

  it('returns every round trip of a ping-pong run and of a pipelined run', async () => {
    expect(await series.unavailable()).toBeNull();
    // jspurefix parses its dictionary at start-up: seconds, more on a loaded machine.
    await series.prepare();
    expectSane(await series.run(small()), 300);
    expectSane(await series.run(small({ window: 4, count: 200 })), 200);
  }, 120_000);
});

describe('kfix series plug-in', () => {
  it('either finds src/engine/rtt-client or explains what it expects', async () => {
    const why = await new KfixSeries().unavailable();
    if (why !== null) expect(why).toMatch(/createRttClient/);
  });

  it('runs any module exporting createRttClient through the shared driver, with QuickFIX as counterparty when present', async () => {
    const url = new URL('./fixtures/fake-rtt-client.ts', import.meta.url).href;
    const fake = (await import('./fixtures/fake-rtt-client.js')).seen;
    const series = new KfixSeries(url);
    try {
      expect(await series.unavailable()).toBeNull();
      const r = await series.run(small({ window: 4 }));
      expectSane(r, 300);
      expect(fake.connected).toBe(1);
      expect(fake.closed).toBe(1);
      if (hasQuickfix) expect(fake.counterparty).toMatchObject({ host: '127.0.0.1', engine: 'quickfix' });
      else expect(fake.counterparty).toBeNull();
    } finally {
      await series.dispose();
    }
  }, 60_000);

  it('says what is wrong with a module that is missing or exports no client', async () => {
    expect(await new KfixSeries(new URL('./fixtures/no-such-module.js', import.meta.url).href).unavailable()).toMatch(/does not expose a round-trip client yet/);
    expect(await new KfixSeries(new URL('./fixtures/not-a-client.ts', import.meta.url).href).unavailable()).toMatch(/does not export createRttClient/);
  });
});
