// Proves the AT runner against the reference: QuickFIX C++ (Debian libquickfix-dev 1.15.1) configured
// as its own acceptance-test acceptor must pass all 60 scripts. Skipped, visibly, when QuickFIX or
// ../shared/quickfix-at is missing.
//
// Scripts that wait on heartbeats (4a ~12 s, 6 ~36 s with HeartBtInt=6) run on their own
// qf-at-server instances in parallel with the rest, so the file stays well under a minute.
import { type ChildProcess, execFileSync, spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { defaultScriptsDir, formatResult, listScripts, repoRoot, runSuite, scriptName, type ScriptResult } from './runner.js';

const ROOT = repoRoot();
const SCRIPTS_DIR = defaultScriptsDir();
const SERVER = join(ROOT, 'build', 'quickfix', 'qf-at-server');
const DICT = join(ROOT, '..', 'shared', 'spec', 'FIX44.xml');
const hasQuickfix = existsSync('/usr/include/quickfix/Session.h');
const hasScripts = existsSync(SCRIPTS_DIR);
const hasDict = existsSync(DICT);
const skip = !hasQuickfix || !hasScripts || !hasDict;
if (skip) {
  const missing = [
    hasQuickfix ? '' : 'libquickfix-dev (apt-get install libquickfix-dev)',
    hasScripts ? '' : SCRIPTS_DIR,
    hasDict ? '' : DICT,
  ].filter((s) => s !== '');
  console.warn(`[quickfix-self] SKIPPED: missing ${missing.join(', ')}`);
}

/** Slow scripts each get a dedicated acceptor; everything else shares one. */
const SOLO = ['fix44/6_SendTestRequest', 'fix44/4a_NoDataSentDuringHeartBtInt'];

const servers: ChildProcess[] = [];

function startServer(): Promise<number> {
  return new Promise((resolvePort, reject) => {
    // stdin stays a pipe: the server exits when it closes (i.e. if this test process dies).
    const child = spawn(SERVER, ['--port', '0', '--dict', DICT, '--max-seconds', '240'], {
      stdio: ['pipe', 'pipe', 'inherit'],
    });
    servers.push(child);
    const timer = setTimeout(() => reject(new Error('qf-at-server did not print READY within 10 s')), 10_000);
    let out = '';
    child.stdout!.on('data', (d: Buffer) => {
      out += d.toString();
      const match = /READY (\d+)/.exec(out);
      if (match) {
        clearTimeout(timer);
        resolvePort(Number(match[1]));
      }
    });
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`qf-at-server exited early (code ${code})`));
    });
  });
}

describe.skipIf(skip)('AT runner vs QuickFIX C++ acceptor', () => {
  beforeAll(() => {
    execFileSync('bash', [join(ROOT, 'scripts', 'build-quickfix.sh')], { stdio: 'inherit', timeout: 120_000 });
    if (!existsSync(SERVER)) throw new Error(`build did not produce ${SERVER}`);
  }, 130_000);

  afterAll(async () => {
    // Closing stdin is the servers' stop signal; SIGKILL only if one lingers.
    await Promise.all(
      servers.map(
        (child) =>
          new Promise<void>((done) => {
            if (child.exitCode !== null || child.signalCode !== null) return done();
            const timer = setTimeout(() => child.kill('SIGKILL'), 5000);
            child.once('exit', () => {
              clearTimeout(timer);
              done();
            });
            child.stdin?.end();
          }),
      ),
    );
  }, 15_000);

  it('passes all 60 scripts', async () => {
    const scripts = listScripts(SCRIPTS_DIR);
    expect(scripts.length).toBe(60);
    const shards: string[][] = [
      ...SOLO.map((name) => scripts.filter((s) => scriptName(s) === name)),
      scripts.filter((s) => !SOLO.includes(scriptName(s))),
    ];
    const ports = await Promise.all(shards.map(() => startServer()));
    const runs = await Promise.all(
      shards.map((shard, i) => runSuite(shard, { port: ports[i], gapMs: 100, timeoutMs: 15_000, caseTimeoutMs: 50_000 })),
    );
    const results: ScriptResult[] = runs.flat();
    const failures = results.filter((r) => !r.passed).map(formatResult);
    expect(failures, failures.join('\n')).toEqual([]);
    expect(results.length).toBe(60);
  }, 90_000);
});
