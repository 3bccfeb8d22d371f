// Runs `kfix` as a user would: a child process on real files, checking output and exit codes.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';

const ROOT = resolve(__dirname, '..', '..');
const KFIX = join(ROOT, 'bin', 'kfix.js');

function kfix(args: string[], opts: { input?: string; env?: Record<string, string> } = {}) {
  const r = spawnSync(process.execPath, [KFIX, ...args], {
    cwd: ROOT, input: opts.input, encoding: 'utf8', timeout: 30_000,
    env: { PATH: process.env.PATH ?? '', ...opts.env },
  });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

function tmp(name: string, content: string): string {
  const dir = mkdtempSync(join(tmpdir(), 'kfix-cli-'));
  const p = join(dir, name);
  writeFileSync(p, content);
  return p;
}

const GOOD = '8=FIX.4.4|9=73|35=0|34=2|49=KRAKEN-TRD|52=20261121-12:00:00.000|56=CLIENT|112=ping|10=100|';

/** Completes `8=FIX.4.4|35=...|` with a correct BodyLength and CheckSum. */
function withChecksum(msg: string): string {
  const rest = msg.slice('8=FIX.4.4|'.length);
  const body = `8=FIX.4.4|9=${rest.length}|${rest}`.replace(/\|/g, '\x01');
  let sum = 0;
  for (let i = 0; i < body.length; i++) sum += body.charCodeAt(i);
  return `${body.replace(/\x01/g, '|')}10=${String(sum % 256).padStart(3, '0')}|`;
}

describe('kfix decode', () => {
  const ok = withChecksum('8=FIX.4.4|35=0|34=2|49=KRAKEN-TRD|52=20261121-12:00:00.000|56=CLIENT|112=ping|');
  const order = withChecksum('8=FIX.4.4|35=D|34=3|49=C|52=20261121-12:00:00.000|56=K|11=1|40=2|54=1|55=XBT/USD|38=1|');

  it('names tags and enum values of a pipe-separated log from stdin', () => {
    const r = kfix(['decode', '-'], { input: ok + '\n' + order + '\n' });
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('Heartbeat (35=0)');
    expect(r.stdout).toMatch(/112 TestReqID\s+ping/);
    expect(r.stdout).toMatch(/40 OrdType\s+2\s+\(LIMIT\)/);
    expect(r.stdout).toContain('2 messages, 0 errors');
  });

  it('flags a bad checksum and a garbled frame in a file, keeps decoding, exits 1', () => {
    const badSum = ok.replace(/10=\d{3}\|$/, '10=000|');
    const file = tmp('garbled.log', `${badSum}\nGARBAGE\n${GOOD.replace('9=73', '9=12')}\n${order}\n`);
    const r = kfix(['decode', file]);
    expect(r.code).toBe(1);
    expect(r.stdout).toMatch(/CHECKSUM at byte \d+/);
    expect(r.stdout).toMatch(/BODY_LENGTH|GARBAGE/);
    expect(r.stdout).toContain('NewOrderSingle (35=D)');
    expect(r.stdout).toMatch(/1 messages, [1-9]\d* errors/);
  });

  it('reports an unreadable file with exit code 2', () => {
    const r = kfix(['decode', '/nonexistent/kfix.log']);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('cannot read /nonexistent/kfix.log');
  });
});

describe('kfix check-config', () => {
  it('accepts the shipped simulator example when its credential variables are set', () => {
    const r = kfix(['check-config', 'examples/simulator.json'], { env: { KFIX_SIM_API_KEY: 'k', KFIX_SIM_API_SECRET: 'c2VjcmV0' } });
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('ok (2 session(s))');
  });

  it('names the missing credential variable without printing any secret', () => {
    const r = kfix(['check-config', 'examples/simulator.json'], { env: { KFIX_SIM_API_KEY: 'super-secret-key' } });
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('environment variable KFIX_SIM_API_SECRET is not set');
    expect(r.stderr + r.stdout).not.toContain('super-secret-key');
  });

  it('says which field of a broken config is wrong and why', () => {
    const file = tmp('broken.json', JSON.stringify({
      sessions: [{ name: 'x', venue: 'simulator', market: 'spot', kind: 'md-l2', host: '127.0.0.1', port: 70000, senderCompID: 'A', targetCompID: 'B' }],
    }));
    const r = kfix(['check-config', file]);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/sessions\.0\.port: .*65535/);
  });

  it('rejects a file that is not JSON', () => {
    const r = kfix(['check-config', tmp('bad.json', '{ sessions: ')]);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('bad.json');
  });

  it('exits 2 on an unknown command', () => {
    expect(kfix(['frobnicate']).code).toBe(2);
  });
});

describe('kfix journal', () => {
  const CHILD = join(ROOT, 'test', 'store', 'fixtures', 'append-child.ts');

  /** Appends in a child process and SIGKILLs it mid-burst, as a crashed engine would leave its journal. */
  async function killedJournal(): Promise<{ dir: string; lastSeq: number }> {
    const { spawn } = await import('node:child_process');
    const dir = mkdtempSync(join(tmpdir(), 'kfix-journal-'));
    const child = spawn(process.execPath, ['--import', 'tsx', CHILD, dir, 'FIX.4.4:CLIENT->KRAKEN-TRD', 'append', '1000000'], { cwd: ROOT });
    let lastSeq = 0;
    let buf = '';
    await new Promise<void>((resolve) => {
      child.stdout.on('data', (d: Buffer) => {
        buf += d.toString();
        const lines = buf.split('\n');
        buf = lines.pop() ?? '';
        for (const l of lines) if (l.startsWith('M ')) lastSeq = Number(l.split(' ')[2]);
        if (lastSeq >= 25 && !child.killed) child.kill('SIGKILL');
      });
      child.on('exit', () => resolve());
    });
    return { dir, lastSeq };
  }

  it('shows the sequence numbers a killed process left and replays through decode', async () => {
    const { dir, lastSeq } = await killedJournal();
    expect(lastSeq).toBeGreaterThanOrEqual(25);
    const r = kfix(['journal', dir, '--json']);
    expect(r.code).toBe(0);
    const [s] = JSON.parse(r.stdout.slice(0, r.stdout.lastIndexOf(']') + 1));
    expect(s.identity).toBe('FIX.4.4:CLIENT->KRAKEN-TRD');
    expect(s.nextSenderMsgSeqNum).toBeGreaterThanOrEqual(lastSeq + 1);
    expect(s.tail).toBe('clean');
    const replay = kfix(['journal', dir, '--replay', '1-3']);
    expect(replay.code).toBe(0);
    expect(replay.stdout).toContain('NextSenderMsgSeqNum');
    expect(replay.stdout).toMatch(/MsgSeqNum\s+1\b/);
  }, 60_000);

  it('reports a torn tail without cutting it, and exits 1', async () => {
    const { dir } = await killedJournal();
    const { readdirSync, truncateSync, statSync } = await import('node:fs');
    const file = join(dir, readdirSync(dir).find((f) => f.endsWith('.journal'))!);
    const size = statSync(file).size;
    truncateSync(file, size - 3);
    const r = kfix(['journal', dir]);
    expect(r.code).toBe(1);
    expect(r.stdout).toMatch(/TORN TAIL: \d+ bytes at offset \d+/);
    expect(statSync(file).size).toBe(size - 3);
  }, 60_000);

  it('exits 2 for a directory that does not exist', () => {
    expect(kfix(['journal', '/nonexistent/kfix-store']).code).toBe(2);
  });
});

describe('kfix sim', () => {
  it('starts the acceptance-test acceptor that the QuickFIX scripts run against', async () => {
    const { spawn } = await import('node:child_process');
    const { existsSync } = await import('node:fs');
    const { runScript, defaultScriptsDir } = await import('../at/runner.js');
    const scripts = defaultScriptsDir();
    if (!existsSync(scripts)) {
      console.warn(`SKIPPED: ${scripts} is missing`);
      return;
    }
    const child = spawn(process.execPath, [KFIX, 'sim', '--profile', 'at', '--port', '0', '--duration', '60'], { cwd: ROOT });
    try {
      const port = await new Promise<number>((resolve, reject) => {
        child.stdout.on('data', (d: Buffer) => {
          const m = /listening on 127\.0\.0\.1:(\d+)/.exec(d.toString());
          if (m) resolve(Number(m[1]));
        });
        child.on('exit', (code) => reject(new Error(`kfix sim exited ${code}`)));
      });
      for (const name of ['1a_ValidLogonWithCorrectMsgSeqNum.def', '2b_MsgSeqNumTooHigh.def']) {
        const r = await runScript(join(scripts, 'fix44', name), { port, timeoutMs: 10_000, caseTimeoutMs: 30_000 });
        expect(r.failure?.reason, name).toBeUndefined();
        expect(r.passed).toBe(true);
      }
    } finally {
      child.kill('SIGTERM');
    }
  }, 60_000);

  it('starts the Kraken simulator on free ports, lists its test accounts and stops by itself', () => {
    const r = kfix(['sim', '--port-base', '0', '--duration', '1', '--seed', '7']);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/spotTrading\s+\d+/);
    expect(r.stdout).toMatch(/derivMdL3\s+\d+/);
    expect(r.stdout).toContain('ALICE / alice-spot-key');
    expect(r.stdout).toContain('kfix sim: stopping');
  });

  it('writes one masked FIX message log per session with --fix-log', async () => {
    const { spawn } = await import('node:child_process');
    const { existsSync, readdirSync, readFileSync } = await import('node:fs');
    const { runScript, defaultScriptsDir } = await import('../at/runner.js');
    const scripts = defaultScriptsDir();
    if (!existsSync(scripts)) {
      console.warn(`SKIPPED: ${scripts} is missing`);
      return;
    }
    const logDir = mkdtempSync(join(tmpdir(), 'kfix-fixlog-'));
    const child = spawn(process.execPath, [KFIX, 'sim', '--profile', 'at', '--port', '0', '--duration', '60', '--fix-log', logDir], { cwd: ROOT });
    const exited = new Promise((r) => child.on('close', r));
    const port = await new Promise<number>((resolve, reject) => {
      child.stdout.on('data', (d: Buffer) => {
        const m = /listening on 127\.0\.0\.1:(\d+)/.exec(d.toString());
        if (m) resolve(Number(m[1]));
      });
      child.on('exit', (code) => reject(new Error(`kfix sim exited ${code}`)));
    });
    const r = await runScript(join(scripts, 'fix44', '3b_InvalidChecksum.def'), { port, timeoutMs: 10_000, caseTimeoutMs: 30_000 });
    expect(r.passed).toBe(true);
    child.kill('SIGTERM');
    await exited;
    const files = readdirSync(logDir);
    expect(files).toEqual(['at-ISLD-TW44.log']);
    const lines = readFileSync(join(logDir, files[0]!), 'utf8').trim().split('\n');
    expect(lines.some((l) => / IN 8=FIX\.4\.4\|9=\d+\|35=A\|/.test(l))).toBe(true);
    expect(lines.some((l) => / OUT 8=FIX\.4\.4\|9=\d+\|35=A\|/.test(l))).toBe(true);
    // The script's message with a wrong CheckSum is logged as garbled input, not as a message.
    expect(lines.some((l) => /IN garbled bytes at \d+/.test(l))).toBe(true);
    for (const l of lines) expect(l).toMatch(/^\d{8}-\d{2}:\d{2}:\d{2}\.\d{6} (IN|OUT) /);
  }, 60_000);

  it('refuses an unknown profile and a bad port with exit code 2', () => {
    expect(kfix(['sim', '--profile', 'nope']).code).toBe(2);
    expect(kfix(['sim', '--profile', 'at', '--port', '99999']).code).toBe(2);
  });
});

describe('kfix bench rtt --connect', () => {
  it('measures ping-pong round trips against a QuickFIX acceptor and ends with one JSON line', async () => {
    const { QfProcess, buildQuickfix, quickfixAvailable } = await import('../at/qf-peer.js');
    if (!quickfixAvailable()) {
      console.warn('SKIPPED: libquickfix-dev is not installed');
      return;
    }
    buildQuickfix(['qf-peer']);
    const peer = QfProcess.start('qf-peer', ['--role', 'acceptor', '--port', '0', '--sender', 'QFACC', '--target', 'KFIXBENCH', '--max-seconds', '60']);
    try {
      const ready = await peer.waitFor(/^READY (\d+)/, 15_000);
      const port = Number(ready[1]);
      const { spawn } = await import('node:child_process');
      const child = spawn(process.execPath, [KFIX, 'bench', 'rtt', '--connect', `127.0.0.1:${port}`, '--sender', 'KFIXBENCH', '--target', 'QFACC', '--count', '300', '--warmup', '30', '--json'], { cwd: ROOT });
      let out = '';
      child.stdout.on('data', (d: Buffer) => { out += d.toString(); });
      const code = await new Promise<number | null>((r) => child.on('close', r));
      expect(code).toBe(0);
      const last = JSON.parse(out.trim().split('\n').pop()!);
      for (const k of ['p50_us', 'p90_us', 'p99_us', 'p999_us', 'max_us', 'msgs_per_s']) expect(last[k], k).toBeGreaterThan(0);
      expect(last.p50_us).toBeLessThanOrEqual(last.p99_us);
      expect(last.count).toBe(300);
    } finally {
      await peer.stop();
    }
  }, 60_000);

  it('explains a refused connection and exits 1; missing arguments exit 2', () => {
    const refused = kfix(['bench', 'rtt', '--connect', '127.0.0.1:1', '--sender', 'A', '--target', 'B', '--count', '5']);
    expect(refused.code).toBe(1);
    expect(refused.stderr).toMatch(/ECONNREFUSED/);
    expect(kfix(['bench', 'rtt', '--connect', 'nohost']).code).toBe(2);
  });
});

describe('kfix run', () => {
  it('runs a strategy against the simulator from a config, prints status lines and stops by itself', async () => {
    const { startKrakenSimulator } = await import('../../src/sim/index.js');
    const sim = await startKrakenSimulator({ ports: { spotTrading: 0, spotMd: 0, derivTrading: 0, derivMd: 0, derivMdL3: 0, spotMdL3: 0 }, seed: 3 });
    try {
      const cfg = tmp('run.json', JSON.stringify({
        sessions: [
          { name: 't', venue: 'simulator', market: 'spot', kind: 'trading', host: '127.0.0.1', port: sim.ports.spotTrading,
            senderCompID: 'ALICE', targetCompID: 'KRAKEN-TRD', tls: { enabled: false, verify: true },
            credentials: { apiKeyEnv: 'SIM_KEY', apiSecretEnv: 'SIM_SECRET' } },
          { name: 'md', venue: 'simulator', market: 'spot', kind: 'md-l2', host: '127.0.0.1', port: sim.ports.spotMd,
            senderCompID: 'ALICE', targetCompID: 'KRAKEN-MD', tls: { enabled: false, verify: true } },
        ],
        store: { dir: mkdtempSync(join(tmpdir(), 'kfix-run-store-')) },
      }));
      const { spawn } = await import('node:child_process');
      const child = spawn(process.execPath, [KFIX, 'run', 'dist/examples/strategies/market-maker.js', '--config', cfg, '--duration', '6',
        '--metrics-port', '0', '--params', '{"symbol":"XBT/USD","halfSpreadTicks":1,"minRequoteMs":200}'], {
        cwd: ROOT, env: { PATH: process.env.PATH ?? '', SIM_KEY: 'alice-spot-key', SIM_SECRET: Buffer.from('alice-spot-secret').toString('base64') },
      });
      let out = '';
      let metrics = '';
      child.stdout.on('data', (d: Buffer) => {
        out += d.toString();
        const m = /metrics on (http:\/\/127\.0\.0\.1:\d+\/metrics)/.exec(out);
        if (m && !metrics) {
          metrics = 'pending';
          setTimeout(() => void fetch(m[1]!).then((r) => r.text()).then((t) => { metrics = t; }, () => { metrics = 'failed'; }), 2500);
        }
      });
      child.stderr.on('data', (d: Buffer) => { out += d.toString(); });
      const code = await new Promise<number | null>((r) => child.on('close', r));
      expect(metrics).toMatch(/kfix_session_logged_on\{session="ALICE->KRAKEN-TRD",state="Active"\} 1/);
      expect(metrics).toMatch(/kfix_next_sender_msg_seq_num\{session="ALICE->KRAKEN-TRD"\} [1-9]/);
      expect(code, out).toBe(0);
      expect(out).toMatch(/session Active \| md Active \| sent [1-9]\d* new/);
      expect(out).toContain('kfix run: stopped');
      expect(out).not.toContain('YWxpY2Utc3BvdC1zZWNyZXQ');
    } finally {
      await sim.close();
    }
  }, 60_000);

  it('refuses to start without the credential variables the config names', () => {
    const r = kfix(['run', 'dist/examples/strategies/market-maker.js', '--config', 'examples/simulator.json', '--duration', '1']);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('KFIX_SIM_API_KEY is not set');
  });
});
