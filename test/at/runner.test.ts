// The AT runner must be able to fail: these tests pin its parsing, fixify, comparison and socket
// handling against a scripted fake acceptor (no QuickFIX needed).
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { type AddressInfo, type Server, type Socket, createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { runScript } from './runner.js';
import { checksum, compareMessages, fixify, parseFieldPatterns, parseLine, substitute } from './script.js';

const S = '\x01';
const m = (pipes: string) => pipes.split('|').join(S);
const FIELDS_FMT = [
  '10=\\d{3}',
  '52=\\d{8}-\\d{2}:\\d{2}:\\d{2}|\\d{8}-\\d{2}:\\d{2}:\\d{2}[.]\\d{3}',
  '60=\\d{8}-\\d{2}:\\d{2}:\\d{2}',
].join('\n');

describe('script format', () => {
  it('classifies lines and connection digits', () => {
    expect(parseLine('iCONNECT', 1)).toMatchObject({ kind: 'connect', cid: 1 });
    expect(parseLine('i2,CONNECT', 2)).toMatchObject({ kind: 'connect', cid: 2 });
    expect(parseLine('e2,DISCONNECT', 3)).toMatchObject({ kind: 'waitDisconnect', cid: 2 });
    expect(parseLine('E2,8=FIX.4.4', 4)).toMatchObject({ kind: 'expect', cid: 2, body: '8=FIX.4.4' });
    expect(parseLine('I8=FIX.4.4', 5)).toMatchObject({ kind: 'send', cid: 1, body: '8=FIX.4.4' });
    expect(parseLine('# note', 6)).toMatchObject({ kind: 'comment' });
    expect(parseLine('', 7)).toBeNull();
    expect(parseLine('X8=FIX.4.4', 8)).toMatchObject({ kind: 'syntaxError' });
    expect(parseLine('iCONECT', 9)).toMatchObject({ kind: 'syntaxError' });
  });

  it('substitutes <TIME>, <TIME+n>, <TIME-n>', () => {
    const now = new Date(Date.UTC(2024, 0, 31, 23, 59, 30));
    expect(substitute('52=<TIME>|', now, '.')).toBe('52=20240131-23:59:30|');
    expect(substitute('a=<TIME+121>|b=<TIME-30>|', now, '.')).toBe('a=20240201-00:01:31|b=20240131-23:59:00|');
  });

  it('substitutes <FILE:path> with trimmed contents and reports a missing file', () => {
    const dir = mkdtempSync(join(tmpdir(), 'at-file-'));
    try {
      writeFileSync(join(dir, 'v.txt'), '  hello \n');
      expect(substitute('58=<FILE:v.txt>|', new Date(), dir)).toBe('58=hello|');
      expect(() => substitute('<FILE:nope.txt>', new Date(), dir)).toThrow(/cannot read/);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('inserts BodyLength and CheckSum only when absent', () => {
    const out = fixify(m('8=FIX.4.4|35=0|34=2|'));
    expect(out).toBe(m(`8=FIX.4.4|9=10|35=0|34=2|10=${checksum(m('8=FIX.4.4|9=10|35=0|34=2|'))}|`));
    // Written values are kept as is, even when wrong.
    expect(fixify(m('8=FIX.4.4|9=99|35=0|10=256|'))).toBe(m('8=FIX.4.4|9=99|35=0|10=256|'));
    // A written CheckSum with no BodyLength: the length covers the body up to CheckSum.
    expect(fixify(m('8=FIX.4.4|35=0|10=256|'))).toBe(m('8=FIX.4.4|9=5|35=0|10=256|'));
    // Not starting with 8=: sent untouched (2t_FirstThreeFieldsOutOfOrder relies on it).
    expect(fixify(m('35=0|8=FIX.4.4|'))).toBe(m('35=0|8=FIX.4.4|'));
  });

  it('computes the FIX checksum', () => {
    // 8=FIX.4.2|9=5|35=0|: classic example, sum of bytes mod 256.
    const text = m('8=FIX.4.2|9=5|35=0|');
    let sum = 0;
    for (const ch of text) sum += ch.charCodeAt(0);
    expect(checksum(text)).toBe(String(sum % 256).padStart(3, '0'));
  });

  it('compares by fields.fmt rules', () => {
    const p = parseFieldPatterns(FIELDS_FMT);
    const expected = m('8=FIX.4.4|9=51|35=0|52=00000000-00:00:00.000|10=0|');
    expect(compareMessages(expected, m('8=FIX.4.4|9=51|35=0|52=20240101-10:00:00.123|10=123|'), p)).toBeNull();
    expect(compareMessages(expected, m('8=FIX.4.4|9=51|35=0|52=2024|10=123|'), p)).toMatch(/Field \(52\)/);
    expect(compareMessages(expected, m('8=FIX.4.4|9=52|35=0|52=20240101-10:00:00.123|10=123|'), p)).toMatch(
      /Value in field \(9\) should be \(51\) but was \(52\)/,
    );
    expect(compareMessages(expected, m('8=FIX.4.4|9=51|52=20240101-10:00:00|35=0|10=123|'), p)).toMatch(
      /Expected field \(35\) but found field \(52\)/,
    );
    expect(compareMessages(expected, m('8=FIX.4.4|9=51|35=0|10=123|'), p)).toMatch(/Number of fields/);
    // Values are compared whole, including an '=' inside a value.
    expect(compareMessages(m('58=a=b|'), m('58=a=c|'), p)).toMatch(/field \(58\)/);
    expect(compareMessages(m('112=|'), m('112=|'), p)).toBeNull();
  });
});

// ---- against a scripted fake acceptor -------------------------------------------------------

type Handler = (socket: Socket, data: string) => void;

let server: Server;
let port = 0;
let handler: Handler = () => {};
let dir = '';
const sockets = new Set<Socket>();

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'at-runner-'));
  writeFileSync(join(dir, 'fields.fmt'), FIELDS_FMT);
  server = createServer((socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
    socket.on('error', () => {});
    socket.on('data', (d) => handler(socket, d.toString('latin1')));
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  port = (server.address() as AddressInfo).port;
});

afterEach(() => {
  for (const s of sockets) s.destroy();
});

afterAll(async () => {
  await new Promise<void>((r) => server.close(() => r()));
  rmSync(dir, { recursive: true, force: true });
});

function script(name: string, lines: string[]): string {
  const path = join(dir, `${name}.def`);
  writeFileSync(path, lines.map((l) => l.split('|').join(S)).join('\n') + '\n', 'latin1');
  return path;
}

const opts = () => ({ port, timeoutMs: 600, caseTimeoutMs: 5000, fieldsFmtPath: join(dir, 'fields.fmt') });
const LOGON = 'I8=FIX.4.4|35=A|34=1|49=TW44|52=<TIME>|56=ISLD|98=0|108=30|';
const EXPECT_LOGON = 'E8=FIX.4.4|9=63|35=A|34=1|49=ISLD|52=00000000-00:00:00.000|56=TW44|98=0|108=30|10=0|';
const REPLY = m('8=FIX.4.4|9=63|35=A|34=1|49=ISLD|52=20240101-10:00:00.123|56=TW44|98=0|108=30|10=000|');

describe('runScript against a fake acceptor', () => {
  it('passes when the reply matches, even split across TCP segments', async () => {
    handler = (s) => {
      s.write(REPLY.slice(0, 20));
      setTimeout(() => s.write(REPLY.slice(20)), 30);
    };
    const r = await runScript(script('ok', ['iCONNECT', LOGON, EXPECT_LOGON, 'iDISCONNECT']), opts());
    expect(r.failure).toBeUndefined();
    expect(r.passed).toBe(true);
  });

  it('fails with line number, reason, expected and received on a wrong value', async () => {
    handler = (s) => s.write(REPLY.replace('108=30', '108=31'));
    const r = await runScript(script('wrong', ['# c', 'iCONNECT', LOGON, EXPECT_LOGON]), opts());
    expect(r.passed).toBe(false);
    expect(r.failure).toMatchObject({ line: 4, reason: 'Value in field (108) should be (30) but was (31)' });
    expect(r.failure?.received).toContain('108=31');
  });

  it('times out instead of hanging when nothing arrives', async () => {
    handler = () => {};
    const started = Date.now();
    const r = await runScript(script('silent', ['iCONNECT', LOGON, EXPECT_LOGON]), opts());
    expect(r.passed).toBe(false);
    expect(r.failure?.reason).toMatch(/timed out/);
    expect(Date.now() - started).toBeLessThan(4000);
  });

  it('treats a reset as a disconnect for eDISCONNECT', async () => {
    handler = (s) => s.resetAndDestroy();
    const r = await runScript(script('reset', ['iCONNECT', LOGON, 'eDISCONNECT']), opts());
    expect(r.failure).toBeUndefined();
  });

  it('fails eDISCONNECT when data arrives instead', async () => {
    handler = (s) => s.write(REPLY);
    const r = await runScript(script('chatty', ['iCONNECT', LOGON, 'eDISCONNECT']), opts());
    expect(r.failure?.reason).toBe('Expected disconnection, got data');
  });

  it('fails an E step when the acceptor disconnects', async () => {
    handler = (s) => s.end();
    const r = await runScript(script('dropped', ['iCONNECT', LOGON, EXPECT_LOGON]), opts());
    expect(r.failure?.reason).toBe('Was disconnected, expected data');
  });

  it('keeps connections apart by digit', async () => {
    handler = (s, data) => {
      if (data.includes(`49=A${S}`)) s.write(REPLY);
      else s.end();
    };
    const r = await runScript(
      script('two', [
        'i1,CONNECT',
        'i2,CONNECT',
        'I2,8=FIX.4.4|35=A|34=1|49=B|52=<TIME>|56=ISLD|98=0|108=30|',
        'e2,DISCONNECT',
        'I1,8=FIX.4.4|35=A|34=1|49=A|52=<TIME>|56=ISLD|98=0|108=30|',
        'E1,8=FIX.4.4|9=63|35=A|34=1|49=ISLD|52=00000000-00:00:00.000|56=TW44|98=0|108=30|10=0|',
        'i1,DISCONNECT',
      ]),
      opts(),
    );
    expect(r.failure).toBeUndefined();
  });

  it('reports syntax errors and unsupported eCONNECT', async () => {
    const bad = await runScript(script('syntax', ['iCONNECT', 'Xgarbage']), opts());
    expect(bad.failure).toMatchObject({ line: 2, reason: 'Syntax error: Xgarbage' });
    const client = await runScript(script('client', ['eCONNECT']), opts());
    expect(client.failure?.reason).toMatch(/not supported/);
  });

  it('reports a refused connection clearly', async () => {
    const r = await runScript(script('refused', ['iCONNECT']), { ...opts(), port: 1 });
    expect(r.failure?.reason).toMatch(/connect to 127\.0\.0\.1:1 failed/);
  });
});
