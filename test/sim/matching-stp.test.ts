import { describe, expect, it } from 'vitest';
import { OrdType, Reason, Side, StpMode, TimeInForce } from '../../src/sim/matching/constants.js';
import { execRows, makeFixture } from '../../src/sim/matching/testkit.js';

function setup() {
  const fx = makeFixture(3);
  const e = fx.engine;
  const lines = () =>
    execRows(e).map((r) => {
      let s = `${r.ref === own ? 'own' : r.ref === other ? 'other' : 'in'} ${r.et}/${r.os} cum=${r.cum} leaves=${r.leaves}`;
      if (r.text) s += ` "${r.text}"`;
      return s;
    });
  let own = -1;
  let other = -1;
  const mark = (o: number, x = -1) => {
    own = o;
    other = x;
  };
  return { fx, e, lines, mark };
}

describe('self-trade prevention (7928)', () => {
  it('1 (default): cancels the arriving order, the resting one stays', () => {
    const { fx, e, lines, mark } = setup();
    mark(fx.submit({ account: 0, session: 1, side: Side.Sell, price: '100', qty: '1' }));
    lines();
    fx.submit({ account: 0, session: 2, side: Side.Buy, price: '100', qty: '1' });
    expect(lines()).toEqual([
      'in 0/0 cum=0.00000000 leaves=1.00000000',
      'in 4/4 cum=0.00000000 leaves=0.00000000 "EOrder:Self trade prevention"',
    ]);
    expect(e.bestAsk(fx.spot.id)).toBe(1000);
  });

  it('0: cancels both', () => {
    const { fx, e, lines, mark } = setup();
    mark(fx.submit({ account: 0, side: Side.Sell, price: '100', qty: '1' }));
    lines();
    fx.submit({ account: 0, side: Side.Buy, price: '100', qty: '1', stp: StpMode.CancelBoth });
    expect(lines()).toEqual([
      'in 0/0 cum=0.00000000 leaves=1.00000000',
      'own 4/4 cum=0.00000000 leaves=0.00000000 "EOrder:Self trade prevention"',
      'in 4/4 cum=0.00000000 leaves=0.00000000 "EOrder:Self trade prevention"',
    ]);
    expect(e.bestAsk(fx.spot.id)).toBe(-1);
    expect(e.reserved(0, fx.btc)).toBe(0n);
  });

  it('2: cancels the resting order and keeps matching', () => {
    const { fx, e, lines, mark } = setup();
    const o = fx.submit({ account: 0, side: Side.Sell, price: '100', qty: '1' });
    const x = fx.submit({ account: 1, side: Side.Sell, price: '100.1', qty: '1' });
    mark(o, x);
    lines();
    fx.submit({ account: 0, side: Side.Buy, price: '100.1', qty: '2', stp: StpMode.CancelOldest });
    expect(lines()).toEqual([
      'in 0/0 cum=0.00000000 leaves=2.00000000',
      'own 4/4 cum=0.00000000 leaves=0.00000000 "EOrder:Self trade prevention"',
      'in F/1 cum=1.00000000 leaves=1.00000000',
      'other F/2 cum=1.00000000 leaves=0.00000000',
    ]);
    expect(e.bestBid(fx.spot.id)).toBe(1001);
  });

  it('trades with other accounts ahead in the queue before meeting its own order', () => {
    const { fx, lines, mark } = setup();
    const x = fx.submit({ account: 1, side: Side.Sell, price: '100', qty: '0.5' });
    const o = fx.submit({ account: 0, side: Side.Sell, price: '100', qty: '1' });
    mark(o, x);
    lines();
    fx.submit({ account: 0, side: Side.Buy, price: '100', qty: '1', tif: TimeInForce.GTC });
    expect(lines()).toEqual([
      'in 0/0 cum=0.00000000 leaves=1.00000000',
      'in F/1 cum=0.50000000 leaves=0.50000000',
      'other F/2 cum=0.50000000 leaves=0.00000000',
      'in 4/4 cum=0.50000000 leaves=0.00000000 "EOrder:Self trade prevention"',
    ]);
  });

  it('applies to market orders too', () => {
    const { fx, lines, mark } = setup();
    mark(fx.submit({ account: 0, side: Side.Buy, price: '100', qty: '1' }));
    lines();
    fx.submit({ account: 0, side: Side.Sell, type: OrdType.Market, qty: '1', stp: StpMode.CancelOldest });
    expect(lines()).toEqual([
      'in 0/0 cum=0.00000000 leaves=1.00000000',
      'own 4/4 cum=0.00000000 leaves=0.00000000 "EOrder:Self trade prevention"',
      'in 4/4 cum=0.00000000 leaves=0.00000000 "EOrder:Insufficient liquidity"',
    ]);
  });
});

describe('derivatives: positions and reduce-only', () => {
  function perp() {
    const s = setup();
    const lots = (q: string) => s.fx.perp.qtyToLots(q);
    return { ...s, lots, P: s.fx.perp.id };
  }

  it('fills move positions, not balances', () => {
    const { fx, e, lots, P } = perp();
    fx.submit({ instrument: P, account: 0, side: Side.Sell, price: '100', qty: '2' });
    fx.submit({ instrument: P, account: 1, side: Side.Buy, price: '100', qty: '1.5' });
    expect(e.position(0, P)).toBe(-lots('1.5'));
    expect(e.position(1, P)).toBe(lots('1.5'));
    expect(e.balance(0, fx.usd)).toBe(1_000_000n * 10n ** 9n);
  });

  it('reduce-only is refused when it cannot reduce, capped at the position when it trades', () => {
    const { fx, e, lines, mark, lots, P } = perp();
    e.setPosition(0, P, lots('2'));
    expect(e.submit(fx.order({ instrument: P, account: 0, side: Side.Buy, price: '100', qty: '1', reduceOnly: true }))).toBe(
      Reason.ReduceOnlyNoPosition,
    );
    expect(e.submit(fx.order({ instrument: P, account: 2, side: Side.Sell, price: '100', qty: '1', reduceOnly: true }))).toBe(
      Reason.ReduceOnlyNoPosition,
    );
    mark(fx.submit({ instrument: P, account: 0, side: Side.Sell, price: '100', qty: '3', reduceOnly: true }));
    lines();
    fx.submit({ instrument: P, account: 1, side: Side.Buy, price: '100', qty: '3' });
    expect(lines()).toEqual([
      'in 0/0 cum=0.0000 leaves=3.0000',
      'in F/1 cum=2.0000 leaves=1.0000',
      'own F/1 cum=2.0000 leaves=1.0000',
      'own 4/4 cum=2.0000 leaves=0.0000 "EOrder:Reduce only:Position is closed"',
    ]);
    expect(e.position(0, P)).toBe(0);
    expect(e.position(1, P)).toBe(lots('2'));
    expect(e.bestBid(P)).toBe(fx.perp.priceToTicks('100'));
  });

  it('an arriving reduce-only order stops when the position is flat', () => {
    const { fx, e, lines, lots, P } = perp();
    e.setPosition(0, P, -lots('1'));
    fx.submit({ instrument: P, account: 1, side: Side.Sell, price: '100', qty: '5' });
    lines();
    fx.submit({ instrument: P, account: 0, side: Side.Buy, price: '100', qty: '2', reduceOnly: true });
    expect(lines()).toEqual([
      'in 0/0 cum=0.0000 leaves=2.0000',
      'in F/1 cum=1.0000 leaves=1.0000',
      'in F/1 cum=1.0000 leaves=4.0000',
      'in 4/4 cum=1.0000 leaves=0.0000 "EOrder:Reduce only:Position is closed"',
    ]);
    expect(e.position(0, P)).toBe(0);
  });

  it('caps position size and refuses spot-only features', () => {
    const { fx, e, P } = perp();
    expect(e.submit(fx.order({ instrument: P, side: Side.Buy, price: '100', qty: '1000' }))).toBe(Reason.None);
    expect(e.submit(fx.order({ instrument: P, side: Side.Buy, price: '100', qty: '0.5' }))).toBe(Reason.PositionSizeExceeded);
    expect(e.submit(fx.order({ instrument: P, side: Side.Sell, price: '200', qty: '0.5' }))).toBe(Reason.None);
    expect(e.submit(fx.order({ instrument: P, price: '100', qty: '1', tif: TimeInForce.GTD, expireTime: e.now + 1e6 }))).toBe(Reason.InvalidArguments);
    expect(e.submit(fx.order({ instrument: P, price: '100', qty: '1.5', display: '0.5' }))).toBe(Reason.InvalidArguments);
    expect(e.submit(fx.order({ qty: '1', price: '100', reduceOnly: true }))).toBe(Reason.InvalidArguments);
  });
});
