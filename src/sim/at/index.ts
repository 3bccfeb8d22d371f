/**
 * The QuickFIX acceptance-test profile of the simulator: an acceptor configured like QuickFIX's own
 * AT server (SenderCompID ISLD; clients TW44, TW, NO_CHECK_FIELDS_HAVE_VALUES; ResetOnLogon;
 * memory store; validation on with the plain FIX 4.4 dictionary; 120 s SendingTime accuracy;
 * QuickFIX framing and timer factors) running the "at" application. See ../shared/quickfix-at/README.md.
 * Must not import the engine or strategies.
 */
import { SystemClock, getDictionary, type Clock } from '../../codec/index.js';
import { FixSession, type SessionApplication, type SessionEvent } from '../../session/index.js';
import { MemoryStore } from '../../store/memory-store.js';
import { startAcceptor, type WireTap } from '../../transport/index.js';
import { AtApplication } from './app.js';

export interface AtAcceptorOptions {
  port?: number;
  host?: string;
  clock?: Clock;
  /** Session diagnostics (state changes, rejects, gaps). */
  onEvent?: (session: FixSession, event: SessionEvent) => void;
  /** A copy of each connection's bytes (FIX message logs). */
  tap?: (theirSenderCompID: string, theirTargetCompID: string) => WireTap | undefined;
}

export interface AtAcceptorHandle {
  port: number;
  close(): Promise<void>;
}

export const AT_SENDER_COMP_ID = 'ISLD';
export const AT_CLIENTS: readonly { compID: string; checkFieldsHaveValues: boolean }[] = [
  { compID: 'TW44', checkFieldsHaveValues: true },
  { compID: 'TW', checkFieldsHaveValues: true },
  { compID: 'NO_CHECK_FIELDS_HAVE_VALUES', checkFieldsHaveValues: false },
];

export function createAtSessions(clock: Clock, onEvent?: AtAcceptorOptions['onEvent']): Map<string, FixSession> {
  const dictionary = getDictionary({ kraken: false });
  const app = new AtApplication();
  const application: SessionApplication = {
    onAppMessage: (s, v, d) => app.onAppMessage(s, v),
    onLogon: (s) => app.onLogon(s),
    onLogout: (s) => app.onLogout(s),
    onEvent,
  };
  const sessions = new Map<string, FixSession>();
  for (const client of AT_CLIENTS) {
    sessions.set(
      client.compID,
      new FixSession({
        role: 'acceptor',
        senderCompID: AT_SENDER_COMP_ID,
        targetCompID: client.compID,
        dictionary,
        store: new MemoryStore({ sessionStartMicros: clock.nowMicros() }),
        clock,
        resetOnLogon: true,
        resendPolicy: 'replay',
        validation: { enabled: true, checkFieldsHaveValues: client.checkFieldsHaveValues },
        maxLatencySec: 120,
        // QuickFIX's timers: TestRequest after 1.5 HeartBtInt of silence, give up after 2.4.
        testRequestFactor: 1.5,
        timeoutFactor: 2.4,
        logoutTimeoutMs: 2000,
        framing: 'quickfix',
        timestampPrecision: 3,
        application,
      }),
    );
  }
  return sessions;
}

/** Starts the AT acceptor on 127.0.0.1 (port 0 = any free port). */
export async function startAtAcceptor(options: AtAcceptorOptions = {}): Promise<AtAcceptorHandle> {
  const clock = options.clock ?? new SystemClock();
  const sessions = createAtSessions(clock, options.onEvent);
  const handle = await startAcceptor({
    port: options.port ?? 0,
    host: options.host ?? '127.0.0.1',
    sessions: (sender, target) => (target === AT_SENDER_COMP_ID ? sessions.get(sender) : undefined),
    tickMs: 50,
    ...(options.tap ? { tap: options.tap } : {}),
  });
  return { port: handle.port, close: () => handle.close() };
}
