// The round-trip client bench/rtt plugs in: against its own fake venue (null target), ping-pong and
// pipelined round trips resolve with positive nanosecond figures, each matched to its own order.
import { describe, expect, it } from 'vitest';
import { createRttClient } from '../../src/engine/rtt-client.js';

describe('createRttClient', () => {
  it('measures ping-pong and pipelined round trips, then closes', async () => {
    const client = await createRttClient(null);
    try {
      await client.connect();
      for (let i = 0; i < 50; i++) expect(await client.roundTrip()).toBeGreaterThan(0);
      const batch = await Promise.all(Array.from({ length: 16 }, () => client.roundTrip()));
      expect(batch).toHaveLength(16);
      for (const ns of batch) expect(ns).toBeGreaterThan(0);
      expect(client.maxInFlight).toBe(1024);
    } finally {
      await client.close();
    }
    await expect(client.roundTrip()).rejects.toThrow(/not logged on/);
    await client.close();
  });

  it('fails clearly when nothing listens', async () => {
    await expect(createRttClient({ host: '127.0.0.1', port: 1, senderCompID: 'A', targetCompID: 'B' })).rejects.toThrow(/connect to 127\.0\.0\.1:1 failed/);
  });
});
