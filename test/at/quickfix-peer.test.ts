// Smoke tests for the QuickFIX C++ interop peer and codec bench (build/quickfix). Skipped, visibly,
// without libquickfix-dev or the shared FIX44.xml.
import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { FIX44_DICT, QUICKFIX_BUILD_DIR, QfProcess, buildQuickfix, quickfixAvailable } from './qf-peer.js';
import { fixify } from './script.js';

const skip = !quickfixAvailable() || !existsSync(FIX44_DICT);
if (skip) console.warn('[quickfix-peer] SKIPPED: libquickfix-dev or ../shared/spec/FIX44.xml missing');

const started: QfProcess[] = [];
function start(name: string, args: string[]): QfProcess {
  const p = QfProcess.start(name, args);
  started.push(p);
  return p;
}

describe.skipIf(skip)('QuickFIX C++ peers', () => {
  beforeAll(() => buildQuickfix(['qf-peer', 'qf-codec-bench', 'qf-at-server']), 180_000);
  afterEach(async () => {
    await Promise.all(started.splice(0).map((p) => p.stop()));
  });

  it('initiator sends NewOrderSingles and counts the ExecutionReports of the acceptor', async () => {
    const acceptor = start('qf-peer', ['--role', 'acceptor', '--port', '0', '--sender', 'SRV', '--target', 'CLI', '--max-seconds', '60']);
    const port = Number((await acceptor.waitFor(/^READY (\d+)$/))[1]);
    expect(port).toBeGreaterThan(0);
    const initiator = start('qf-peer', ['--role', 'initiator', '--port', String(port), '--sender', 'CLI', '--target', 'SRV', '--max-seconds', '60']);
    await initiator.waitFor(/^LOGON$/);
    initiator.command('send 3');
    await initiator.waitFor(/^ALL_ACKED 3$/);
    expect(initiator.lines.filter((l) => l.startsWith('APP 8 '))).toEqual(['APP 8 2 QF1 N', 'APP 8 3 QF2 N', 'APP 8 4 QF3 N']);
    // The acceptor's stdout is a separate pipe and may lag: wait for its last line first.
    await acceptor.waitFor(/^APP D 4 QF3 N$/);
    expect(acceptor.lines.filter((l) => l.startsWith('APP D '))).toHaveLength(3);
    initiator.command('send nope');
    await initiator.waitFor(/^ERROR usage: send N$/);
    initiator.command('logout');
    await acceptor.waitFor(/^LOGOUT$/);
    initiator.command('status');
    await initiator.waitFor(/^STATUS N \d+ \d+$/);
  }, 30_000);

  it('ping-pong mode prints round-trip percentiles as JSON', async () => {
    const acceptor = start('qf-peer', ['--role', 'acceptor', '--port', '0', '--sender', 'SRV', '--target', 'CLI', '--max-seconds', '60']);
    const port = (await acceptor.waitFor(/^READY (\d+)$/))[1];
    const initiator = start('qf-peer', ['--role', 'initiator', '--port', port, '--sender', 'CLI', '--target', 'SRV', '--pingpong', '200', '--max-seconds', '60']);
    const json = JSON.parse((await initiator.waitFor(/^\{.*\}$/, 20_000))[0]);
    expect(json.quickfix_rtt_count).toBe(200);
    expect(json.quickfix_rtt_p50_us).toBeGreaterThan(0);
    expect(json.quickfix_rtt_p99_us).toBeGreaterThanOrEqual(json.quickfix_rtt_p50_us);
    await initiator.waitFor(/^BYE$/, 10_000);
  }, 30_000);

  it('codec bench validates its input and prints one JSON line', () => {
    const dir = mkdtempSync(join(tmpdir(), 'qf-bench-'));
    try {
      const s = (p: string) => p.split('|').join('\x01');
      const er = fixify(s('8=FIX.4.4|35=8|34=2|49=SRV|52=20240101-12:00:00.123|56=CLI|6=0|11=C1|14=0|17=E1|37=O1|38=1|39=0|54=1|55=XBT/USD|150=0|151=1|'));
      const nos = fixify(s('8=FIX.4.4|35=D|34=2|49=CLI|52=20240101-12:00:00.123|56=SRV|11=C1|38=1|40=2|44=100.5|54=1|55=XBT/USD|60=20240101-12:00:00.123|'));
      const file = join(dir, 'msgs.txt');
      writeFileSync(file, `${er}\n${nos}\n`, 'latin1');
      const out = execFileSync(join(QUICKFIX_BUILD_DIR, 'qf-codec-bench'), [file, '0.05', FIX44_DICT], { timeout: 20_000 }).toString();
      const json = JSON.parse(out.trim().split('\n').pop()!);
      for (const key of ['quickfix_parse_msgs_per_s', 'quickfix_encode_msgs_per_s', 'quickfix_checksum_per_s']) {
        expect(json[key]).toBeGreaterThan(0);
      }
      writeFileSync(file, `${er.replace(/\x0110=\d{3}\x01$/, '\x0110=000\x01')}\n${nos}\n`, 'latin1');
      expect(() => execFileSync(join(QUICKFIX_BUILD_DIR, 'qf-codec-bench'), [file, '0.05', FIX44_DICT], { stdio: 'pipe' })).toThrow(/CheckSum/);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  }, 30_000);
});
