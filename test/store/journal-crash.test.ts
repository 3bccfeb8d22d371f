/**
 * SIGKILL tests: a child process appends in a tight loop (fsync 'every') and prints each seq after
 * the call returned; we kill it mid-burst and check that the journal reopens with everything that
 * was acknowledged, byte for byte. Kill points are random, so each run probes a different spot.
 */
import { spawn } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, describe, expect, it } from 'vitest';
import { openJournalStore } from '../../src/store/index.js';
import { makeMessage } from './fixtures/messages.js';
import { removeDir, tempDir } from './helpers.js';

const here = path.dirname(fileURLToPath(import.meta.url));
const CHILD = path.join(here, 'fixtures', 'append-child.ts');
const ROOT = path.resolve(here, '..', '..');
const ID = 'FIX.4.4:CRASH->TEST';

const dirs: string[] = [];
afterEach(() => {
  while (dirs.length > 0) removeDir(dirs.pop()!);
});

/**
 * Runs the child until it has printed `killAfter` message lines or `killAfterMs` have passed since
 * its first one (fdatasync latency on a shared disk varies 100x, so a count alone is unbounded in
 * time), SIGKILLs it, and returns every line it printed.
 */
function runAndKill(dir: string, mode: 'append' | 'reset', killAfter: number, killAfterMs: number): Promise<string[]> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--import', 'tsx', CHILD, dir, ID, mode, '1000000'], {
      cwd: ROOT,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let out = '';
    let err = '';
    let messages = 0;
    let killed = false;
    let firstAt = 0;
    const guard = setTimeout(() => child.kill('SIGKILL'), 45_000);
    child.stdout.setEncoding('utf8');
    child.stdout.on('data', (chunk: string) => {
      out += chunk;
      for (let i = chunk.indexOf('\nM'); i >= 0; i = chunk.indexOf('\nM', i + 1)) messages++;
      if (messages > 0 && firstAt === 0) firstAt = Date.now();
      if (!killed && messages > 0 && (messages >= killAfter || Date.now() - firstAt >= killAfterMs)) {
        killed = true;
        child.kill('SIGKILL');
      }
    });
    child.stderr.on('data', (c) => (err += c));
    child.on('error', reject);
    child.on('close', (code, signal) => {
      clearTimeout(guard);
      if (signal !== 'SIGKILL') reject(new Error(`child exited ${code}/${signal} before the kill: ${err}`));
      else resolve(out.split('\n').filter((l) => l.length > 0 && !l.startsWith('READY')));
    });
  });
}

function replayed(dir: string) {
  const s = openJournalStore({ dir, sessionId: ID, fsync: { kind: 'none' } });
  const msgs = new Map<number, Buffer>();
  s.replay(1, 0, (seq, bytes) => msgs.set(seq, Buffer.from(bytes)));
  const state = { next: s.nextSenderMsgSeqNum(), target: s.nextTargetMsgSeqNum(), epoch: s.sessionStartMicros(), msgs, cut: s.recovery.cut };
  s.close();
  return state;
}

describe('SIGKILL mid-burst', () => {
  it.each([1, 2, 3])('append run %i: every acknowledged message survives byte-identical', async () => {
    const dir = tempDir('crash');
    dirs.push(dir);
    const lines = await runAndKill(dir, 'append', 20 + Math.floor(Math.random() * 200), 200 + Math.random() * 800);
    const acked = lines.filter((l) => l.startsWith('M ')).map((l) => Number(l.split(' ')[2]));
    const last = acked[acked.length - 1];
    expect(acked.length).toBeGreaterThan(0);

    const r = replayed(dir);
    expect(r.next).toBeGreaterThanOrEqual(last + 1);
    expect(r.next).toBeLessThanOrEqual(last + 2); // at most one append was in flight
    expect(r.target).toBeLessThanOrEqual(r.next); // coalesced inbound seq never runs ahead
    for (const seq of acked) {
      if (seq % 5 === 0) continue; // admin: consumed, not stored
      expect(r.msgs.get(seq)?.equals(makeMessage(1, seq)), `seq ${seq}`).toBe(true);
    }
    for (const [seq, bytes] of r.msgs) expect(bytes.equals(makeMessage(1, seq))).toBe(true);
    expect(fs.readdirSync(dir).filter((f) => f.endsWith('.tmp'))).toEqual([]);
  });

  it.each([1, 2, 3])('reset run %i: a kill during appends or compaction leaves a consistent journal', async () => {
    const dir = tempDir('crash-reset');
    dirs.push(dir);
    const lines = await runAndKill(dir, 'reset', 12 + Math.floor(Math.random() * 60), 200 + Math.random() * 800);
    let epoch = 1;
    let lastSeq = 0;
    for (const l of lines) {
      const [k, e, q] = l.split(' ');
      if (k === 'R') {
        epoch = Number(e);
        lastSeq = 0;
      } else if (k === 'M') {
        epoch = Number(e);
        lastSeq = Number(q);
      }
    }
    const r = replayed(dir);
    // Either the acknowledged epoch, or the next one if a reset completed after the last line.
    expect([epoch, epoch + 1]).toContain(r.epoch);
    if (r.epoch === epoch) expect(r.next).toBeGreaterThanOrEqual(lastSeq + 1);
    for (let seq = 1; seq <= (r.epoch === epoch ? lastSeq : 0); seq++) {
      if (seq % 5 === 0) continue;
      expect(r.msgs.get(seq)?.equals(makeMessage(epoch, seq)), `seq ${seq}`).toBe(true);
    }
    for (const [seq, bytes] of r.msgs) expect(bytes.equals(makeMessage(r.epoch, seq))).toBe(true);
  });
});
