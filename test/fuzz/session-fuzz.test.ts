// Bounded property test of the session fuzz target: an acceptor fed plausible and mutated messages
// with clock ticks, fixed seed. New violations fail with the bytes fed; known ones are counted.
import { describe, expect, it } from 'vitest';
import { Prng } from '../fault/prng.js';
import { show } from './framer-target.js';
import { classify } from './known-issues.js';
import { SessionTarget } from './session-target.js';

describe('session fuzz (bounded)', () => {
  it('keeps every session oracle over 1500 cases (seed 9)', () => {
    const target = new SessionTarget();
    const rng = new Prng(9);
    const known = new Map<string, number>();
    let outputs = 0;
    let n = 0;
    const deadline = Date.now() + 12_000;
    for (; n < 1500 && Date.now() < deadline; n++) {
      const r = target.run(rng);
      outputs += r.outputMessages;
      for (const v of r.violations) {
        const id = classify(v, r.fed);
        if (id !== undefined) {
          known.set(id, (known.get(id) ?? 0) + 1);
          continue;
        }
        expect.fail(`case ${n}: ${v.oracle}: ${v.detail}\nfed ${show(r.fed, 2000)}`);
      }
    }
    if (known.size > 0) console.log(`session fuzz: known issues hit ${JSON.stringify(Object.fromEntries(known))}`);
    expect(n).toBeGreaterThan(200);
    expect(outputs).toBeGreaterThan(n); // the session is really answering, not just dropping everything
  });
});
