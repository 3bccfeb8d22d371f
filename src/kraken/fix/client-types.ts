// Contracts of KrakenClient (./client.ts): the session port it sends through, the strategy-facing request
// shapes (ClOrdID and TransactTime optional: the client fills them), send outcomes, errors and events.

import type { FixEncoder } from '../../codec/index.js';
import type { InstrumentError, TradingSessionState } from '../instruments.js';
import type { ValidationError } from '../errors.js';
import type { TrackError } from '../oms.js';
import type { OmsEvent } from '../oms-types.js';
import type {
  NewOrderSingleRequest,
  OrderCancelReplaceRequest,
  OrderCancelRequest,
  OrderMassCancelRequest,
  OrderStatusRequest,
} from '../orders.js';
import type { DecodeError, ExecutionReportDecoded, SecurityListDecoded, TradingSessionStatusDecoded } from './decode.js';

/** Adds header extras and body fields to a message the session has begun. Must not throw for valid input. */
export type BodyWriter = (enc: FixEncoder) => void;

/**
 * The one thing the client needs from a FIX session. The session begins the message (8/9/35/34/49/52/56 with
 * its own MsgSeqNum and SendingTime), calls writeBody, then finishes, stores and writes it, and returns the
 * MsgSeqNum it used (the OMS needs it to match a later session Reject 3). It may throw when it cannot send
 * (not logged on); the client turns that into a typed error.
 */
export interface FixSender {
  send(msgTypeCode: number, writeBody: BodyWriter): number;
  /** Optional fast check so the client refuses before tracking anything when the session is down. */
  isLoggedOn?(): boolean;
}

/** Structural shape of src/session's FixSession, so the adapter needs no import of that layer. */
export interface SessionLike {
  beginMessage(msgType: number): FixEncoder;
  send(): number;
  readonly isLoggedOn: boolean;
}

/** FixSender over a FixSession: beginMessage -> writeBody -> send. */
export function senderFromSession(session: SessionLike): FixSender {
  return {
    send(msgTypeCode, writeBody) {
      const enc = session.beginMessage(msgTypeCode);
      writeBody(enc);
      return session.send();
    },
    isLoggedOn: () => session.isLoggedOn,
  };
}

// ---------------------------------------------------------------- requests

type Filled<T> = Omit<T, 'clOrdID' | 'transactTime'> & { readonly clOrdID?: string; readonly transactTime?: number };

export type PlaceRequest = Filled<NewOrderSingleRequest>;
export type MassCancelInput = Filled<OrderMassCancelRequest>;

/**
 * Cancel: name the order by orderID and/or origClOrdID (any ClOrdID it had); side and symbol default to the
 * OMS's copy, origClOrdID to the order's current ClOrdID.
 */
export type CancelInput = Partial<Filled<OrderCancelRequest>>;

/**
 * Amend (Spot): name the order as for cancel and give what changes; everything else (orderID, origClOrdID,
 * side, symbol, ordType, timeInForce, orderQty, price, stopPx) defaults to the OMS's copy of the order.
 */
export type AmendInput = Partial<Filled<OrderCancelReplaceRequest>>;

/** Status (Spot): orderID required by Kraken; symbol and side default from the OMS. */
export type StatusInput = Partial<Filled<OrderStatusRequest>> & { readonly orderID?: string; readonly origClOrdID?: string };

// ---------------------------------------------------------------- outcomes

export type ClientError =
  | { readonly code: 'VALIDATION'; readonly message: string; readonly validation: ValidationError }
  /** Over the venue's rate limit under the 'reject' policy; retryAtUs null = can never fit. */
  | { readonly code: 'RATE_LIMIT'; readonly message: string; readonly cost: number; readonly retryAtUs: number | null }
  /** Too many rejects lately: new risk is refused until resumeAtUs (cancels still go). */
  | { readonly code: 'ERROR_RATE'; readonly message: string; readonly resumeAtUs: number | null }
  | { readonly code: 'TRACKING'; readonly message: string; readonly tracking: TrackError }
  | { readonly code: 'NOT_CONNECTED'; readonly message: string }
  | { readonly code: 'SEND_FAILED'; readonly message: string }
  | { readonly code: 'QUEUE_FULL'; readonly message: string };

export type SendOutcome =
  | { readonly status: 'sent'; readonly clOrdID: string; readonly msgSeqNum: number }
  /** Held by the client (rate limit, 'queue' policy); call pump() — it is sent at or after sendAtUs. */
  | { readonly status: 'queued'; readonly clOrdID: string; readonly sendAtUs: number }
  /** Nothing was sent and nothing charged. */
  | { readonly status: 'refused'; readonly clOrdID: string | null; readonly error: ClientError };

// ---------------------------------------------------------------- events

export type ClientEvent =
  /** An ExecutionReport, reject or cancel reject applied to the OMS. */
  | { readonly kind: 'order'; readonly oms: OmsEvent; readonly report: ExecutionReportDecoded | null }
  | { readonly kind: 'instruments'; readonly list: SecurityListDecoded; readonly added: number; readonly errors: readonly InstrumentError[] }
  | { readonly kind: 'trading-session'; readonly status: TradingSessionStatusDecoded; readonly state: TradingSessionState | null }
  /** A queued request was finally sent, or dropped (no longer valid when its turn came). */
  | { readonly kind: 'queued-sent'; readonly clOrdID: string; readonly msgSeqNum: number }
  | { readonly kind: 'queued-dropped'; readonly clOrdID: string; readonly error: ClientError }
  | { readonly kind: 'decode-error'; readonly msgType: number; readonly error: DecodeError }
  /** A message type this client does not handle (market data belongs to the book layer). */
  | { readonly kind: 'ignored'; readonly msgType: number };
