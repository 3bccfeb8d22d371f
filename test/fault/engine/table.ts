/** Summary table of the engine fault campaign (one per test file): scenarios x cases survived and the four counts. */
import type { CaseResult } from './scenarios.js';

interface Row { scenario: string; runs: number; survived: number; lost: number; duplicates: number; execsLost: number; leftOpen: number }

export class CampaignTable {
  private readonly rows = new Map<string, Row>();
  private readonly details: string[] = [];

  record(scenario: string, seed: number, r: CaseResult): void {
    const row = this.rows.get(scenario) ?? { scenario, runs: 0, survived: 0, lost: 0, duplicates: 0, execsLost: 0, leftOpen: 0 };
    row.runs++;
    if (r.check.ok && r.facts.every(([, ok]) => ok)) row.survived++;
    row.lost += r.check.ordersLost;
    row.duplicates += r.check.duplicates;
    row.execsLost += r.check.execsLost;
    row.leftOpen += r.check.leftOpen;
    this.rows.set(scenario, row);
    const c = r.check;
    this.details.push(`${scenario} seed=${seed} orders=${c.created} booked=${c.booked} refused=${c.refused} not-delivered=${c.notDelivered} unbooked=${c.unbooked} reports=${c.venueReports} | ${r.detail}`);
  }

  failed(scenario: string, seed: number, err: unknown): void {
    const row = this.rows.get(scenario) ?? { scenario, runs: 0, survived: 0, lost: 0, duplicates: 0, execsLost: 0, leftOpen: 0 };
    row.runs++;
    this.rows.set(scenario, row);
    this.details.push(`${scenario} seed=${seed} ERROR ${(err as Error).message}`);
  }

  render(title: string): string {
    const pad = (s: string | number, n: number) => String(s).padEnd(n);
    const lines = [
      `${pad('scenario', 24)}${pad('runs survived', 15)}${pad('orders lost', 13)}${pad('duplicates', 12)}${pad('executions lost', 17)}left open after disconnect`,
      ...[...this.rows.values()].map((r) => `${pad(r.scenario, 24)}${pad(`${r.survived}/${r.runs}`, 15)}${pad(r.lost, 13)}${pad(r.duplicates, 12)}${pad(r.execsLost, 17)}${r.leftOpen}`),
    ];
    return `\n${title}\n${lines.join('\n')}\n\n${this.details.join('\n')}\n`;
  }
}
