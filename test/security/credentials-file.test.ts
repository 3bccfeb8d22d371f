/**
 * Issue 9, security: a credentials file that group or others can read or write gets a warning that
 * names the file and the fix (chmod 600) — from the loader, from `kfix check-config` and from `kfix run`
 * (both go through loadConfig) — and a missing or broken file is an error naming the file. Loading still
 * succeeds with a warning: refusing would break a deployment over a mode bit, and the warning is loud.
 */
import { spawnSync } from 'node:child_process';
import { chmodSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/cli/config.js';
import { loadCredentialsFromFile } from '../../src/kraken/credentials.js';

const ROOT = resolve(__dirname, '..', '..');
const KFIX = join(ROOT, 'bin', 'kfix.js');
const SECRET = Buffer.from('perm-canary-Xr4-secret').toString('base64');
const work = mkdtempSync(join(tmpdir(), 'kfix-sec-perms-'));
afterAll(() => rmSync(work, { recursive: true, force: true }));

function credsFile(name: string, mode: number): string {
  const path = join(work, name);
  writeFileSync(path, JSON.stringify({ apiKey: 'perm-key', apiSecret: SECRET }));
  chmodSync(path, mode);
  return path;
}

function configFor(creds: string, name = `cfg-${Math.random().toString(36).slice(2)}.json`): string {
  const path = join(work, name);
  writeFileSync(path, JSON.stringify({
    sessions: [{ name: 't', venue: 'simulator', market: 'spot', kind: 'trading', host: '127.0.0.1', port: 1,
      senderCompID: 'PERM', targetCompID: 'KRAKEN-TRD', tls: { enabled: false, verify: true }, credentials: { file: creds } }],
    store: { dir: join(work, 'store') },
  }));
  return path;
}

function kfix(args: string[]) {
  const r = spawnSync(process.execPath, [KFIX, ...args], { cwd: ROOT, encoding: 'utf8', timeout: 30_000, env: { PATH: process.env.PATH ?? '' } });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

describe.skipIf(process.platform === 'win32')('credentials file permissions', () => {
  it('the loader warns for any group/other bit and names the file and chmod 600', () => {
    const cases: [number, string | null][] = [
      [0o600, null],
      [0o400, null],
      [0o640, 'readable by group/others \\(mode 640\\)'],
      [0o604, 'readable by group/others \\(mode 604\\)'],
      [0o620, 'writable by group/others \\(mode 620\\)'],
      [0o602, 'writable by group/others \\(mode 602\\)'],
      [0o666, 'readable by group/others \\(mode 666\\)'],
    ];
    for (const [mode, expected] of cases) {
      const path = credsFile(`c-${mode.toString(8)}.json`, mode);
      const r = loadCredentialsFromFile(path);
      expect(r.ok, mode.toString(8)).toBe(true);
      if (!r.ok) continue;
      if (expected === null) {
        expect(r.value.warnings, mode.toString(8)).toEqual([]);
      } else {
        expect(r.value.warnings, mode.toString(8)).toHaveLength(1);
        expect(r.value.warnings[0]).toMatch(new RegExp(expected));
        expect(r.value.warnings[0]).toContain(`credentials file ${path}`);
        expect(r.value.warnings[0]).toContain(`chmod 600 ${path}`);
        expect(r.value.warnings[0]).not.toContain(SECRET);
      }
    }
  });

  it('kfix check-config warns about a world-readable file (exit 0) and is silent once it is 600', () => {
    const path = credsFile('loose.json', 0o644);
    const config = configFor(path);
    const loose = kfix(['check-config', config]);
    expect(loose.code, loose.stderr).toBe(0);
    expect(loose.stderr).toContain(`warning: sessions.0.credentials.file: credentials file ${path} is readable by group/others (mode 644); run chmod 600 ${path}`);
    expect(loose.stdout).toContain('ok (1 session(s))');
    chmodSync(path, 0o600);
    const tight = kfix(['check-config', config]);
    expect(tight.code).toBe(0);
    expect(tight.stderr).not.toMatch(/chmod|warning/);
    expect(loose.stdout + loose.stderr + tight.stdout + tight.stderr).not.toContain(SECRET);
  });

  it('kfix run prints the same warning before it connects', () => {
    const path = credsFile('loose-run.json', 0o640);
    // Port 1: nothing listens, so the run fails fast after loading the config; the warning comes first.
    const r = kfix(['run', 'dist/examples/strategies/market-maker.js', '--config', configFor(path), '--duration', '1']);
    expect(r.code).not.toBe(0);
    expect(r.stderr).toContain(`credentials file ${path} is readable by group/others (mode 640); run chmod 600 ${path}`);
    const failure = r.stderr.indexOf('kfix run: ');
    if (failure >= 0) expect(r.stderr.indexOf('chmod 600')).toBeLessThan(failure);
    expect(r.stdout + r.stderr).not.toContain(SECRET);
  });

  it('a missing or broken credentials file is a config error naming the file', () => {
    const missing = join(work, 'nope.json');
    const r = loadConfig(configFor(missing));
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.errors.join('\n')).toMatch(new RegExp(`sessions\\.0\\.credentials\\.file: credentials file ${missing.replace(/[.]/g, '\\.')} cannot be read \\(ENOENT\\)`));
    const broken = join(work, 'broken.json');
    writeFileSync(broken, `{"apiKey": "k", "apiSecret": ${SECRET}}`, { mode: 0o600 });
    const cli = kfix(['check-config', configFor(broken)]);
    expect(cli.code).toBe(2);
    expect(cli.stderr).toContain(`credentials file ${broken} is neither JSON nor key=value lines`);
    expect(cli.stderr).not.toContain(SECRET.slice(0, 8));
  });
});
