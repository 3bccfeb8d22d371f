import { describe, expect, it } from 'vitest';
import {
  Credentials,
  NonceSource,
  checkClockDrift,
  krakenLogonPassword,
  logonAuthFields,
  sampleFromSendingTime,
} from '../../src/kraken/index.js';

const creds = new Credentials('APIKEY', 'c2VjcmV0');
const VECTOR = 'MwX+M7nvuHXxD5aGI/TFpghXxg2iblxXYyz7lRzLCPMA4UJYI3osNrUKWCiI3fDnOLkEQ5WKSK58Mp3nvu1Klw==';

describe('Logon password (spec §2)', () => {
  it('reproduces the spec test vector', () => {
    const pw = krakenLogonPassword(creds, { msgSeqNum: 7, senderCompID: 'CLIENT', targetCompID: 'KRAKEN-TRD', nonce: '1724512345678' });
    expect(pw).toBe(VECTOR);
  });

  it('depends on every signed input', () => {
    const base = { msgSeqNum: 7, senderCompID: 'CLIENT', targetCompID: 'KRAKEN-TRD', nonce: '1724512345678' };
    const variants = [
      { ...base, msgSeqNum: 8 },
      { ...base, senderCompID: 'CLIENT_DRV' },
      { ...base, targetCompID: 'KRAKEN-DRV-TRD' },
      { ...base, nonce: '1724512345679' },
    ];
    for (const v of variants) expect(krakenLogonPassword(creds, v)).not.toBe(VECTOR);
    expect(krakenLogonPassword(new Credentials('APIKEY2', 'c2VjcmV0'), base)).not.toBe(VECTOR);
    expect(krakenLogonPassword(new Credentials('APIKEY', 'c2VjcmV1'), base)).not.toBe(VECTOR);
  });

  it('builds Logon auth fields 553/554/5025 (+ optional 8674/109/5030) in order', () => {
    const f = logonAuthFields({
      credentials: creds, msgSeqNum: 7, senderCompID: 'CLIENT', targetCompID: 'KRAKEN-TRD', nonce: '1724512345678',
      cancelOrdersOnDisconnect: true, clientID: 'MD1', forceResetClOrdID: true,
    });
    expect(f).toEqual([
      [553, 'APIKEY'], [554, VECTOR], [5025, '1724512345678'], [8674, '0'], [109, 'MD1'], [5030, 'Y'],
    ]);
    const minimal = logonAuthFields({ credentials: creds, msgSeqNum: 7, senderCompID: 'CLIENT', targetCompID: 'KRAKEN-TRD', nonce: '1' });
    expect(minimal.map((x) => x[0])).toEqual([553, 554, 5025]);
    expect(logonAuthFields({ credentials: creds, msgSeqNum: 1, senderCompID: 'a', targetCompID: 'b', nonce: '1', cancelOrdersOnDisconnect: false }).at(-1)).toEqual([8674, '1']);
  });
});

describe('NonceSource', () => {
  it('is epoch ms and strictly increasing within the same millisecond', () => {
    let now = 1_724_512_345_678;
    const n = new NonceSource(() => now);
    expect(n.next()).toBe(1_724_512_345_678);
    expect(n.next()).toBe(1_724_512_345_679);
    expect(n.nextString()).toBe('1724512345680');
    now += 10;
    expect(n.next()).toBe(1_724_512_345_688);
  });

  it('keeps increasing when the clock steps back, and from a carried high-water mark', () => {
    let now = 2_000;
    const n = new NonceSource(() => now, 5_000);
    expect(n.next()).toBe(5_001);
    now = 1_000;
    expect(n.next()).toBe(5_002);
    now = 9_000.7;
    expect(n.next()).toBe(9_000);
    expect(n.lastIssued).toBe(9_000);
  });
});

describe('clock drift check', () => {
  it('passes a small drift', () => {
    const r = checkClockDrift({ serverMs: 1_000_000, localMs: 1_000_300, uncertaintyMs: 50 });
    expect(r).toEqual({ ok: true, value: { driftMs: 300 } });
  });

  it('flags drift that breaks the ±5 s nonce window (with margin and uncertainty)', () => {
    const r = checkClockDrift({ serverMs: 1_000_000, localMs: 1_000_000 - 4_500 });
    expect(r.ok).toBe(false);
    if (!r.ok) {
      expect(r.error.code).toBe('CLOCK_DRIFT_NONCE_WINDOW');
      expect(r.error.driftMs).toBe(-4_500);
      expect(r.error.message).toMatch(/behind/);
    }
    // 3.5 s drift + 600 ms uncertainty + 1 s margin > 5 s
    const u = checkClockDrift({ serverMs: 0, localMs: 3_500, uncertaintyMs: 600 });
    expect(!u.ok && u.error.code).toBe('CLOCK_DRIFT_NONCE_WINDOW');
    expect(checkClockDrift({ serverMs: 0, localMs: 3_500, uncertaintyMs: 600 }, { marginMs: 0 }).ok).toBe(true);
  });

  it('flags drift beyond the ClOrdID timestamp window as the worse error', () => {
    const r = checkClockDrift({ serverMs: 0, localMs: 150_000 });
    expect(!r.ok && r.error.code).toBe('CLOCK_DRIFT_CLORDID_WINDOW');
    expect(!r.ok && r.error.message).toMatch(/ahead of/);
  });

  it('rejects a non-finite sample', () => {
    const r = checkClockDrift({ serverMs: NaN, localMs: 0 });
    expect(!r.ok && r.error.code).toBe('INVALID_SAMPLE');
  });

  it('derives a sample from SendingTime', () => {
    const s = sampleFromSendingTime('20250303-14:09:32.902', Date.UTC(2025, 2, 3, 14, 9, 39, 902), 2);
    expect(s).not.toBeNull();
    const r = checkClockDrift(s!);
    // local is ~7 s ahead of the server's clock
    expect(!r.ok && r.error.code).toBe('CLOCK_DRIFT_NONCE_WINDOW');
    expect(sampleFromSendingTime('garbage', 0)).toBeNull();
    expect(sampleFromSendingTime('20250231-00:00:00', 0)).toBeNull();
  });
});
