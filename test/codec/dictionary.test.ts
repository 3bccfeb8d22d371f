/** The generated dictionary is exactly what the generator produces, and it carries Kraken's custom tags. */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { GENERATED_TS, generateTs, loadDictionary } from '../../scripts/gen-dictionary.js';
import { getDictionary, Tag } from '../../src/codec/dictionary/index.js';

// Custom tags from the tables of /work/shared/spec/kraken-fix.md.
const KRAKEN_TAGS = [5025, 8674, 5030, 5051, 1138, 7928, 5001, 5010, 5011, 5012, 5013, 2349, 5022, 5032, 5060, 5273, 5041, 2446, 109];

describe('generated dictionary', () => {
  it('regenerates byte for byte', () => {
    expect(generateTs(loadDictionary())).toBe(readFileSync(GENERATED_TS, 'utf8'));
  });

  it('has every Kraken custom tag in the Tag table and in the Kraken profile', () => {
    const tags = new Set<number>(Object.values(Tag as Record<string, number>));
    const kraken = getDictionary({ kraken: true });
    for (const t of KRAKEN_TAGS) {
      expect(tags.has(t), `tag ${t} missing from Tag`).toBe(true);
      expect(kraken.isDefined(t), `tag ${t} not defined in the Kraken profile`).toBe(true);
    }
  });

  it('the plain FIX 4.4 profile leaves Kraken-only tags out', () => {
    const plain = getDictionary({ kraken: false });
    expect(plain.isDefined(8674)).toBe(false);
  });
});
