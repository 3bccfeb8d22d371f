/**
 * The kfix_sim / kfix_sim_tls round-trip series: our RttClient against our simulator in a child
 * process, with Kraken logon authentication, COMB ClOrdIDs and (TLS) the simulator's certificate as the
 * only trusted CA. Checks completeness and sanity of the samples and the simulator's per-order figures,
 * never how fast they are; and that a refused logon or a bad order template fails clearly.
 */
import { afterAll, describe, expect, it } from 'vitest';
import { histogramFromSamples, summarize } from '../../bench/lib/histogram.js';
import { SIM_ORDER, SimChild, SimSeries, simClientOptions } from '../../bench/rtt/sim-series.js';
import type { RttRunOptions, RttRunResult } from '../../bench/rtt/types.js';
import { expectSamplesComplete, smallRun } from './rtt-helpers.js';
import { createRttClient } from '../../src/engine/rtt-client.js';
import { Credentials } from '../../src/kraken/credentials.js';
import { DEFAULT_ACCOUNTS } from '../../src/sim/config.js';

const small = (o: Partial<RttRunOptions> = {}): RttRunOptions => smallRun(200, 20, o);

function expectSane(r: RttRunResult, count: number): void {
  expectSamplesComplete(r, count);
  const s = summarize(histogramFromSamples(r.samplesNs), r.elapsedNs);
  expect(s.p50_us).toBeLessThanOrEqual(s.p99_us);
  // The simulator's own time per order was measured for every order of the run (warm-up included).
  expect(r.metrics?.['processing_p50_us']).toBeGreaterThan(0);
  expect(r.metrics!['processing_p50_us']!).toBeLessThanOrEqual(r.metrics!['processing_p99_us']!);
  expect(r.notes.join('\n')).toMatch(new RegExp(`over all ${count + 20} orders`));
}

describe.each([
  ['kfix_sim', false],
  ['kfix_sim_tls', true],
] as const)('%s: RttClient <-> simulator child', (id, tls) => {
  const series = new SimSeries(id, tls);
  afterAll(() => series.dispose());

  it('returns every round trip, ping-pong and pipelined, with the simulator per-order time', async () => {
    expect(await series.unavailable()).toBeNull();
    await series.prepare();
    expectSane(await series.run(small()), 200);
    expectSane(await series.run(small({ window: 4 })), 200);
  }, 90_000);
});

describe('RttClient against the simulator: failures are clear, not hangs', () => {
  let child: SimChild | null = null;
  afterAll(() => child?.stop());
  const cred = DEFAULT_ACCOUNTS[0]!.derivatives!;

  it('reports a refused logon (wrong secret)', async () => {
    child ??= await SimChild.start(null, 60);
    await expect(
      createRttClient(simClientOptions(child.port, { credentials: new Credentials(cred.apiKey, Buffer.from('not the secret').toString('base64')) })),
    ).rejects.toThrow(/rtt client: disconnected/);
  }, 30_000);

  it('fails a round trip the venue refuses with 35=j instead of waiting forever', async () => {
    child ??= await SimChild.start(null, 60);
    const client = await createRttClient(simClientOptions(child.port, { order: { ...SIM_ORDER, symbol: 'PF_NOSUCH' } }));
    try {
      await expect(client.roundTrip()).rejects.toThrow(/venue rejected an order \(35=j\)/);
    } finally {
      await client.close();
    }
  }, 30_000);

  it('refuses a malformed order template before connecting', async () => {
    await expect(createRttClient({ host: '127.0.0.1', port: 1, senderCompID: 'A', targetCompID: 'B', order: { ...SIM_ORDER, side: '3' as '1' } })).rejects.toThrow(
      /order\.side must be '1' or '2'/,
    );
    await expect(createRttClient({ host: '127.0.0.1', port: 1, senderCompID: 'A', targetCompID: 'B', order: { ...SIM_ORDER, orderQty: '1 0' } })).rejects.toThrow(
      /order\.orderQty must be printable ASCII/,
    );
  });
});
