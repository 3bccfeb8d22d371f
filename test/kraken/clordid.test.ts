import { mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import {
  CombClOrdIdGenerator,
  FileHighWaterStore,
  HighWaterStoreError,
  IntegerClOrdIdGenerator,
  MemoryHighWaterStore,
  clOrdIdGeneratorFor,
  combTimestampIso,
  combTimestampUs,
  parseClOrdId,
  validateClOrdId,
} from '../../src/kraken/index.js';

const dir = mkdtempSync(join(tmpdir(), 'kfix-clordid-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const T0_US = Date.UTC(2025, 2, 3, 14, 9, 32, 897) * 1000 + 710;

describe('spec example COMB id', () => {
  it('decodes 9e58120f-182b-... to 2025-03-03 14:09:32.8977 UTC', () => {
    const id = '9e58120f-182b-4dce-9609-8ca7cdd174f0';
    expect(combTimestampIso(id)).toBe('2025-03-03T14:09:32.89771Z');
    expect(combTimestampIso(id)!.startsWith('2025-03-03T14:09:32.8977')).toBe(true);
    expect(combTimestampUs(id)).toBe(1_741_010_972_897_710);
    // SendingTime of the doc example was 14:09:32.902 -> within a few ms
    const r = validateClOrdId(id, 'derivatives', { nowMs: Date.UTC(2025, 2, 3, 14, 9, 32, 902) });
    expect(r.ok).toBe(true);
    expect(combTimestampUs('1688738168')).toBeNull();
  });
});

describe('integer ClOrdIDs (Spot)', () => {
  it('are microsecond epoch and strictly increasing within one microsecond', () => {
    let now = 1_623_448_294_234_000;
    const g = new IntegerClOrdIdGenerator({ nowUs: () => now });
    expect(g.next()).toBe('1623448294234000');
    expect(g.next()).toBe('1623448294234001');
    now += 0.4;
    expect(g.next()).toBe('1623448294234002');
  });

  it('never go backwards when the clock does', () => {
    let now = 1_000_000_000;
    const g = new IntegerClOrdIdGenerator({ nowUs: () => now });
    const a = BigInt(g.next());
    now -= 5_000_000;
    const b = BigInt(g.next());
    expect(b).toBe(a + 1n);
  });

  it('stay monotonic across a simulated restart with the clock set back', () => {
    const store = new MemoryHighWaterStore();
    let now = 1_700_000_000_000_000;
    const g1 = new IntegerClOrdIdGenerator({ nowUs: () => now, store, lease: 1_000_000 });
    const issued: bigint[] = [];
    for (let i = 0; i < 1000; i++) {
      issued.push(BigInt(g1.next()));
      now += 3_000; // 3 ms apart: crosses several leases
    }
    expect(store.saves).toBeGreaterThan(1);
    expect(store.saves).toBeLessThan(10); // written once per lease, not per id
    // "restart" with the wall clock 1 hour in the past
    now -= 3_600_000_000;
    const g2 = new IntegerClOrdIdGenerator({ nowUs: () => now, store, lease: 1_000_000 });
    const next = BigInt(g2.next());
    expect(next > issued.at(-1)!).toBe(true);
    for (let i = 1; i < issued.length; i++) expect(issued[i]! > issued[i - 1]!).toBe(true);
  });

  it('validates format: positive integer, <= 18 digits; Derivatives refuse integers', () => {
    expect(validateClOrdId('1688738168', 'spot').ok).toBe(true);
    expect(validateClOrdId('123456789012345678', 'spot').ok).toBe(true);
    const long = validateClOrdId('1234567890123456789', 'spot');
    expect(!long.ok && long.error.reason).toBe('FORMAT');
    for (const bad of ['0', '-1', '01', '12a', '', '1.5', ' 1']) expect(validateClOrdId(bad, 'spot').ok).toBe(false);
    const drv = validateClOrdId('1688738168', 'derivatives');
    expect(!drv.ok && drv.error.reason).toBe('NOT_COMB_ON_DERIVATIVES');
    expect(parseClOrdId('1688738168')).toEqual({ format: 'integer', value: 1688738168n });
  });
});

describe('COMB UUID ClOrdIDs', () => {
  it('embed the time in 10-µs units with v4 version/variant bits', () => {
    const g = new CombClOrdIdGenerator({ nowUs: () => T0_US, random: (b) => b.fill(0xff) });
    const id = g.next();
    expect(id).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    expect(id.slice(0, 13)).toBe('9e58120f-182b');
    expect(id).toBe('9e58120f-182b-4fff-bfff-ffffffffffff');
    const g0 = new CombClOrdIdGenerator({ nowUs: () => T0_US, random: (b) => b.fill(0) });
    expect(g0.next()).toBe('9e58120f-182b-4000-8000-000000000000');
    const p = parseClOrdId(id);
    expect(p?.format).toBe('comb-uuid');
    expect(validateClOrdId(id, 'derivatives').ok).toBe(true);
    expect(validateClOrdId(id, 'spot').ok).toBe(true);
  });

  it('time prefix strictly increases, sorts, and survives a restart with the clock going back', () => {
    const store = new MemoryHighWaterStore();
    let now = T0_US;
    const g = new CombClOrdIdGenerator({ nowUs: () => now, store });
    const ids: string[] = [];
    for (let i = 0; i < 500; i++) ids.push(g.next()); // same instant: prefix still increases
    now -= 10_000_000;
    for (let i = 0; i < 10; i++) ids.push(g.next());
    const g2 = new CombClOrdIdGenerator({ nowUs: () => now - 60_000_000, store });
    ids.push(g2.next());
    const prefixes = ids.map((id) => combTimestampUs(id)!);
    for (let i = 1; i < prefixes.length; i++) expect(prefixes[i]!).toBeGreaterThan(prefixes[i - 1]!);
    expect([...ids].sort()).toEqual(ids);
  });

  it('rejects malformed UUIDs and timestamps outside the window', () => {
    for (const bad of ['9e58120f-182b-3dce-9609-8ca7cdd174f0', '9e58120f-182b-4dce-c609-8ca7cdd174f0', '9e58120f182b4dce96098ca7cdd174f0', 'zz58120f-182b-4dce-9609-8ca7cdd174f0']) {
      expect(validateClOrdId(bad, 'derivatives').ok).toBe(false);
    }
    const id = '9e58120f-182b-4dce-9609-8ca7cdd174f0';
    const late = validateClOrdId(id, 'derivatives', { nowMs: Date.UTC(2025, 2, 3, 14, 12, 0) });
    expect(!late.ok && late.error.reason).toBe('TIMESTAMP_OUT_OF_WINDOW');
  });

  it('clOrdIdGeneratorFor picks COMB for Derivatives', () => {
    expect(clOrdIdGeneratorFor('derivatives').format).toBe('comb-uuid');
    expect(clOrdIdGeneratorFor('spot').format).toBe('integer');
    expect(clOrdIdGeneratorFor('spot', { spotFormat: 'comb-uuid' }).format).toBe('comb-uuid');
  });
});

describe('FileHighWaterStore', () => {
  it('round-trips, writes atomically (no temp files left) and feeds a restart', () => {
    const path = join(dir, 'spot.hw');
    const store = new FileHighWaterStore(path);
    expect(store.load()).toBeNull();
    let now = 1_700_000_000_000_000;
    const g1 = new IntegerClOrdIdGenerator({ nowUs: () => now, store: new FileHighWaterStore(path) });
    const last = BigInt(g1.next());
    expect(Number(readFileSync(path, 'utf8').trim())).toBeGreaterThanOrEqual(Number(last));
    expect(readdirSync(dir).filter((f) => f.includes('.tmp-'))).toEqual([]);
    now -= 1_000_000_000;
    const g2 = new IntegerClOrdIdGenerator({ nowUs: () => now, store: new FileHighWaterStore(path) });
    expect(BigInt(g2.next()) > last).toBe(true);
  });

  it('refuses a corrupt file with a clear error instead of restarting from zero', () => {
    const path = join(dir, 'corrupt.hw');
    writeFileSync(path, 'hello');
    expect(() => new FileHighWaterStore(path).load()).toThrow(HighWaterStoreError);
    expect(() => new IntegerClOrdIdGenerator({ store: new FileHighWaterStore(path) })).toThrow(/corrupt\.hw/);
  });
});
