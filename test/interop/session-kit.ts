// Sessions on a durable journal and the NewOrderSingle / ExecutionReport the interop tests exchange.
// Kept apart from helpers.ts so the child-process fixture loads nothing but src/ and this file.
import { SystemClock, getDictionary, type MessageView } from '../../src/codec/index.js';
import { FixSession, type SessionApplication } from '../../src/session/index.js';
import { openJournalStore, type JournalStore } from '../../src/store/index.js';

export const clock = new SystemClock();

export function journalSession(options: {
  role: 'initiator' | 'acceptor';
  sender: string;
  target: string;
  dir: string;
  application: SessionApplication;
}): { session: FixSession; store: JournalStore } {
  const store = openJournalStore({
    dir: options.dir,
    sessionId: `FIX.4.4:${options.sender}->${options.target}`,
    fsync: { kind: 'batch', maxMessages: 64, maxDelayMs: 5 },
  });
  const session = new FixSession({
    role: options.role,
    senderCompID: options.sender,
    targetCompID: options.target,
    dictionary: getDictionary({ kraken: false }),
    store,
    clock,
    heartBtIntSec: 30,
    resetSeqNumOnLogon: false,
    resendPolicy: 'replay',
    validation: { enabled: true },
    application: options.application,
  });
  return { session, store };
}

/** A FIX 4.4 NewOrderSingle QuickFIX's dictionary accepts. Returns its MsgSeqNum. */
export function sendNewOrderSingle(session: FixSession, clOrdID: string): number {
  const enc = session.beginMessage('D');
  enc.str(11, clOrdID).int(38, 1).char(40, 0x32).str(44, '100.5').char(54, 0x31).str(55, 'XBT/USD');
  enc.timestamp(60, clock.nowMicros());
  return session.send();
}

let execId = 0;
/** ExecutionReport New for a NewOrderSingle view (our acceptor's application). */
export function answerNewOrderSingle(session: FixSession, order: MessageView): void {
  execId++;
  const enc = session.beginMessage('8');
  enc.str(6, '0').str(11, order.getString(11) ?? '').str(14, '0').str(17, `E${execId}`).str(37, `O${execId}`);
  enc.str(38, order.getString(38) ?? '0').str(39, '0').str(54, order.getString(54) ?? '1').str(55, order.getString(55) ?? 'XBT/USD');
  enc.str(150, '0').str(151, order.getString(38) ?? '0');
  session.send();
}
