// Test harness for the sans-I/O session: ManualClock, MemoryStore, captured output, and helpers
// to build inbound messages from `35=A|34=1|...` text (BodyLength and CheckSum computed).
import { ManualClock, formatUtcTimestamp, getDictionary, type MessageView } from '../../src/codec/index.js';
import { FixSession, type SessionConfig, type SessionEvent } from '../../src/session/index.js';
import { MemoryStore } from '../../src/store/memory-store.js';

export const T0 = Date.UTC(2024, 4, 14, 12, 0, 0) * 1000; // 2024-05-14 12:00:00 UTC, in µs

/** Builds a FIX 4.4 message; `|` stands for SOH. `<NOW>` is replaced with the clock's time. */
export function fix(body: string, clock?: ManualClock, beginString = 'FIX.4.4'): Buffer {
  let text = body.replace(/\|/g, '\x01');
  if (clock) text = text.replace(/<NOW([+-]\d+)?>/g, (_m, d) => formatUtcTimestamp(clock.micros + Number(d ?? 0) * 1_000_000, 3));
  if (!text.endsWith('\x01')) text += '\x01';
  const head = `8=${beginString}\x019=${Buffer.byteLength(text, 'latin1')}\x01`;
  const all = head + text;
  let sum = 0;
  for (let i = 0; i < all.length; i++) sum += all.charCodeAt(i);
  return Buffer.from(`${all}10=${String(sum & 0xff).padStart(3, '0')}\x01`, 'latin1');
}

export interface Sent {
  text: string;
  fields: Map<number, string>;
  list: [number, string][];
}

function parse(bytes: Uint8Array): Sent {
  const text = Buffer.from(bytes).toString('latin1');
  const list: [number, string][] = text
    .split('\x01')
    .filter((f) => f.length > 0)
    .map((f) => {
      const eq = f.indexOf('=');
      return [Number(f.slice(0, eq)), f.slice(eq + 1)];
    });
  const fields = new Map<number, string>();
  for (const [t, v] of list) if (!fields.has(t)) fields.set(t, v);
  return { text: text.replace(/\x01/g, '|'), fields, list };
}

export interface AppMessage {
  msgType: string;
  seq: number;
  possDup: boolean;
  text: string;
}

export class Harness {
  readonly clock = new ManualClock(T0);
  readonly store = new MemoryStore({ sessionStartMicros: T0 });
  readonly sent: Sent[] = [];
  readonly app: AppMessage[] = [];
  readonly events: SessionEvent[] = [];
  disconnects: string[] = [];
  logons = 0;
  logouts: string[] = [];
  readonly session: FixSession;
  /** Our CompIDs: we are `ISLD` (acceptor) or `TW` (initiator); the peer is the other. */
  readonly us: string;
  readonly them: string;

  constructor(overrides: Partial<SessionConfig> = {}, appHook?: (h: Harness, view: MessageView, possDup: boolean) => void) {
    const role = overrides.role ?? 'acceptor';
    this.us = overrides.senderCompID ?? (role === 'acceptor' ? 'ISLD' : 'TW');
    this.them = overrides.targetCompID ?? (role === 'acceptor' ? 'TW' : 'ISLD');
    this.session = new FixSession({
      role,
      senderCompID: this.us,
      targetCompID: this.them,
      dictionary: getDictionary({ kraken: false }),
      store: this.store,
      clock: this.clock,
      validation: { enabled: true },
      ...overrides,
      application: {
        onAppMessage: (s, view, possDup) => {
          this.app.push({ msgType: view.getString(35)!, seq: view.getInt(34), possDup, text: view.toString() });
          appHook?.(this, view, possDup);
        },
        onLogon: () => { this.logons++; },
        onLogout: (_s, reason) => { this.logouts.push(reason); },
        onEvent: (_s, e) => { this.events.push(e); },
        ...overrides.application,
      },
    });
  }

  connect(): this {
    this.session.onConnect({
      write: (bytes, off, len) => this.sent.push(parse(bytes.subarray(off, off + len))),
      disconnect: (reason) => this.disconnects.push(reason),
    });
    return this;
  }

  /** Sends the peer's message; header 49/56/52 filled in unless given. */
  /** `reuse`: deliver through this one buffer, overwritten per message, as a socket reader that reuses its buffer does. */
  recv(body: string, opts: { raw?: boolean; reuse?: Buffer } = {}): this {
    let text = body;
    if (!opts.raw) {
      const dictionary = getDictionary({ kraken: false });
      const all = body.split('|').filter((p) => p.length > 0);
      const isHeader = (p: string) => dictionary.isHeaderTag(Number(p.slice(0, p.indexOf('='))));
      const head = all.slice(0, 2); // 35, 34
      const rest = [...all.slice(2).filter(isHeader), ...all.slice(2).filter((p) => !isHeader(p))];
      const extra: string[] = [];
      if (!/(^|\|)49=/.test(body)) extra.push(`49=${this.them}`);
      if (!/(^|\|)52=/.test(body)) extra.push('52=<NOW>');
      if (!/(^|\|)56=/.test(body)) extra.push(`56=${this.us}`);
      text = [...head, ...extra, ...rest].filter((p) => p.length > 0).join('|');
    }
    const bytes = fix(text, this.clock);
    if (opts.reuse) {
      bytes.copy(opts.reuse);
      this.session.onBytes(opts.reuse.subarray(0, bytes.length));
    } else {
      this.session.onBytes(bytes);
    }
    return this;
  }

  bytes(b: Uint8Array): this {
    this.session.onBytes(b);
    return this;
  }

  /** Advances the clock in steps, ticking the timer like the transport does. */
  advance(ms: number, stepMs = 100): this {
    for (let t = 0; t < ms; t += stepMs) {
      this.clock.advanceMs(Math.min(stepMs, ms - t));
      this.session.onTimer();
    }
    return this;
  }

  /** Messages sent since the last call, as `35=..|34=..|...` without 8/9/49/52/56/122/10. */
  take(): string[] {
    const out = this.sent.splice(0).map((m) =>
      m.list
        .filter(([t]) => ![8, 9, 10, 49, 52, 56, 122].includes(t))
        .map(([t, v]) => `${t}=${v}`)
        .join('|'),
    );
    return out;
  }

  /** Logs on as the acceptor side with the peer's Logon (seq 1, reset). */
  logon(heartBtInt = 30, extra = ''): this {
    this.connect();
    this.recv(`35=A|34=1|98=0|108=${heartBtInt}${extra}`);
    return this;
  }
}
