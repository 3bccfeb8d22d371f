// What the JSON config becomes for the engine: the rate-limit tier and the daily rollover are carried
// over, not silently dropped.
import { describe, expect, it } from 'vitest';
import { configSchema } from '../../src/cli/config.js';
import { engineConfigFrom } from '../../src/cli/run.js';

const base = {
  sessions: [{
    name: 't', venue: 'simulator', market: 'spot', kind: 'trading', host: '127.0.0.1', port: 4001,
    senderCompID: 'SIMCLIENT', targetCompID: 'KRAKEN-TRD', tls: { enabled: false, verify: true },
    credentials: { apiKeyEnv: 'K', apiSecretEnv: 'S' },
  }],
};
const env = { K: 'key', S: Buffer.from('secret').toString('base64') };

function mapped(session: Record<string, unknown>) {
  const config = configSchema.parse({ ...base, sessions: [{ ...base.sessions[0], ...session }] });
  const out = engineConfigFrom({ strategyFile: '/x.ts', config, mode: 'inline', params: {}, env });
  if (typeof out === 'string') throw new Error(out);
  return out;
}

describe('config -> engine', () => {
  it('carries the Spot rate-limit tier, and leaves it off when not given', () => {
    expect(mapped({ rateLimitTier: 'pro' }).rateLimitTier).toBe('pro');
    expect(mapped({}).rateLimitTier).toBeUndefined();
    expect(() => mapped({ rateLimitTier: 'gold' })).toThrow(/rateLimitTier/);
  });

  it('carries the schedule rollover time (default Kraken 22:00 UTC)', () => {
    expect(mapped({}).rollover).toEqual({ hourUtc: 22, minuteUtc: 0 });
    expect(mapped({ schedule: { rolloverUtc: '21:30' } }).rollover).toEqual({ hourUtc: 21, minuteUtc: 30 });
  });
});
