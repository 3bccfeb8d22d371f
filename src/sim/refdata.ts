/**
 * Reference data answers (spec §4.8, §4.9): SecurityListRequest x -> SecurityList y with each
 * instrument's precisions and status (55, 167, 562, 2349, 5010, 5011, 5012, 5013, 5022, 5032), and
 * Spot's TradingSessionStatusRequest g -> TradingSessionStatus h (340 online unless configured).
 */
import type { MessageView } from '../codec/index.js';
import type { Venue } from '../kraken/types.js';
import type { FixSession } from '../session/index.js';
import type { Exchange, InstrumentRt } from './exchange.js';
import { MT, SRR, firstMissing, invalidText, missingText, sendSessionReject } from './wire.js';

export class RefData {
  private responseId = 0;
  /** 340 TradSesStatus reported for Spot: 2 online (101 cancel_only, 102 post_only, 1 maintenance). */
  tradSesStatus = 2;

  constructor(
    private readonly exchange: Exchange,
    private readonly onError: (session: FixSession) => void,
  ) {}

  securityList(s: FixSession, view: MessageView, venue: Venue): void {
    const missing = firstMissing(view, [320, 559]);
    if (missing !== 0) {
      sendSessionReject(s, view, SRR.RequiredTagMissing, missing, missingText(missing));
      this.onError(s);
      return;
    }
    const type = view.getInt(559);
    let list: InstrumentRt[] = this.exchange.instrumentsOf(venue);
    if (type === 0) {
      const symbol = view.getString(55);
      if (symbol === undefined) {
        sendSessionReject(s, view, SRR.RequiredTagMissing, 55, missingText(55));
        this.onError(s);
        return;
      }
      list = list.filter((r) => r.spec.symbol === symbol);
    } else if (type === 1) {
      const secType = view.getString(167);
      list = list.filter((r) => securityType(r) === secType);
    } else if (type !== 4) {
      sendSessionReject(s, view, SRR.ValueIncorrect, 559, invalidText(559));
      this.onError(s);
      return;
    }
    const enc = s.beginMessage(MT.SecurityList);
    const i = view.indexOf(320);
    enc.bytes(320, view.buffer, view.offsets[i]!, view.lengths[i]!);
    enc.str(322, `SL${++this.responseId}`);
    enc.int(560, list.length === 0 ? 2 : 0);
    enc.int(146, list.length);
    for (const r of list) {
      const sp = r.spec;
      enc.str(55, sp.symbol);
      enc.str(167, securityType(r));
      enc.str(562, sp.lotSize);
      enc.int(2349, sp.priceDecimals);
      enc.int(5010, sp.qtyDecimals);
      enc.str(5011, sp.minQty);
      enc.str(5012, sp.maxQty);
      enc.str(5013, sp.minCost);
      enc.str(5022, sp.tickSize);
      enc.int(5032, r.inst.status);
    }
    s.send();
  }

  tradingSessionStatus(s: FixSession, view: MessageView): void {
    const missing = firstMissing(view, [335, 336, 263]);
    if (missing !== 0) {
      sendSessionReject(s, view, SRR.RequiredTagMissing, missing, missingText(missing));
      this.onError(s);
      return;
    }
    const sub = view.getInt(263);
    const enc = s.beginMessage(MT.TradingSessionStatus);
    for (const tag of [335, 336]) {
      const i = view.indexOf(tag);
      enc.bytes(tag, view.buffer, view.offsets[i]!, view.lengths[i]!);
    }
    if (sub !== 0 && sub !== 1) {
      enc.int(340, 0);
      enc.int(567, 101);
    } else {
      enc.int(340, this.tradSesStatus);
    }
    s.send();
  }
}

function securityType(r: InstrumentRt): string {
  return r.venue === 'spot' ? 'CASH' : 'FUT';
}
