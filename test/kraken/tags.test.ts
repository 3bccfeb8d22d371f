import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { KRAKEN_TAGS, STANDARD_TAGS } from '../../src/kraken/index.js';

describe('tag constants', () => {
  const xml = readFileSync('/work/shared/spec/FIX44.xml', 'utf8');
  const byNumber = new Map<number, string>();
  for (const m of xml.matchAll(/<field number='(\d+)' name='([A-Za-z0-9]+)'/g)) byNumber.set(Number(m[1]), m[2]!);

  it('standard tags match FIX44.xml names and numbers', () => {
    expect(byNumber.size).toBeGreaterThan(500);
    for (const [name, num] of Object.entries(STANDARD_TAGS)) expect(`${num}=${byNumber.get(num)}`).toBe(`${num}=${name}`);
  });

  it('Kraken/extension tags are not FIX 4.4 tags with another meaning', () => {
    for (const num of Object.values(KRAKEN_TAGS)) expect(byNumber.has(num)).toBe(false);
  });
});
