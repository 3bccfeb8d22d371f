// Inbound half of KrakenClient: one decoded message -> OMS / instrument table / market state -> one event.
// Kept apart from client.ts so each file reads in one sitting; stateless apart from what it is handed.

import type { MessageView } from '../../codec/index.js';
import type { InstrumentTable } from '../instruments.js';
import type { Oms } from '../oms.js';
import type { Venue } from '../types.js';
import type { ClientEvent } from './client-types.js';
import {
  decodeBusinessReject,
  decodeExecutionReport,
  decodeOrderCancelReject,
  decodeSecurityList,
  decodeSessionReject,
  decodeTradingSessionStatus,
} from './decode.js';
import { MSG_TYPE_CODE } from './encode.js';

export function handleInbound(view: MessageView, venue: Venue, oms: Oms, instruments: InstrumentTable): ClientEvent {
  const msgType = view.msgTypeCode;
  switch (msgType) {
    case MSG_TYPE_CODE.ExecutionReport: {
      const r = decodeExecutionReport(view);
      if (!r.ok) return { kind: 'decode-error', msgType, error: r.error };
      return { kind: 'order', oms: oms.onExecutionReport(r.value), report: r.value };
    }
    case MSG_TYPE_CODE.BusinessMessageReject: {
      const r = decodeBusinessReject(view);
      if (!r.ok) return { kind: 'decode-error', msgType, error: r.error };
      return { kind: 'order', oms: oms.onBusinessReject(r.value), report: null };
    }
    case MSG_TYPE_CODE.Reject: {
      const r = decodeSessionReject(view);
      if (!r.ok) return { kind: 'decode-error', msgType, error: r.error };
      return { kind: 'order', oms: oms.onSessionReject(r.value), report: null };
    }
    case MSG_TYPE_CODE.OrderCancelReject: {
      const r = decodeOrderCancelReject(view);
      if (!r.ok) return { kind: 'decode-error', msgType, error: r.error };
      return { kind: 'order', oms: oms.onOrderCancelReject(r.value), report: null };
    }
    case MSG_TYPE_CODE.SecurityList: {
      const r = decodeSecurityList(view, venue);
      if (!r.ok) return { kind: 'decode-error', msgType, error: r.error };
      // Replacing an entry also replaces its status: a list is the venue's current word on the instrument.
      for (const inst of r.value.instruments) instruments.add(inst);
      return { kind: 'instruments', list: r.value, added: r.value.instruments.length, errors: r.value.errors };
    }
    case MSG_TYPE_CODE.TradingSessionStatus: {
      const r = decodeTradingSessionStatus(view);
      if (!r.ok) return { kind: 'decode-error', msgType, error: r.error };
      // Only Spot has h (§4.9); a rejected request (567) carries no market state.
      if (venue === 'spot' && r.value.state !== null && r.value.rejectReason === undefined) instruments.spotSessionState = r.value.state;
      return { kind: 'trading-session', status: r.value, state: r.value.state };
    }
    default:
      return { kind: 'ignored', msgType };
  }
}
