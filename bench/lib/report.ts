/** Console tables, .hgrm files and the `--json` last-line convention shared by the benchmarks. */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { hgrmText, type LatencyHistogram } from './histogram.js';

/** Writes <dir>/<name>.hgrm (HdrHistogram percentile distribution, µs) and returns its path. */
export function writeHgrm(dir: string, name: string, h: LatencyHistogram): string {
  const path = join(dir, `${name}.hgrm`);
  writeFileSync(path, hgrmText(h));
  return path;
}

/**
 * Plain-text table: the first column and those listed in `leftColumns` left-aligned, the others
 * (numbers) right-aligned; `null`/undefined cells print as '-'.
 */
export function formatTable(
  header: string[],
  rows: Array<Array<string | number | null | undefined>>,
  leftColumns: number[] = [],
): string {
  const cells = [header, ...rows.map((r) => r.map((c) => (c === null || c === undefined ? '-' : String(c))))];
  const widths = header.map((_, i) => Math.max(...cells.map((r) => (r[i] ?? '').length)));
  const left = new Set([0, ...leftColumns]);
  const line = (r: string[]): string =>
    r.map((c, i) => (left.has(i) ? c.padEnd(widths[i]!) : c.padStart(widths[i]!))).join('  ').trimEnd();
  return [line(cells[0]!), widths.map((w) => '-'.repeat(w)).join('  '), ...cells.slice(1).map(line)].join('\n');
}

/** Fixed-point text for a number that may be missing. */
export function fmt(v: number | null | undefined, digits = 1): string {
  return v === null || v === undefined || !Number.isFinite(v) ? '-' : v.toFixed(digits);
}

/**
 * The benchmark convention: with `--json`, the last non-empty stdout line is one JSON object.
 * Returns it, or null when the output has none (a crashed or older benchmark).
 */
export function parseLastJsonLine(stdout: string): Record<string, unknown> | null {
  const lines = stdout.split('\n').map((l) => l.trim()).filter((l) => l.length > 0);
  const last = lines[lines.length - 1];
  if (!last || !last.startsWith('{')) return null;
  try {
    const v: unknown = JSON.parse(last);
    return v !== null && typeof v === 'object' && !Array.isArray(v) ? (v as Record<string, unknown>) : null;
  } catch {
    return null;
  }
}
