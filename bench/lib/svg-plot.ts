/**
 * Hand-written SVG of latency percentile distributions (no plotting dependency): x is the
 * percentile on a log "nines" scale (0, 90, 99, 99.9, 99.99 evenly spaced), y is latency in µs
 * (log scale by default, since FIX round trips span tens of µs to milliseconds). One polyline per
 * series, with a legend. The output is a standalone file any browser or image viewer opens.
 */
import { writeFileSync } from 'node:fs';
import type { CurvePoint } from './histogram.js';

export interface PlotSeries {
  name: string;
  points: CurvePoint[];
  /** Extra legend text, e.g. "p50 28 µs, p99 160 µs". */
  note?: string;
}

export interface PlotOptions {
  title: string;
  subtitle?: string;
  /** Right end of the x axis in nines: 4 -> 99.99%. */
  maxNines?: number;
  yScale?: 'log' | 'linear';
  width?: number;
  height?: number;
}

const PALETTE = ['#1f77b4', '#d62728', '#2ca02c', '#ff7f0e', '#9467bd', '#8c564b', '#e377c2', '#17becf'];
const FONT = 'font-family="DejaVu Sans, Helvetica, Arial, sans-serif"';

export function escapeXml(s: string): string {
  return s.replace(/[<>&"']/g, (c) => ({ '<': '&lt;', '>': '&gt;', '&': '&amp;', '"': '&quot;', "'": '&apos;' })[c]!);
}

/** Percentile (0..100) -> nines: 90 -> 1, 99 -> 2, 99.9 -> 3. */
export function ninesOf(percentile: number): number {
  if (percentile <= 0) return 0;
  if (percentile >= 100) return Number.POSITIVE_INFINITY;
  return -Math.log10(1 - percentile / 100);
}

function ninesLabel(n: number): string {
  if (n === 0) return '0%';
  return `${(100 * (1 - Math.pow(10, -n))).toFixed(Math.max(0, n - 2))}%`;
}

/** Latency for labels: 850 ns, 42.1 µs, 7.65 ms. */
export function formatLatencyUs(v: number): string {
  if (v >= 1000) return `${+(v / 1000).toPrecision(3)} ms`;
  if (v >= 1) return `${+v.toPrecision(3)} µs`;
  return `${Math.round(v * 1000)} ns`;
}

/** 1-2-5 ticks per decade covering [lo, hi] (log axis). */
function logTicks(lo: number, hi: number): number[] {
  const ticks: number[] = [];
  for (let e = Math.floor(Math.log10(lo)); e <= Math.ceil(Math.log10(hi)); e++) {
    for (const m of [1, 2, 5]) {
      const t = m * Math.pow(10, e);
      if (t >= lo * 0.999 && t <= hi * 1.001) ticks.push(t);
    }
  }
  return ticks;
}

function linearTicks(hi: number): number[] {
  const raw = hi / 5;
  const mag = Math.pow(10, Math.floor(Math.log10(raw)));
  const step = [1, 2, 5, 10].map((m) => m * mag).find((s) => s >= raw)!;
  const ticks: number[] = [];
  for (let t = 0; t <= hi * 1.0001; t += step) ticks.push(t);
  return ticks;
}

export function renderPercentilePlot(series: PlotSeries[], options: PlotOptions): string {
  const width = options.width ?? 960;
  // The legend sits under the plot, one row per series, so it never hides a curve.
  const legendH = series.length > 0 ? series.length * 20 + 16 : 0;
  const height = (options.height ?? 540) + legendH;
  const maxNines = options.maxNines ?? 4;
  const yScale = options.yScale ?? 'log';
  const m = { left: 80, right: 30, top: options.subtitle ? 70 : 50, bottom: 60 + legendH };
  const pw = width - m.left - m.right;
  const ph = height - m.top - m.bottom;

  const values = series.flatMap((s) => s.points.map((p) => p.value_us)).filter((v) => v > 0 && Number.isFinite(v));
  let yLo = values.length ? Math.min(...values) : 1;
  let yHi = values.length ? Math.max(...values) : 10;
  if (yScale === 'log') {
    yLo = Math.pow(10, Math.floor(Math.log10(yLo)));
    yHi = Math.pow(10, Math.ceil(Math.log10(yHi * 1.05)));
    if (yHi <= yLo) yHi = yLo * 10;
  } else {
    yLo = 0;
    const t = linearTicks(yHi * 1.05);
    yHi = t[t.length - 1]! >= yHi * 1.05 ? t[t.length - 1]! : yHi * 1.05;
  }
  const xOf = (nines: number): number => m.left + (Math.min(nines, maxNines) / maxNines) * pw;
  const yOf = (v: number): number => {
    const f = yScale === 'log' ? (Math.log10(Math.max(v, yLo)) - Math.log10(yLo)) / (Math.log10(yHi) - Math.log10(yLo)) : v / yHi;
    return m.top + ph - Math.min(1, Math.max(0, f)) * ph;
  };

  const out: string[] = [];
  out.push(`<?xml version="1.0" encoding="UTF-8"?>`);
  out.push(`<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}">`);
  out.push(`<rect x="0" y="0" width="${width}" height="${height}" fill="#ffffff"/>`);
  out.push(`<text x="${width / 2}" y="28" text-anchor="middle" font-size="18" font-weight="bold" ${FONT}>${escapeXml(options.title)}</text>`);
  if (options.subtitle) {
    out.push(`<text x="${width / 2}" y="50" text-anchor="middle" font-size="13" fill="#555" ${FONT}>${escapeXml(options.subtitle)}</text>`);
  }

  // grid and axes
  out.push(`<g stroke="#e3e3e3" stroke-width="1">`);
  const yTicks = yScale === 'log' ? logTicks(yLo, yHi) : linearTicks(yHi);
  for (const t of yTicks) out.push(`<line x1="${m.left}" y1="${yOf(t).toFixed(1)}" x2="${m.left + pw}" y2="${yOf(t).toFixed(1)}"/>`);
  for (let n = 0; n <= maxNines; n++) out.push(`<line x1="${xOf(n).toFixed(1)}" y1="${m.top}" x2="${xOf(n).toFixed(1)}" y2="${m.top + ph}"/>`);
  out.push(`</g>`);
  out.push(`<rect x="${m.left}" y="${m.top}" width="${pw}" height="${ph}" fill="none" stroke="#333" stroke-width="1"/>`);
  out.push(`<g font-size="12" fill="#333" ${FONT}>`);
  for (const t of yTicks) {
    out.push(`<text x="${m.left - 8}" y="${(yOf(t) + 4).toFixed(1)}" text-anchor="end">${escapeXml(formatLatencyUs(t))}</text>`);
  }
  for (let n = 0; n <= maxNines; n++) {
    out.push(`<text x="${xOf(n).toFixed(1)}" y="${m.top + ph + 20}" text-anchor="middle">${ninesLabel(n)}</text>`);
  }
  out.push(`</g>`);
  out.push(`<text x="${m.left + pw / 2}" y="${m.top + ph + 44}" text-anchor="middle" font-size="13" ${FONT}>percentile</text>`);
  out.push(
    `<text x="18" y="${m.top + ph / 2}" text-anchor="middle" font-size="13" transform="rotate(-90 18 ${m.top + ph / 2})" ${FONT}>` +
      `latency (${yScale === 'log' ? 'log scale' : 'linear'})</text>`,
  );

  // series
  series.forEach((s, i) => {
    const color = PALETTE[i % PALETTE.length]!;
    const pts = s.points
      .filter((p) => Number.isFinite(p.value_us) && ninesOf(p.percentile) <= maxNines + 1e-9)
      .map((p) => `${xOf(ninesOf(p.percentile)).toFixed(1)},${yOf(p.value_us).toFixed(1)}`);
    if (pts.length > 0) {
      out.push(`<polyline data-series="${escapeXml(s.name)}" fill="none" stroke="${color}" stroke-width="2" stroke-linejoin="round" points="${pts.join(' ')}"/>`);
    }
  });

  // legend, under the x axis
  const lx = m.left;
  let ly = m.top + ph + 66;
  series.forEach((s, i) => {
    const color = PALETTE[i % PALETTE.length]!;
    out.push(`<line x1="${lx}" y1="${ly}" x2="${lx + 28}" y2="${ly}" stroke="${color}" stroke-width="3"/>`);
    const label = s.note ? `${s.name} — ${s.note}` : s.name;
    out.push(`<text x="${lx + 36}" y="${ly + 4}" font-size="13" ${FONT}>${escapeXml(label)}</text>`);
    ly += 20;
  });
  out.push(`</svg>`);
  return out.join('\n') + '\n';
}

export function writePercentilePlot(path: string, series: PlotSeries[], options: PlotOptions): void {
  writeFileSync(path, renderPercentilePlot(series, options));
}
