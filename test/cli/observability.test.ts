import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { FixMessageLog, maskedFixLine } from '../../src/cli/fix-log.js';
import { Metrics } from '../../src/cli/metrics.js';
import { FixFramer, frameBody, getDictionary } from '../../src/codec/index.js';
import { frame } from '../fuzz/reference.js';

const logon = Buffer.from('8=FIX.4.4\x019=90\x0135=A\x0134=1\x0149=C\x0152=20261121-12:00:00.000\x0156=KRAKEN-TRD\x01553=APIKEY\x01554=SIGNATURE+SECRET==\x015025=1724512345678\x0110=000\x01', 'latin1');

describe('FIX message log', () => {
  it('masks the logon signature and keeps everything else', () => {
    const line = maskedFixLine(logon);
    expect(line).toContain('554=****');
    expect(line).not.toContain('SIGNATURE+SECRET');
    expect(line).toContain('553=APIKEY|');
    expect(line).toContain('5025=1724512345678');
  });

  it('a masked line is still a valid FIX message (BodyLength and CheckSum recomputed)', () => {
    const valid = frame('35=A|34=1|49=C|52=20261121-12:00:00.000|56=KRAKEN-TRD|553=APIKEY|554=SIGNATURE+SECRET==|5025=1724512345678');
    const line = maskedFixLine(valid);
    const framer = new FixFramer(getDictionary({ kraken: true }));
    const got: string[] = [];
    const errors: string[] = [];
    framer.push(Buffer.from(line.replace(/\|/g, '\x01'), 'latin1'), { onMessage: (v) => got.push(v.getString(554)!), onError: (e) => errors.push(e.detail) });
    expect(errors).toEqual([]);
    expect(got).toEqual(['****']);
  });

  it('masks a RawData value whole, SOH bytes inside it included, and rewrites its RawDataLength', () => {
    // 96 is a DATA field: its 13 bytes contain SOH, so splitting at SOH alone would log 'ret' and 'xyz=1'.
    const body = Buffer.from('35=A\x0134=1\x0149=C\x0152=20261121-12:00:00.000\x0156=KRAKEN-TRD\x0195=13\x0196=top\x01ret\x01xyz=1\x01108=30\x01', 'latin1');
    const line = maskedFixLine(frameBody(Buffer.from('FIX.4.4', 'latin1'), body));
    expect(line).not.toMatch(/top|ret|xyz/);
    expect(line).toContain('|95=4|96=****|108=30|');
    const framer = new FixFramer(getDictionary({ kraken: true }));
    const got: string[] = [];
    const errors: string[] = [];
    framer.push(Buffer.from(line.replace(/\|/g, '\x01'), 'latin1'), { onMessage: (v) => got.push(`${v.getString(96)} ${v.getInt(108)}`), onError: (e) => errors.push(e.detail) });
    expect(errors).toEqual([]);
    expect(got).toEqual(['**** 30']);
  });

  it('writes one masked message per line with direction and time', async () => {
    const path = join(mkdtempSync(join(tmpdir(), 'kfix-log-')), 'fix.log');
    const log = new FixMessageLog(path);
    log.write('OUT', logon, Date.UTC(2026, 10, 21, 12) * 1000);
    log.write('IN', logon, Date.UTC(2026, 10, 21, 12) * 1000 + 5);
    await log.close();
    const lines = readFileSync(path, 'utf8').trim().split('\n');
    expect(lines).toHaveLength(2);
    expect(lines[0]).toMatch(/^20261121-12:00:00\.000000 OUT 8=FIX\.4\.4\|/);
    expect(lines[1]).toMatch(/^20261121-12:00:00\.000005 IN /);
    expect(readFileSync(path, 'utf8')).not.toContain('SECRET');
  });
});

describe('Prometheus metrics', () => {
  it('serves session state, sequence numbers, queue depth, rejects, headroom and latency', async () => {
    const m = new Metrics();
    m.update({
      sessions: [{ name: 'spot-trading', state: 'Active', nextSenderMsgSeqNum: 42, nextTargetMsgSeqNum: 17 }],
      queueDepths: { executions: 3 },
      rejects: { 'EOrder:Rate limit exceeded': 2 },
      rateHeadroom: { 'XBT/USD': 171.5 },
      latencyUs: { wire_to_strategy: { '0.5': 4.2, '0.99': 11 } },
    });
    m.update({ sessions: [], queueDepths: {}, rejects: { 'EOrder:Rate limit exceeded': 5 }, rateHeadroom: {}, latencyUs: {} });
    const { server, port } = await m.serve(0);
    try {
      const body = await (await fetch(`http://127.0.0.1:${port}/metrics`)).text();
      expect(body).toMatch(/kfix_next_sender_msg_seq_num\{session="spot-trading"\} 42/);
      expect(body).toMatch(/kfix_next_target_msg_seq_num\{session="spot-trading"\} 17/);
      expect(body).toMatch(/kfix_queue_depth\{queue="executions"\} 3/);
      expect(body).toMatch(/kfix_rejects_total\{reason="EOrder:Rate limit exceeded"\} 5/);
      expect(body).toMatch(/kfix_rate_limit_headroom\{bucket="XBT\/USD"\} 171.5/);
      expect(body).toMatch(/kfix_latency_microseconds\{stage="wire_to_strategy",quantile="0.99"\} 11/);
      expect((await fetch(`http://127.0.0.1:${port}/other`)).status).toBe(404);
    } finally {
      server.close();
    }
  });
});
