/**
 * Answering the counterparty's ResendRequest. 'replay' resends stored application messages from
 * their exact stored bytes with a rewritten header (new SendingTime, PossDupFlag=Y, OrigSendingTime
 * = the original SendingTime) and covers everything else (admin messages, holes) with
 * SequenceReset-GapFill; 'gap-fill-all' covers the whole range with one gap fill (no stale orders).
 * Resends are rare, so this path may allocate a little (one sorted header list per message).
 */
import { FixFramer, type FramerHandler, type MessageView } from '../codec/index.js';
import { sendGapFill } from './outbound.js';
import type { FixSession } from './session.js';

const Y = 0x59;
const SKIP_HEADER = new Set([8, 9, 10, 34, 35, 43, 52, 122]);

class ReplayHandler implements FramerHandler {
  ok = false;
  constructor(private readonly session: FixSession) {}
  onMessage(view: MessageView): void {
    this.ok = true;
    writePossDup(this.session, view);
  }
  onError(): void {
    this.ok = false;
  }
}

/** One replayer per session: its own framer, so stored bytes are parsed without disturbing the stream. */
export class Resender {
  private readonly framer: FixFramer;
  private readonly handler: ReplayHandler;

  constructor(private readonly session: FixSession) {
    this.framer = new FixFramer(session.dictionary, { maxMessageSize: session.config.maxMessageSize ?? 65536 });
    this.handler = new ReplayHandler(session);
  }

  /** Answers ResendRequest(begin, end); end 0 means "everything sent so far". */
  answer(begin: number, end: number): void {
    const s = this.session;
    const next = s.store.nextSenderMsgSeqNum();
    if (end === 0 || end >= next) end = next - 1;
    if (begin < 1) begin = 1;
    s.emit('resend', `ResendRequest ${begin}..${end} (${s.resendPolicy})`);
    if (begin > end) return;
    if (s.resendPolicy === 'gap-fill-all') {
      gapFill(s, begin, end + 1);
      return;
    }
    let current = begin;
    s.store.replay(begin, end, (seq, bytes) => {
      if (seq < current || seq > end) return;
      if (seq > current) gapFill(s, current, seq);
      this.handler.ok = false;
      this.framer.reset();
      this.framer.push(bytes, this.handler);
      // A stored message we cannot parse is gap-filled rather than resent garbled.
      if (!this.handler.ok) gapFill(s, seq, seq + 1);
      current = seq + 1;
    });
    if (current <= end) gapFill(s, current, Math.min(end + 1, next));
  }
}

/** A gap fill answering a ResendRequest; the application learns which of its messages will never arrive. */
function gapFill(s: FixSession, msgSeqNum: number, newSeqNo: number): void {
  sendGapFill(s, msgSeqNum, newSeqNo);
  s.application.onResendGapFill?.(s, msgSeqNum, newSeqNo - 1);
}

/** Rewrites a stored message's header for a resend and sends it (not stored again). */
function writePossDup(s: FixSession, view: MessageView): void {
  const header: number[] = [34, 43, 52, 122]; // field index, or -tag for a synthesized field
  const headerIdx: number[] = [-34, -43, -52, -122];
  const bodyStart: number[] = [];
  const dictionary = s.dictionary;
  for (let i = 3; i < view.count - 1; i++) {
    const t = view.tags[i]!;
    if (dictionary.isHeaderTag(t)) {
      if (SKIP_HEADER.has(t)) continue;
      header.push(t);
      headerIdx.push(i);
    } else if (!dictionary.isTrailerTag(t)) {
      bodyStart.push(i);
    }
  }
  const order = header.map((_, k) => k).sort((a, b) => header[a]! - header[b]!);
  const now = s.clock.nowMicros();
  const enc = s.encoder.beginRaw();
  enc.bytes(35, view.buffer, view.offsets[2]!, view.lengths[2]!);
  for (const k of order) {
    const idx = headerIdx[k]!;
    if (idx >= 0) { enc.bytes(header[k]!, view.buffer, view.offsets[idx]!, view.lengths[idx]!); continue; }
    switch (-idx) {
      case 34: enc.int(34, view.getInt(34)); break;
      case 43: enc.char(43, Y); break;
      case 52: enc.timestamp(52, now); break;
      case 122: {
        const at = view.indexOf(52);
        if (at >= 0) enc.bytes(122, view.buffer, view.offsets[at]!, view.lengths[at]!);
        break;
      }
    }
  }
  for (const i of bodyStart) enc.bytes(view.tags[i]!, view.buffer, view.offsets[i]!, view.lengths[i]!);
  enc.finish();
  s.writeRaw();
}
