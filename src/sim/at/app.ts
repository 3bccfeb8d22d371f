/**
 * The "at" application of QuickFIX's acceptance-test server: echo NewOrderSingle (dropping a
 * PossResend one whose ClOrdID was already seen since logon), echo SecurityDefinition and Email,
 * BusinessMessageReject (380=3) for anything else. The echo keeps the inbound header extras
 * (PossResend, routing) and writes the body in ascending tag order with groups kept together,
 * which is how QuickFIX re-serialises a message.
 */
import type { FixDictionary, FixEncoder, MessageView } from '../../codec/index.js';
import { BusinessRejectReason, type FixSession, type SessionApplication } from '../../session/index.js';

const Y = 0x59;
const MT_NEW_ORDER_SINGLE = 0x44; // D
const MT_SECURITY_DEFINITION = 0x64; // d
const MT_EMAIL = 0x43; // C
/** Header tags the session writes itself (or drops on a fresh send, like PossDupFlag/OrigSendingTime). */
const OWN_HEADER = new Set([8, 9, 10, 34, 35, 43, 49, 52, 56, 122]);

export class AtApplication implements SessionApplication {
  /** ClOrdIDs seen since logon, per session. */
  private readonly seen = new Map<FixSession, Set<string>>();

  onLogon(session: FixSession): void {
    this.seen.set(session, new Set());
  }

  onLogout(session: FixSession): void {
    this.seen.delete(session);
  }

  onAppMessage(session: FixSession, view: MessageView): void {
    switch (view.msgTypeCode) {
      case MT_NEW_ORDER_SINGLE: {
        const clOrdID = view.getString(11) ?? '';
        let seen = this.seen.get(session);
        if (seen === undefined) this.seen.set(session, (seen = new Set()));
        if (view.getChar(97) === Y && seen.has(clOrdID)) return;
        seen.add(clOrdID);
        echo(session, view);
        return;
      }
      case MT_SECURITY_DEFINITION:
      case MT_EMAIL:
        echo(session, view);
        return;
      default:
        session.sendBusinessReject(view, BusinessRejectReason.UNSUPPORTED_MESSAGE_TYPE, 'Unsupported Message Type');
    }
  }
}

/** Sends `view` back with our header, its header extras and its body in QuickFIX order. */
export function echo(session: FixSession, view: MessageView): number {
  const enc = session.beginMessage(view.msgTypeCode);
  const dictionary = session.dictionary;
  const headerExtras: number[] = [];
  for (let i = 3; i < view.count - 1; i++) {
    const t = view.tags[i]!;
    if (dictionary.isHeaderTag(t) && !OWN_HEADER.has(t)) headerExtras.push(i);
  }
  headerExtras.sort((a, b) => view.tags[a]! - view.tags[b]!);
  for (const i of headerExtras) copy(enc, view, i);
  for (const [from, to] of bodyBlocks(view, dictionary)) for (let i = from; i < to; i++) copy(enc, view, i);
  return session.send();
}

function copy(enc: FixEncoder, view: MessageView, i: number): void {
  enc.bytes(view.tags[i]!, view.buffer, view.offsets[i]!, view.lengths[i]!);
}

/** Body fields as [from, to) index blocks (a group travels with its NumInGroup), sorted by leading tag. */
function bodyBlocks(view: MessageView, dictionary: FixDictionary): [number, number][] {
  const def = dictionary.message(view.getString(35) ?? '');
  const blocks: [number, number][] = [];
  const last = view.count - 1;
  let i = 3;
  while (i < last) {
    const t = view.tags[i]!;
    if (dictionary.isHeaderTag(t) || dictionary.isTrailerTag(t)) { i++; continue; }
    const group = def?.groups.get(t);
    let end = i + 1;
    if (group !== undefined) while (end < last && group.allTags.has(view.tags[end]!)) end++;
    blocks.push([i, end]);
    i = end;
  }
  return blocks.sort((a, b) => view.tags[a[0]]! - view.tags[b[0]]!);
}
