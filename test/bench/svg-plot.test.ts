import { XMLParser, XMLValidator } from 'fast-xml-parser';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { createLatencyHistogram, percentileCurve, recordNs } from '../../bench/lib/histogram.js';
import { escapeXml, ninesOf, renderPercentilePlot, writePercentilePlot, type PlotSeries } from '../../bench/lib/svg-plot.js';

function series(name: string, baseUs: number): PlotSeries {
  const h = createLatencyHistogram();
  for (let i = 1; i <= 10_000; i++) recordNs(h, baseUs * 1000 * (1 + (i % 100) / 50) + (i === 10_000 ? 5e6 : 0));
  return { name, points: percentileCurve(h), note: `p50 ${baseUs} µs` };
}

function polylines(svg: string): Array<Record<string, string>> {
  const doc = new XMLParser({ ignoreAttributes: false, attributeNamePrefix: '' }).parse(svg) as { svg: { polyline?: unknown } };
  const p = doc.svg.polyline;
  return (Array.isArray(p) ? p : p ? [p] : []) as Array<Record<string, string>>;
}

describe('percentile plot SVG', () => {
  const svg = renderPercentilePlot([series('QuickFIX <-> QuickFIX', 30), series('jspurefix & "friends" <x>', 200)], {
    title: 'Order round trip <ping-pong>',
    subtitle: 'test',
  });

  it('is well-formed XML with an svg root', () => {
    expect(XMLValidator.validate(svg)).toBe(true);
    expect(svg).toMatch(/^<\?xml version="1.0" encoding="UTF-8"\?>\n<svg xmlns="http:\/\/www.w3.org\/2000\/svg"/);
  });

  it('draws one polyline per series, labelled with the series name (escaped, so it parses back intact)', () => {
    const lines = polylines(svg);
    expect(lines.map((l) => l['data-series'])).toEqual(['QuickFIX <-> QuickFIX', 'jspurefix & "friends" <x>']);
    expect(svg).toContain('data-series="jspurefix &amp; &quot;friends&quot; &lt;x&gt;"');
    for (const l of lines) {
      const pts = l.points!.split(' ').map((p) => p.split(',').map(Number));
      expect(pts.length).toBeGreaterThan(10);
      expect(pts.every(([x, y]) => Number.isFinite(x) && Number.isFinite(y))).toBe(true);
      // x increases along the curve (percentiles ascending)
      for (let i = 1; i < pts.length; i++) expect(pts[i]![0]!).toBeGreaterThanOrEqual(pts[i - 1]![0]!);
    }
  });

  it('has a legend entry and the nines axis labels', () => {
    expect(svg).toContain('QuickFIX &lt;-&gt; QuickFIX — p50 30 µs');
    for (const label of ['>0%<', '>90%<', '>99%<', '>99.9%<', '>99.99%<']) expect(svg).toContain(label);
    expect(svg).toContain('Order round trip &lt;ping-pong&gt;');
  });

  it('puts the slower series above the faster one (smaller y is higher)', () => {
    const [fast, slow] = polylines(svg).map((l) => Number(l.points!.split(' ')[0]!.split(',')[1]));
    expect(slow!).toBeLessThan(fast!);
  });

  it('renders an empty plot and a linear axis without breaking', () => {
    expect(XMLValidator.validate(renderPercentilePlot([], { title: 'empty' }))).toBe(true);
    const lin = renderPercentilePlot([series('a', 10)], { title: 'linear', yScale: 'linear' });
    expect(XMLValidator.validate(lin)).toBe(true);
    expect(polylines(lin)).toHaveLength(1);
  });

  it('writes a file a viewer can open', () => {
    const dir = mkdtempSync(join(tmpdir(), 'kfix-svg-'));
    try {
      const path = join(dir, 'plot.svg');
      writePercentilePlot(path, [series('a', 10)], { title: 't' });
      expect(XMLValidator.validate(readFileSync(path, 'utf8'))).toBe(true);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('maps percentiles to nines and escapes XML', () => {
    expect(ninesOf(0)).toBe(0);
    expect(ninesOf(90)).toBeCloseTo(1, 10);
    expect(ninesOf(99.9)).toBeCloseTo(3, 6);
    expect(ninesOf(100)).toBe(Number.POSITIVE_INFINITY);
    expect(escapeXml(`<a href="x">&'`)).toBe('&lt;a href=&quot;x&quot;&gt;&amp;&apos;');
  });
});
