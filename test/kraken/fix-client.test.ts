// KrakenClient over a fake FixSender: local validation sends nothing, rate limits refuse or queue, the OMS
// tracks what was sent (and MsgSeqNums for session rejects), defaults come from the OMS's copy of the order,
// inbound messages become typed events, and failures are typed errors, never exceptions.

import { describe, expect, it } from 'vitest';
import { FixEncoder, FixFramer, getDictionary, type MessageView } from '../../src/codec/index.js';
import { DerivativesRateLimiter, ErrorRateGuard, OrderState, SpotRateLimiter } from '../../src/kraken/index.js';
import { type BodyWriter, type ClientEvent, type FixSender, KrakenClient, type KrakenClientOptions, senderFromSession } from '../../src/kraken/fix/index.js';
import { NOW_MS, makeTable } from './helpers.js';

class FakeSender implements FixSender {
  readonly enc = new FixEncoder({ senderCompID: 'CLIENT', targetCompID: 'KRAKEN-TRD' });
  readonly sent: string[] = [];
  seq = 1;
  loggedOn = true;
  throwNext = false;
  send(msgTypeCode: number, writeBody: BodyWriter): number {
    if (this.throwNext) throw new Error('socket gone');
    this.enc.begin(msgTypeCode, this.seq, NOW_MS * 1000);
    writeBody(this.enc);
    this.enc.finish();
    this.sent.push(Buffer.from(this.enc.message()).toString('latin1').replace(/\x01/g, '|'));
    return this.seq++;
  }
  isLoggedOn(): boolean {
    return this.loggedOn;
  }
  last(): string {
    return this.sent[this.sent.length - 1] ?? '';
  }
}

function wire(body: string, seq = 5): Buffer {
  const b = `${body.split('|')[0]}|49=KRAKEN-TRD|56=CLIENT|34=${seq}|52=20250303-14:09:33.000|${body.slice(body.indexOf('|') + 1)}|`.replace(/\|/g, '\x01');
  const head = `8=FIX.4.4\x019=${b.length}\x01`;
  let sum = 0;
  for (const c of Buffer.from(head + b, 'latin1')) sum += c;
  return Buffer.from(`${head}${b}10=${String(sum % 256).padStart(3, '0')}\x01`, 'latin1');
}

function feed(client: KrakenClient, body: string): ClientEvent {
  const framer = new FixFramer(getDictionary({ kraken: true }));
  let ev: ClientEvent | null = null;
  framer.push(wire(body), { onMessage: (v: MessageView) => void (ev = client.onMessage(v)), onError: (e) => { throw new Error(e.detail); } });
  if (ev === null) throw new Error('no message');
  return ev;
}

interface Rig { client: KrakenClient; sender: FakeSender; events: ClientEvent[]; clock: { ms: number; us: number } }
function rig(over: Partial<KrakenClientOptions> = {}): Rig {
  const sender = new FakeSender();
  const events: ClientEvent[] = [];
  const clock = { ms: NOW_MS, us: 5_000_000 };
  const client = new KrakenClient({
    venue: 'spot', sender, instruments: makeTable(), nowMs: () => clock.ms, nowUs: () => clock.us, onEvent: (e) => events.push(e), ...over,
  });
  return { client, sender, events, clock };
}

const OID = 'OKWUQF-YPJM2-DTAJHH';
const limit = { symbol: 'BTC/USD', side: 'buy', ordType: 'limit', orderQty: '0.01', price: '84000.5', timeInForce: 'GTC' } as const;
const T = '20250303-14:09:32.902';

function sentId(r: ReturnType<KrakenClient['place']>): string {
  if (r.status !== 'sent') throw new Error(`not sent: ${JSON.stringify(r)}`);
  return r.clOrdID;
}

describe('outbound pipeline', () => {
  it('place: fills ClOrdID and TransactTime, sends, tracks, returns the MsgSeqNum', () => {
    const { client, sender } = rig();
    const r = client.place(limit);
    expect(r.status).toBe('sent');
    const id = sentId(r);
    expect(r.status === 'sent' && r.msgSeqNum).toBe(1);
    expect(sender.last()).toContain(`|11=${id}|40=2|44=84000.5|38=0.01|54=1|55=BTC/USD|59=1|60=${T}|10=`);
    expect(client.oms.order(id)?.state).toBe(OrderState.Sent);
  });

  it('a validation error sends nothing and tracks nothing', () => {
    const { client, sender } = rig();
    const r = client.place({ ...limit, price: '84000.55', clOrdID: '77' });
    expect(r.status === 'refused' ? [r.error.code, r.error.code === 'VALIDATION' && r.error.validation.code] : null).toEqual(['VALIDATION', 'PRICE_NOT_ON_TICK']);
    expect(sender.sent).toHaveLength(0);
    expect(client.oms.isClOrdIdInUse('77')).toBe(false);
  });

  it('cancel / amend / status take what they omit from the OMS copy of the order', () => {
    const { client, sender } = rig();
    const id = sentId(client.place(limit));
    const ack = feed(client, `35=8|37=${OID}|11=${id}|17=E1|150=0|39=0|54=1|55=BTC/USD|38=0.01|151=0.01|14=0|6=0`);
    expect(ack.kind === 'order' && ack.oms.kind).toBe('execution');

    const a = client.amend({ origClOrdID: id, price: '84100' });
    const amendId = sentId(a);
    expect(sender.last()).toContain(`|11=${amendId}|37=${OID}|41=${id}|54=1|55=BTC/USD|60=${T}|38=0.01|40=2|59=1|44=84100|10=`);

    const s = client.status({ orderID: OID });
    expect(sender.last()).toContain(`|11=${sentId(s)}|37=${OID}|55=BTC/USD|54=1|10=`);

    const c = client.cancel({ orderID: OID });
    const cancelId = sentId(c);
    // The amend is still pending, so OrigClOrdID is the last acknowledged ClOrdID.
    expect(sender.last()).toContain(`|11=${cancelId}|37=${OID}|41=${id}|54=1|55=BTC/USD|60=${T}|10=`);
    const done = feed(client, `35=8|37=${OID}|11=${cancelId}|41=${id}|17=E2|150=4|39=4|54=1|55=BTC/USD|151=0|14=0|6=0`);
    expect(done.kind === 'order' && done.oms.kind === 'execution' ? done.oms.order.state : null).toBe(OrderState.Canceled);
  });

  it('amend refuses to change what Kraken cannot amend', () => {
    const { client } = rig();
    const id = sentId(client.place(limit));
    feed(client, `35=8|37=${OID}|11=${id}|17=E1|150=0|39=0|54=1|55=BTC/USD|151=0.01|14=0|6=0`);
    const r = client.amend({ origClOrdID: id, timeInForce: 'IOC' });
    expect(r.status === 'refused' && r.error.code === 'VALIDATION' ? r.error.validation.code : null).toBe('NOT_AMENDABLE');
  });

  it('a session Reject 3 finds the order through the MsgSeqNum the sender returned', () => {
    const { client, sender } = rig();
    sender.seq = 41;
    const id = sentId(client.place(limit));
    const ev = feed(client, '35=3|45=41|371=54|372=D|373=5|58=Value is incorrect (out of range) for this tag');
    expect(ev.kind === 'order' ? ev.oms.kind : null).toBe('order-rejected');
    expect(client.oms.order(id)?.state).toBe(OrderState.Rejected);
  });

  it('not logged on: refused before anything is tracked', () => {
    const { client, sender } = rig();
    sender.loggedOn = false;
    const r = client.place({ ...limit, clOrdID: '1234' });
    expect(r.status === 'refused' ? r.error.code : null).toBe('NOT_CONNECTED');
    expect(client.oms.isClOrdIdInUse('1234')).toBe(false);
  });

  it('a sender that throws: typed SEND_FAILED, and the tracked order is closed, not left waiting', () => {
    const { client, sender } = rig();
    sender.throwNext = true;
    const r = client.place({ ...limit, clOrdID: '1235' });
    expect(r.status === 'refused' ? [r.error.code, r.error.message] : null).toEqual(['SEND_FAILED', 'socket gone']);
    expect(client.oms.order('1235')?.state).toBe(OrderState.Rejected);
  });

  it('typed and plan encodings give identical bytes', () => {
    const a = rig();
    const b = rig({ encoding: 'plan' });
    const req = { ...limit, clOrdID: '900', displayQty: undefined, postOnly: true, selfTradePrevention: 'cancel-oldest', validUntilTime: NOW_MS + 5000, allocAccount: 'sub' } as const;
    a.client.place(req);
    b.client.place(req);
    a.client.massCancel({ scope: 'symbol', symbol: 'BTC/USD', clOrdID: '901' });
    b.client.massCancel({ scope: 'symbol', symbol: 'BTC/USD', clOrdID: '901' });
    expect(a.sender.sent).toHaveLength(2);
    expect(a.sender.sent).toEqual(b.sender.sent);
  });
});

describe('rate limits and the error-rate guard', () => {
  const tight = () => new SpotRateLimiter({ limits: { threshold: 2, decayPerSec: 1 } });

  it("'reject' policy: over the Spot pair limit is refused locally with a retry time", () => {
    const { client, sender, clock } = rig({ spotRateLimiter: tight() });
    expect(client.place(limit).status).toBe('sent');
    expect(client.place(limit).status).toBe('sent');
    const r = client.place(limit);
    expect(r.status === 'refused' && r.error.code === 'RATE_LIMIT' ? r.error.retryAtUs : null).toBe(clock.us + 1_000_000);
    expect(sender.sent).toHaveLength(2);
    // Another pair has its own counter.
    expect(client.place({ ...limit, symbol: 'ETH/USD', price: '2000', orderQty: '0.01' }).status).toBe('sent');
  });

  it("'queue' policy: held, then sent by pump() once the counter has decayed", () => {
    const { client, sender, clock, events } = rig({ spotRateLimiter: tight(), rateLimitPolicy: 'queue' });
    client.place(limit);
    client.place(limit);
    const q = client.place(limit);
    expect(q.status).toBe('queued');
    expect(client.queued).toBe(1);
    expect(client.pump()).toBe(0);
    clock.us += 1_000_000;
    clock.ms += 1000;
    expect(client.pump()).toBe(1);
    expect(sender.sent).toHaveLength(3);
    expect(q.status === 'queued' && sender.last()).toContain(`|11=${q.clOrdID}|`);
    expect(events.some((e) => e.kind === 'queued-sent' && e.clOrdID === q.clOrdID)).toBe(true);
  });

  it('Derivatives: COMB ClOrdIDs, 18=s, and the per-session bucket (order 10, mass cancel 25)', () => {
    const bucket = new DerivativesRateLimiter({ capacity: 45, refillPerSec: 0 });
    const { client, sender } = rig({ venue: 'derivatives', derivativesRateLimiter: bucket });
    const r = client.place({ symbol: 'PF_ETHUSD', side: 'sell', ordType: 'limit', orderQty: '1', price: '2000.5', timeInForce: 'GTC' });
    expect(sentId(r)).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-4/);
    expect(sender.last()).toContain('|18=s|');
    expect(client.massCancel({ scope: 'session' }).status).toBe('sent');
    expect(bucket.tokens(0)).toBe(10);
    const over = client.place({ symbol: 'PF_ETHUSD', side: 'sell', ordType: 'limit', orderQty: '1', price: '2000.5', timeInForce: 'GTC' });
    expect(over.status).toBe('sent');
    const none = client.place({ symbol: 'PF_ETHUSD', side: 'sell', ordType: 'limit', orderQty: '1', price: '2000.5', timeInForce: 'GTC' });
    expect(none.status === 'refused' ? none.error.code : null).toBe('RATE_LIMIT');
  });

  it('after too many rejects new risk is held back, cancels still go', () => {
    const { client } = rig({ errorRateGuard: new ErrorRateGuard({ limit: 2, throttleFraction: 0.5 }) });
    const id = sentId(client.place(limit));
    feed(client, `35=8|37=${OID}|11=${id}|17=E1|150=0|39=0|54=1|55=BTC/USD|151=0.01|14=0|6=0`);
    const rejected = sentId(client.place(limit));
    const j = feed(client, `35=j|45=2|372=D|379=${rejected}|380=0|58=EOrder:Insufficient funds`);
    expect(j.kind === 'order' ? j.oms.kind : null).toBe('order-rejected');
    const held = client.place(limit);
    expect(held.status === 'refused' ? held.error.code : null).toBe('ERROR_RATE');
    expect(client.cancel({ origClOrdID: id }).status).toBe('sent');
  });
});

describe('inbound reference data and reconciliation', () => {
  it('SecurityList y fills the instrument table; TradingSessionStatus h gates order entry', () => {
    const { client } = rig({ instruments: undefined });
    expect(client.place(limit).status).toBe('refused');
    const y = feed(client, '35=y|320=il-1|322=r-1|560=0|146=1|55=BTC/USD|562=0.00000001|5010=8|5011=0.0001|2349=1|5022=0.1|5032=1');
    expect(y.kind === 'instruments' ? y.added : null).toBe(1);
    expect(client.place(limit).status).toBe('sent');
    const h = feed(client, '35=h|335=ts|336=SESSION|340=101');
    expect(h.kind === 'trading-session' ? h.state : null).toBe('cancel_only');
    expect(client.instruments.spotSessionState).toBe('cancel_only');
    const r = client.place(limit);
    expect(r.status === 'refused' && r.error.code === 'VALIDATION' ? r.error.validation.code : null).toBe('MARKET_STATE');
  });

  it('undecodable and unhandled messages become events, not exceptions', () => {
    const { client } = rig();
    const bad = feed(client, `35=8|37=${OID}|150=0|39=0|54=1|151=1|14=0|6=0`);
    expect(bad.kind === 'decode-error' ? bad.error.tag : null).toBe(17);
    expect(feed(client, '35=W|262=1|55=BTC/USD|268=0').kind).toBe('ignored');
  });

  it('reconcile() asks the venue for the status of every acknowledged open order', () => {
    const { client, sender } = rig();
    const id = sentId(client.place(limit));
    client.place({ ...limit, clOrdID: '555' });
    feed(client, `35=8|37=${OID}|11=${id}|17=E1|150=0|39=0|54=1|55=BTC/USD|151=0.01|14=0|6=0`);
    const r = client.reconcile();
    expect([r.sent, r.failed, r.withoutOrderID.map((o) => o.clOrdID)]).toEqual([1, 0, ['555']]);
    expect(sender.last()).toMatch(new RegExp(`\\|35=H\\|.*\\|37=${OID}\\|55=BTC/USD\\|54=1\\|10=`));
  });

  it('senderFromSession adapts the session API (beginMessage/send)', () => {
    const enc = new FixEncoder({ senderCompID: 'A', targetCompID: 'B' });
    const session = {
      isLoggedOn: true,
      beginMessage: (code: number) => enc.begin(code, 9, NOW_MS * 1000),
      send: () => (enc.finish(), 9),
    };
    const client = new KrakenClient({ venue: 'spot', sender: senderFromSession(session), instruments: makeTable(), nowMs: () => NOW_MS });
    const r = client.place(limit);
    expect(r.status === 'sent' ? r.msgSeqNum : null).toBe(9);
    expect(Buffer.from(enc.message()).toString('latin1')).toContain('\x0135=D\x0134=9\x01');
  });
});
