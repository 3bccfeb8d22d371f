/**
 * Fuzz target for the sans-I/O session (src/session FixSession): an acceptor logged on with a valid
 * Logon gets streams of plausible and mutated messages (right CompIDs, sequence numbers near the
 * expected one, SendingTime from the fake clock), in random chunkings, interleaved with clock ticks.
 * Oracles: nothing thrown out of onBytes/onTimer/onConnect/onDisconnect; output bounded per input;
 * every message the session writes passes the reference frame check; outbound MsgSeqNum strictly
 * increasing except PossDup resends; and a session still Active answers a TestRequest.
 */
import { formatUtcTimestamp, getDictionary, ManualClock } from '../../src/codec/index.js';
import { FixSession, SessionState } from '../../src/session/index.js';
import { MemoryStore } from '../../src/store/memory-store.js';
import type { Prng } from '../fault/prng.js';
import { randomChunking, type Violation } from './framer-target.js';
import { MUTATORS, MUTATOR_NAMES } from './mutators.js';
import { checkFrame, frame, latin1, refix } from './reference.js';

const T0 = Date.UTC(2024, 4, 14, 12, 0, 0) * 1000;
const US = 'ISLD';
const THEM = 'TW';

/** Bodies after the standard header; `{seq}` is the MsgSeqNum slot. */
const BODIES = [
  '35=0',
  '35=0|112=TR1',
  '35=1|112=TR-{n}',
  '35=2|7={lo}|16=0',
  '35=2|7=1|16={seq}',
  '35=4|123=Y|36={hi}',
  '35=4|36={hi}',
  '35=4|123=Y|36=1',
  '35=D|11=ID{n}|21=1|40=2|44=10.5|54=1|38=100|55=BTC/USD|60={now}',
  '35=F|11=C{n}|41=ID1|54=1|55=BTC/USD|60={now}',
  '35=3|45=1|58=bad',
  '35=j|45=1|372=D|380=3',
  '35=A|98=0|108=30',
  '35=A|98=0|108=1|141=Y',
  '35=5|58=bye',
  '35=ZZ',
  '35=V|262=1|263=1|264=0|267=2|269=0|269=1|146=1|55=BTC/USD',
];

export interface SessionCaseResult {
  violations: Violation[];
  inputMessages: number;
  outputMessages: number;
  disconnects: number;
  /** The raw bytes fed, in order, for the crash report. */
  fed: Buffer;
}

export class SessionTarget {
  private readonly dictionary = getDictionary({ kraken: false });
  private clock = new ManualClock(T0);
  private session!: FixSession;
  private written: Buffer[] = [];
  private disconnectRequested = false;
  private lastOutSeq = 0;
  private cases = 0;

  constructor() {
    this.fresh();
  }

  private fresh(): void {
    this.clock = new ManualClock(T0);
    this.session = new FixSession({
      role: 'acceptor',
      senderCompID: US,
      targetCompID: THEM,
      dictionary: this.dictionary,
      store: new MemoryStore({ sessionStartMicros: T0 }),
      clock: this.clock,
      validation: { enabled: true },
      maxQueuedMessages: 200,
      resetOnLogon: true,
    });
    this.lastOutSeq = 0;
  }

  private connectAndLogon(violations: Violation[]): void {
    this.disconnectRequested = false;
    this.session.onConnect({
      write: (bytes, off, len) => { this.written.push(Buffer.from(bytes.subarray(off, off + len))); },
      disconnect: () => { this.disconnectRequested = true; },
    });
    this.lastOutSeq = 0;
    this.session.onBytes(this.msg('35=A|98=0|108=30|141=Y', 1));
    if (this.session.state !== SessionState.Active) violations.push({ oracle: 'session-logon', detail: `valid Logon left the session in state ${this.session.state}` });
  }

  private msg(body: string, seq: number, n = 0): Buffer {
    const now = formatUtcTimestamp(this.clock.micros, 3);
    const [first, ...rest] = body.split('|');
    const next = this.session.nextTargetMsgSeqNum();
    const text = [first, `34=${seq}`, `49=${THEM}`, `52=${now}`, `56=${US}`, ...rest].join('|')
      .replace('{n}', String(n)).replace('{now}', now).replace('{lo}', String(Math.max(1, next - 3)))
      .replace('{hi}', String(next + 2)).replace('{seq}', String(seq));
    return frame(text);
  }

  /** One case: 1-20 messages (some mutated) in a random chunking, with clock ticks between chunks. */
  run(rng: Prng): SessionCaseResult {
    if (++this.cases % 500 === 0) this.fresh(); // bound the store's growth
    const violations: Violation[] = [];
    this.written = [];
    const guard = (what: string, f: () => void) => {
      try {
        f();
      } catch (err) {
        violations.push({ oracle: 'session-exception', detail: `${what}: ${String((err as Error).stack ?? err)}` });
      }
    };
    if (this.session.state === SessionState.Disconnected) guard('logon', () => this.connectAndLogon(violations));
    const parts: Buffer[] = [];
    const count = rng.range(1, 20);
    for (let i = 0; i < count; i++) {
      const next = this.session.nextTargetMsgSeqNum();
      const seq = rng.chance(0.7) ? next + i : Math.max(0, next + rng.range(-3, 5));
      let m = this.msg(rng.pick(BODIES), seq, i);
      if (rng.chance(0.4)) {
        for (let k = rng.range(1, 2); k > 0; k--) m = MUTATORS[rng.pick(MUTATOR_NAMES.filter((x) => x !== 'endless'))]!(rng, m, [m]);
        if (rng.chance(0.6)) m = refix(m);
      }
      parts.push(m);
    }
    const fed = Buffer.concat(parts);
    let off = 0;
    for (const n of randomChunking(rng, fed.length)) {
      const chunk = fed.subarray(off, off + n);
      off += n;
      guard('onBytes', () => this.session.onBytes(chunk));
      if (rng.chance(0.1)) {
        this.clock.advanceMs(rng.pick([100, 1000, 31_000, 40_000, 130_000]));
        guard('onTimer', () => this.session.onTimer());
      }
      if (this.disconnectRequested) break;
    }
    if (this.disconnectRequested) guard('onDisconnect', () => this.session.onDisconnect('fuzz: peer side closed'));
    const frames = (latin1(fed).match(/8=FIX/g) ?? []).length;
    const outputMessages = this.checkOutput(violations, Math.max(count, frames));
    // Liveness: a session still Active and in sequence answers a TestRequest.
    if (this.session.state === SessionState.Active && this.session.resendEnd === 0 && violations.length === 0) {
      this.written = [];
      guard('liveness', () => this.session.onBytes(this.msg('35=1|112=ALIVE', this.session.nextTargetMsgSeqNum())));
      const answered = this.written.some((b) => latin1(b).includes('\x01112=ALIVE\x01'));
      if (!answered && this.session.state === SessionState.Active) {
        violations.push({ oracle: 'session-liveness', detail: `Active session did not answer a TestRequest; wrote ${this.written.map((b) => latin1(b).replace(/\x01/g, '|')).join(' ')}` });
      }
      this.checkOutput(violations, 1);
    }
    return { violations, inputMessages: count, outputMessages, disconnects: this.disconnectRequested ? 1 : 0, fed };
  }

  private checkOutput(violations: Violation[], inputs: number): number {
    const out = this.written;
    // Per inbound frame the session answers with a few messages at most (reject + logout, one
    // collapsed gap fill, heartbeat...); clock ticks add heartbeats and test requests.
    if (out.length > 4 * inputs + 20) violations.push({ oracle: 'session-output-bound', detail: `${out.length} messages written for ${inputs} inbound` });
    for (const b of out) {
      const ref = checkFrame(b, { dataTagOfLength: this.dictionary.dataTagOfLength });
      if (!ref.ok) {
        violations.push({ oracle: 'session-output-invalid', detail: `${ref.reason}: ${latin1(b).replace(/\x01/g, '|')}` });
        continue;
      }
      const seq = Number(ref.fields.find(([t]) => t === 34)?.[1]);
      const possDup = ref.fields.some(([t, v]) => t === 43 && v === 'Y');
      if (!possDup) {
        // Sequence numbers restart at 1 after a reset (a Logon with 141=Y, a SequenceReset).
        if (!(seq > this.lastOutSeq) && seq !== 1) {
          violations.push({ oracle: 'session-seq', detail: `outbound MsgSeqNum ${seq} after ${this.lastOutSeq}: ${latin1(b).replace(/\x01/g, '|')}` });
        }
        this.lastOutSeq = seq;
      }
    }
    return out.length;
  }
}
