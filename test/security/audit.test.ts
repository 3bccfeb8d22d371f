/**
 * Issue 9, security: `npm audit` clean of high and critical advisories in production dependencies.
 * scripts/audit-prod.mjs judges npm's JSON report; its verdicts are checked on fixed reports here, then
 * the real audit runs once. Where the advisory service cannot be reached (offline, a mirror without the
 * audit endpoint) the live case is skipped and says why: there is no verdict to assert.
 */
import { spawnSync } from 'node:child_process';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
// @ts-expect-error: plain ESM script without type declarations
import { evaluateAudit } from '../../scripts/audit-prod.mjs';

type Verdict = { verdict: 'clean' | 'vulnerable' | 'unreachable'; lines: string[] };
const judge = evaluateAudit as (report: unknown) => Verdict;

const ROOT = resolve(__dirname, '..', '..');

function report(vulnerabilities: Record<string, unknown>, counts: Partial<Record<'low' | 'moderate' | 'high' | 'critical', number>>) {
  return {
    auditReportVersion: 2,
    vulnerabilities,
    metadata: { vulnerabilities: { info: 0, low: 0, moderate: 0, high: 0, critical: 0, total: 0, ...counts }, dependencies: { prod: 60, dev: 0, total: 60 } },
  };
}

const advisory = (name: string, severity: string, fixAvailable: unknown, isDirect = false) => ({
  name, severity, isDirect, range: '<1.2.3', nodes: [`node_modules/${name}`], effects: [],
  via: [{ source: 1, name, title: `${name} prototype pollution`, url: `https://example.invalid/${name}`, severity, range: '<1.2.3' }],
  fixAvailable,
});

describe('audit-prod verdicts', () => {
  it('clean when only low and moderate advisories exist', () => {
    const r = judge(report({ pako: advisory('pako', 'moderate', true) }, { moderate: 1 }));
    expect(r.verdict).toBe('clean');
    expect(r.lines[0]).toMatch(/critical 0, high 0, moderate 1/);
  });

  it('vulnerable on a high advisory, naming the package, the advisory and the fix', () => {
    const r = judge(report({
      'fast-redact': advisory('fast-redact', 'high', { name: 'pino', version: '10.5.0', isSemVerMajor: false }),
      pino: { name: 'pino', severity: 'high', isDirect: true, range: '10.0.0 - 10.4.0', via: ['fast-redact'], fixAvailable: { name: 'pino', version: '10.5.0', isSemVerMajor: false } },
    }, { high: 2 }));
    expect(r.verdict).toBe('vulnerable');
    const text = r.lines.join('\n');
    expect(text).toContain('HIGH fast-redact <1.2.3');
    expect(text).toContain('fast-redact prototype pollution (high, https://example.invalid/fast-redact');
    expect(text).toContain('HIGH pino 10.0.0 - 10.4.0 (direct dependency)');
    expect(text).toContain('through fast-redact');
    expect(text).toContain('fix: npm install pino@10.5.0');
  });

  it('vulnerable on a critical advisory without a fix, and says so', () => {
    const r = judge(report({ tdigest: advisory('tdigest', 'critical', false) }, { critical: 1 }));
    expect(r.verdict).toBe('vulnerable');
    expect(r.lines.join('\n')).toMatch(/CRITICAL tdigest[\s\S]*no fix available yet/);
  });

  it('unreachable (not clean) when npm could not get an answer', () => {
    expect(judge({ message: '405 Method Not Allowed - POST /-/npm/v1/security/advisories/bulk', statusCode: 405 }).verdict).toBe('unreachable');
    expect(judge({ error: { code: 'ENOTFOUND', summary: 'request to the registry failed, reason: getaddrinfo ENOTFOUND' } }).lines[0]).toMatch(/ENOTFOUND/);
    expect(judge(null).verdict).toBe('unreachable');
  });
});

describe('npm audit --omit=dev (live)', () => {
  it('production dependencies have no high or critical advisory', (ctx) => {
    const r = spawnSync(process.execPath, [join(ROOT, 'scripts', 'audit-prod.mjs'), '--timeout-ms', '45000'], { cwd: ROOT, encoding: 'utf8', timeout: 55_000 });
    const out = `${r.stdout}${r.stderr}`;
    const skipped = /audit-prod: SKIPPED: (.*)/.exec(out);
    if (skipped) {
      console.warn(`SKIPPED npm audit: ${skipped[1]}`);
      ctx.skip(`npm audit unavailable: ${skipped[1]}`);
      return;
    }
    expect(out).toMatch(/production dependencies: \d+/);
    expect(r.status, out).toBe(0);
  }, 60_000);
});
