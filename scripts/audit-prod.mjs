#!/usr/bin/env node
/**
 * `npm run audit:prod`: fails when a production dependency has a high or critical advisory.
 *
 * Runs `npm audit --omit=dev --json` and judges its report itself, so the output names each offending
 * package, its advisories and whether `npm audit fix` can help. When the advisory service cannot be
 * reached (offline, a registry mirror without the audit endpoint, a timeout) it says so and exits 0,
 * since no verdict is possible; `--strict` makes that case fail instead (for a release gate).
 *
 *   node scripts/audit-prod.mjs [--strict] [--timeout-ms 60000] [--report file.json]
 *
 * --report judges a saved `npm audit --json` report instead of running npm (tests, air-gapped review).
 * Exit codes: 0 clean (or skipped), 1 high/critical advisories, 2 usage error or skipped under --strict.
 */
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const FAILING = ['high', 'critical'];

/**
 * Judges one `npm audit --json` report (npm 7+ format, auditReportVersion 2).
 * @returns {{ verdict: 'clean' | 'vulnerable' | 'unreachable', lines: string[], counts?: Record<string, number> }}
 */
export function evaluateAudit(report) {
  if (report === null || typeof report !== 'object') {
    return { verdict: 'unreachable', lines: ['npm audit printed no JSON report'] };
  }
  if (!report.metadata || !report.metadata.vulnerabilities) {
    // npm's error object: { message, statusCode } for HTTP errors, { error: { code, summary } } otherwise.
    const reason = report.error?.summary || report.error?.code || report.message || 'no vulnerability metadata in the report';
    const status = report.statusCode ? ` (HTTP ${report.statusCode})` : '';
    return { verdict: 'unreachable', lines: [`the advisory service did not answer: ${String(reason).split('\n')[0]}${status}`] };
  }
  const counts = report.metadata.vulnerabilities;
  const deps = report.metadata.dependencies;
  const lines = [];
  const failing = Object.values(report.vulnerabilities ?? {}).filter((v) => FAILING.includes(v.severity));
  for (const v of failing.sort((a, b) => a.name.localeCompare(b.name))) {
    const advisories = (v.via ?? []).filter((x) => typeof x === 'object').map((x) => `${x.title ?? 'advisory'} (${x.severity}, ${x.url ?? 'no url'}, affects ${x.range ?? '?'})`);
    const through = (v.via ?? []).filter((x) => typeof x === 'string');
    const fix = v.fixAvailable === true
      ? 'fix: npm audit fix --omit=dev'
      : v.fixAvailable && typeof v.fixAvailable === 'object'
        ? `fix: npm install ${v.fixAvailable.name}@${v.fixAvailable.version}${v.fixAvailable.isSemVerMajor ? ' (semver-major: check the changelog)' : ''}`
        : 'no fix available yet: pin, replace or accept with a note';
    lines.push(`${v.severity.toUpperCase()} ${v.name} ${v.range ?? ''}${v.isDirect ? ' (direct dependency)' : ''}`.trimEnd());
    for (const a of advisories) lines.push(`    ${a}`);
    if (through.length > 0) lines.push(`    through ${through.join(', ')}`);
    lines.push(`    ${fix}`);
  }
  const summary = `production dependencies: ${deps?.prod ?? '?'}; advisories: critical ${counts.critical ?? 0}, high ${counts.high ?? 0}, moderate ${counts.moderate ?? 0}, low ${counts.low ?? 0}`;
  return { verdict: failing.length > 0 ? 'vulnerable' : 'clean', lines: [summary, ...lines], counts };
}

function parseArgs(argv) {
  const o = { strict: false, timeoutMs: 60_000, report: undefined };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    if (a === '--strict') o.strict = true;
    else if (a === '--timeout-ms') o.timeoutMs = Number(argv[++i]);
    else if (a === '--report') o.report = argv[++i];
    else if (a === '--help' || a === '-h') {
      console.log('usage: node scripts/audit-prod.mjs [--strict] [--timeout-ms 60000] [--report file.json]');
      process.exit(0);
    } else {
      console.error(`audit-prod: unknown argument ${a}`);
      process.exit(2);
    }
  }
  if (!(o.timeoutMs > 0) || (o.report !== undefined && o.report === '')) {
    console.error('audit-prod: --timeout-ms takes a positive number, --report a file');
    process.exit(2);
  }
  return o;
}

/** Runs npm audit; returns the parsed report, or an object with a `message` saying why there is none. */
function runNpmAudit(timeoutMs) {
  const npm = process.platform === 'win32' ? 'npm.cmd' : 'npm';
  const root = resolve(fileURLToPath(new URL('..', import.meta.url)));
  const r = spawnSync(npm, ['audit', '--omit=dev', '--json'], { cwd: root, encoding: 'utf8', timeout: timeoutMs, maxBuffer: 64 << 20 });
  if (r.error) return { message: r.error.code === 'ETIMEDOUT' ? `npm audit timed out after ${timeoutMs} ms` : `cannot run npm: ${r.error.message}` };
  // npm audit exits 1 when it finds anything; the JSON on stdout is what counts.
  try {
    return JSON.parse(r.stdout);
  } catch {
    return { message: `npm audit printed no JSON (exit ${r.status}): ${(r.stderr || r.stdout).trim().split('\n').pop() ?? ''}` };
  }
}

function main() {
  const o = parseArgs(process.argv.slice(2));
  let report;
  if (o.report) {
    try {
      report = JSON.parse(readFileSync(o.report, 'utf8'));
    } catch (err) {
      console.error(`audit-prod: cannot read ${o.report}: ${err.message}`);
      process.exit(2);
    }
  } else {
    report = runNpmAudit(o.timeoutMs);
  }
  const r = evaluateAudit(report);
  if (r.verdict === 'unreachable') {
    console.log(`audit-prod: SKIPPED: ${r.lines.join('; ')}. No verdict on production dependencies.`);
    process.exitCode = o.strict ? 2 : 0;
    return;
  }
  for (const l of r.lines) console.log(l);
  if (r.verdict === 'vulnerable') {
    console.log('audit-prod: FAILED: high or critical advisories in production dependencies (above)');
    process.exitCode = 1;
  } else {
    console.log('audit-prod: ok: no high or critical advisories in production dependencies');
  }
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) main();
