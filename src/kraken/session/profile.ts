// KrakenSessionProfile: the SessionApplication of one Kraken session (trading or MD). It
// - signs the Logon (onLogonOut): 553/554/5025 over this Logon's own MsgSeqNum, CompIDs and nonce, plus 8674 and
//   109, after a clock-drift check that refuses to send a Logon Kraken would reject;
// - routes inbound application messages to the KrakenMdClient or KrakenClient it serves, sampling Kraken's clock;
// - runs the recovery rules after every (re)logon, the 22:00 UTC rollover included: InstrumentList request and
//   every wanted MD subscription again (new MDReqIDs), open orders reconciled with OrderStatusRequest (Spot).
// Credentials are held, never logged: no event or error text contains the key or the secret.

import type { Clock, FixEncoder, MessageView } from '../../codec/index.js';
import type { FixSession, LogonContext, SessionApplication, SessionConfig, SessionEvent } from '../../session/index.js';
import type { FixDictionary } from '../../codec/index.js';
import type { MessageStore } from '../../store/types.js';
import { type ClockDriftOptions, NonceSource, logonAuthFields } from '../auth.js';
import type { Credentials } from '../credentials.js';
import type { KrakenClient } from '../fix/client.js';
import type { KrakenMdClient, MdRecoveryCounts } from '../md/client.js';
import type { Venue } from '../types.js';
import { type ClockCheck, ServerClockMonitor } from './clock.js';
import { type KrakenService, type KrakenServiceInfo, krakenService, krakenSessionConfig } from './profiles.js';
import type { KrakenSessionEvent, OrderRecovery, RecoveryCause } from './events.js';

export interface KrakenSessionProfileOptions {
  readonly venue: Venue;
  readonly service: KrakenService;
  readonly senderCompID: string;
  /** The session's clock (nonces, drift check, samples). */
  readonly clock: Clock;
  /** Required for trading sessions; ignored on MD. */
  readonly credentials?: Credentials;
  /** 109 ClientID on Logon: links trading and MD sessions of one SenderCompID (they evict each other without it). */
  readonly clientID?: string;
  /** 8674 on trading Logons: true -> `0` (cancel this session's orders on disconnect, Kraken's default), false -> `1`. */
  readonly cancelOrdersOnDisconnect?: boolean;
  /** Keep nonces increasing across restarts by passing the last one issued. */
  readonly nonce?: NonceSource;
  /** Share one monitor between the MD and trading sessions. */
  readonly clockMonitor?: ServerClockMonitor;
  /** 'refuse' (default): no Logon goes out with a bad drift; 'warn': report and send; 'off'. */
  readonly clockDriftPolicy?: 'refuse' | 'warn' | 'off';
  readonly clockDriftOptions?: ClockDriftOptions;
  readonly md?: KrakenMdClient;
  readonly trading?: KrakenClient;
  /** Trading sessions: also send InstrumentListRequest on logon (MD sessions always do, via the MD client). */
  readonly tradingInstrumentList?: boolean;
  /**
   * MD sessions: renew every subscription when the session sees an inbound MsgSeqNum gap (default true). Kraken
   * may answer our ResendRequest with a gap fill, and W/X lost that way would leave the books silently stale.
   */
  readonly mdResubscribeOnGap?: boolean;
  /** The owner's own callbacks, called after the profile's. */
  readonly application?: SessionApplication;
  readonly onEvent?: (event: KrakenSessionEvent) => void;
}

export class KrakenSessionProfile implements SessionApplication {
  readonly info: KrakenServiceInfo;
  readonly senderCompID: string;
  readonly clockMonitor: ServerClockMonitor;
  md: KrakenMdClient | null;
  trading: KrakenClient | null;
  /** Successful logons so far, and rollovers seen. */
  logons = 0;
  rollovers = 0;
  readonly #o: KrakenSessionProfileOptions;
  readonly #nonce: NonceSource;
  #rolloverPending = false;

  constructor(o: KrakenSessionProfileOptions) {
    this.info = krakenService(o.venue, o.service);
    if (this.info.authenticated && o.credentials === undefined) {
      throw new RangeError(`Kraken ${o.venue} trading sessions need credentials (API key and secret)`);
    }
    if (o.clientID !== undefined && !/^[\x21-\x7e]{1,64}$/.test(o.clientID)) throw new RangeError('clientID must be printable ASCII');
    this.#o = o;
    this.senderCompID = o.senderCompID;
    this.clockMonitor = o.clockMonitor ?? new ServerClockMonitor();
    this.#nonce = o.nonce ?? new NonceSource(() => o.clock.nowMicros() / 1000);
    this.md = o.md ?? null;
    this.trading = o.trading ?? null;
  }

  /** SessionConfig for this profile (the profile is its application). */
  sessionConfig(o: { store: MessageStore; dictionary?: FixDictionary; heartBtIntSec?: number; overrides?: Partial<SessionConfig> }): SessionConfig {
    return krakenSessionConfig({
      venue: this.info.venue,
      service: this.info.service,
      senderCompID: this.senderCompID,
      clock: this.#o.clock,
      store: o.store,
      dictionary: o.dictionary,
      heartBtIntSec: o.heartBtIntSec,
      application: this,
      overrides: o.overrides,
    });
  }

  attachMd(md: KrakenMdClient): void {
    this.md = md;
  }

  attachTrading(client: KrakenClient): void {
    this.trading = client;
  }

  /** The pre-logon drift check on its own (e.g. before starting the supervisor). */
  checkClock(): ClockCheck {
    return this.clockMonitor.check(this.#o.clock.nowMicros(), this.#o.clockDriftOptions);
  }

  // ---------------------------------------------------------------- SessionApplication

  onLogonOut(session: FixSession, enc: FixEncoder, ctx: LogonContext): void {
    if (this.info.authenticated) {
      const policy = this.#o.clockDriftPolicy ?? 'refuse';
      if (policy !== 'off') {
        const c = this.checkClock();
        if (c.status === 'drift') {
          const refused = policy === 'refuse';
          this.#emit({ kind: 'clock-drift', error: c.error, refused });
          if (refused) {
            // The session writes nothing once disconnected, so this Logon never reaches the wire; the
            // supervisor's backoff retries later (and the next sample may show the clock fixed).
            session.disconnect(`Logon not sent: ${c.error.message}`);
            return;
          }
        } else if (c.status === 'no-sample') {
          this.#emit({ kind: 'clock-unverified', reason: c.reason });
        }
      }
      const fields = logonAuthFields({
        credentials: this.#o.credentials!,
        msgSeqNum: ctx.msgSeqNum,
        senderCompID: ctx.senderCompID,
        targetCompID: ctx.targetCompID,
        nonce: this.#nonce.nextString(),
        cancelOrdersOnDisconnect: this.#o.cancelOrdersOnDisconnect ?? true,
        clientID: this.#o.clientID,
      });
      for (const [tag, value] of fields) enc.str(tag, value);
    } else if (this.#o.clientID !== undefined) {
      enc.str(109, this.#o.clientID);
    }
    this.#emit({ kind: 'logon-sent', msgSeqNum: ctx.msgSeqNum, authenticated: this.info.authenticated });
    this.#o.application?.onLogonOut?.(session, enc, ctx);
  }

  onLogon(session: FixSession): void {
    const cause: RecoveryCause = this.logons === 0 ? 'logon' : this.#rolloverPending ? 'rollover' : 'reconnect';
    this.logons++;
    this.#rolloverPending = false;
    let md: MdRecoveryCounts | null = null;
    let orders: OrderRecovery | null = null;
    let instrumentRequests = 0;
    if (this.md !== null) {
      md = this.md.onLogon();
      instrumentRequests += md.instrumentRequests;
    }
    const t = this.trading;
    if (t !== null) {
      // 141=Y on every Logon: MsgSeqNums of the previous connection no longer identify our requests.
      t.onSequenceReset();
      if (this.#o.tradingInstrumentList === true) {
        const r = t.requestInstruments({ securityReqID: `il${this.#o.clock.nowMicros()}`, scope: 'all' });
        if (r.ok) instrumentRequests++;
      }
      const r = t.reconcile();
      orders = {
        statusRequests: r.sent,
        failed: r.failed,
        withoutOrderID: r.withoutOrderID.map((o) => o.clOrdID),
        unsupported: r.unsupported.map((o) => o.clOrdID),
      };
    }
    this.#emit({ kind: 'recovered', cause, instrumentRequests, md, orders });
    this.#o.application?.onLogon?.(session);
  }

  onLogout(session: FixSession, reason: string): void {
    this.md?.onSessionLost();
    this.#emit({ kind: 'logout', reason });
    this.#o.application?.onLogout?.(session, reason);
  }

  onAppMessage(session: FixSession, view: MessageView, possDup: boolean): void {
    this.clockMonitor.observeView(view, session.clock.nowMicros());
    if (this.md !== null) this.md.onMessage(view);
    else if (this.trading !== null) this.trading.onMessage(view);
    this.#o.application?.onAppMessage?.(session, view, possDup);
  }

  onEvent(session: FixSession, event: SessionEvent): void {
    if (event.kind === 'rollover') {
      this.rollovers++;
      this.#rolloverPending = true;
      this.#emit({ kind: 'rollover', text: event.text });
    } else if (event.kind === 'gap' && this.md !== null && this.#o.mdResubscribeOnGap !== false) {
      const n = this.md.resubscribeAll();
      if (n > 0) this.#emit({ kind: 'md-gap-resubscribe', subscriptions: n, text: event.text });
    }
    this.#o.application?.onEvent?.(session, event);
  }

  #emit(e: KrakenSessionEvent): void {
    this.#o.onEvent?.(e);
  }
}
