// Bounded property test for `npm test`: the fuzzer's mutators and oracles (framer-target.ts) on a
// fixed seed for a few thousand inputs. A new violation fails with the input that caused it;
// violations matching an already reported finding (known-issues.ts) are only counted.
import { describe, expect, it } from 'vitest';
import { FRAMING_ERROR_NAMES, getDictionary } from '../../src/codec/index.js';
import { Prng } from '../fault/prng.js';
import { buildCorpus, quickfixMessages, SENTINEL } from './corpus.js';
import { FramerTarget, randomConfig, show } from './framer-target.js';
import { classify } from './known-issues.js';
import { mutate } from './mutators.js';
import { checkFrame } from './reference.js';

const dictionary = getDictionary({ kraken: true });
const corpus = buildCorpus();

describe('framer fuzz (bounded)', () => {
  it('has a corpus of valid Kraken messages and the QuickFIX script messages', () => {
    expect(corpus.length).toBeGreaterThan(30);
    if (quickfixMessages().length === 0) console.warn('quickfix-at scripts not found: corpus has the Kraken messages only');
    expect(checkFrame(SENTINEL).ok).toBe(true);
  });

  it('delivers every corpus message that the reference accepts, in any chunking', () => {
    const target = new FramerTarget(dictionary);
    const rng = new Prng(7);
    for (const msg of corpus) {
      const r = target.run(msg, { maxMessageSize: 65536, resync: 'scan', tagSyntax: 'strict' }, rng);
      const unknown = r.violations.filter((v) => classify(v, msg) === undefined);
      expect(unknown, show(msg)).toEqual([]);
      const ref = checkFrame(msg, { dataTagOfLength: dictionary.dataTagOfLength });
      if (ref.ok && !classify({ oracle: 'chunking', detail: '' }, msg)) expect(r.messages, show(msg)).toBe(2 * 2); // msg + sentinel, twice
    }
  });

  it('keeps every oracle over 3000 mutated inputs (seed 20240514)', () => {
    const target = new FramerTarget(dictionary, 1000);
    const rng = new Prng(20240514);
    const known = new Map<string, number>();
    const codes = new Set<number>();
    let messages = 0;
    const deadline = Date.now() + 15_000; // bounded even on a slow, shared machine
    let n = 0;
    for (; n < 3000 && Date.now() < deadline; n++) {
      const { input, applied } = mutate(rng, corpus);
      const cfg = randomConfig(rng);
      const r = target.run(input, cfg, rng);
      messages += r.messages;
      for (const c of r.errorCodes) codes.add(c);
      for (const v of r.violations) {
        const id = classify(v, input);
        if (id !== undefined) {
          known.set(id, (known.get(id) ?? 0) + 1);
          continue;
        }
        expect.fail(`case ${n} (${applied.join('+')}, ${JSON.stringify(cfg)}): ${v.oracle}: ${v.detail}\ninput ${show(input, 2000)}`);
      }
    }
    if (known.size > 0) console.log(`framer fuzz: known issues hit ${JSON.stringify(Object.fromEntries(known))}`);
    expect(n).toBeGreaterThan(300);
    expect(messages).toBeGreaterThan(n / 2); // the mutations still let valid messages through
    // The mutators reach most of the framer's error paths.
    expect([...codes].map((c) => FRAMING_ERROR_NAMES[c]).sort().length).toBeGreaterThanOrEqual(7);
  });
});
