/** Registers one vitest case per scenario x campaign case and prints the file's table afterwards. */
import { afterAll, describe, expect, it } from 'vitest';
import { campaignCases, type ScenarioDef } from './scenarios.js';
import { CampaignTable } from './table.js';

export function campaign(title: string, scenarios: readonly ScenarioDef[], timeoutMs = 30_000): void {
  const table = new CampaignTable();
  afterAll(() => console.log(table.render(title)));
  for (const s of scenarios) {
    describe(s.name, () => {
      for (const { seed, k } of campaignCases()) {
        it(`seed ${seed}`, async () => {
          let r;
          try {
            r = await s.run(seed, k);
          } catch (err) {
            table.failed(s.name, seed, err);
            throw err;
          }
          table.record(s.name, seed, r);
          for (const [fact, ok] of r.facts) expect(ok, `${fact} (${r.detail})`).toBe(true);
          expect(r.check.problems, r.detail).toEqual([]);
          expect(r.check.ordersLost).toBe(0);
          expect(r.check.duplicates).toBe(0);
          expect(r.check.execsLost).toBe(0);
          expect(r.check.leftOpen).toBe(0);
        }, timeoutMs);
      }
    });
  }
}
