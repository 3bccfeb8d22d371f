import { describe, expect, it } from 'vitest';
import { OrdType, Reason, Side, TimeInForce, TriggerRef } from '../../src/sim/matching/constants.js';
import { AmendRequest } from '../../src/sim/matching/requests.js';
import { execRows, makeFixture, type ExecRow } from '../../src/sim/matching/testkit.js';

function setup() {
  const fx = makeFixture(3);
  const e = fx.engine;
  /** A minimum-size trade at px between accounts 1 (seller) and 2 (buyer): moves the last price. */
  const print = (px: string) => {
    fx.submit({ account: 1, side: Side.Sell, price: px, qty: '0.01' });
    fx.submit({ account: 2, side: Side.Buy, price: px, qty: '0.01', tif: TimeInForce.IOC });
  };
  const rowsOf = (key: number): ExecRow[] => execRows(e).filter((r) => r.ref === key);
  const fmt = (r: ExecRow) => {
    let s = `${r.et}/${r.os} type=${r.type} cum=${r.cum} leaves=${r.leaves}`;
    if (r.et === 'F') s += ` ${r.lastQty}@${r.lastPx}`;
    if (r.text) s += ` "${r.text}"`;
    return s;
  };
  return { fx, e, print, rowsOf, fmt };
}

describe('stop-loss and take-profit on the last trade price', () => {
  it('stop-loss sell fires at or below the stop and becomes a market order', () => {
    const { fx, e, print, rowsOf, fmt } = setup();
    print('100');
    const stop = fx.submit({ account: 0, side: Side.Sell, type: OrdType.StopLoss, stopPx: '99', qty: '1' });
    fx.submit({ account: 2, side: Side.Buy, price: '98.5', qty: '1' });
    print('99.5');
    expect(rowsOf(stop).map(fmt)).toEqual(['0/0 type=3 cum=0.00000000 leaves=1.00000000']);
    print('99');
    expect(rowsOf(stop).map(fmt)).toEqual([
      'D/0 type=1 cum=0.00000000 leaves=1.00000000',
      'F/2 type=1 cum=1.00000000 leaves=0.00000000 1.00000000@98.5',
    ]);
    expect(e.bestBid(fx.spot.id)).toBe(-1);
  });

  it('reports the trigger after the trade that fired it, with the firing price', () => {
    const { fx, e, print } = setup();
    print('100');
    const stop = fx.submit({ account: 0, side: Side.Sell, type: OrdType.StopLoss, stopPx: '99', qty: '1' });
    e.exec.clear();
    print('99');
    const all = e.exec.toArray();
    const d = all.findIndex((x) => x.ref === stop);
    expect(all.slice(0, d).some((x) => x.lastPx === fx.p('99'))).toBe(true);
    expect(all[d].triggerPx).toBe(fx.p('99'));
  });

  it('stop-loss-limit buy fires at or above the stop and rests at its limit', () => {
    const { fx, e, print, rowsOf, fmt } = setup();
    print('100');
    const stop = fx.submit({ account: 0, side: Side.Buy, type: OrdType.StopLossLimit, stopPx: '101', price: '101.5', qty: '1' });
    expect(e.reserved(0, fx.usd)).toBe(101_500_000_000n);
    print('101');
    expect(rowsOf(stop).map(fmt)).toEqual(['0/0 type=4 cum=0.00000000 leaves=1.00000000', 'D/0 type=2 cum=0.00000000 leaves=1.00000000']);
    expect(e.bestBid(fx.spot.id)).toBe(fx.p('101.5'));
  });

  it('take-profit sell fires at or above the trigger; take-profit-limit buy at or below', () => {
    const { fx, e, print, rowsOf, fmt } = setup();
    print('100');
    const tp = fx.submit({ account: 0, side: Side.Sell, type: OrdType.TakeProfit, stopPx: '105', qty: '0.5' });
    const tpl = fx.submit({ account: 0, side: Side.Buy, type: OrdType.TakeProfitLimit, stopPx: '95', price: '95.5', qty: '0.5' });
    fx.submit({ account: 2, side: Side.Buy, price: '104', qty: '0.5' });
    print('104.9');
    print('105');
    const r1 = rowsOf(tp);
    expect(r1.map(fmt)).toEqual([
      '0/0 type=R cum=0.00000000 leaves=0.50000000',
      'D/0 type=1 cum=0.00000000 leaves=0.50000000',
      'F/2 type=1 cum=0.50000000 leaves=0.00000000 0.50000000@104.0',
    ]);
    print('95.1');
    expect(e.isOpen(tpl)).toBe(true);
    print('95');
    expect(rowsOf(tpl).map(fmt)).toEqual(['D/0 type=2 cum=0.00000000 leaves=0.50000000']);
    expect(e.bestBid(fx.spot.id)).toBe(fx.p('95.5'));
  });

  it('fires at placement when the last price already satisfies the trigger', () => {
    const { fx, print, rowsOf, fmt } = setup();
    print('100');
    const stop = fx.submit({ account: 0, side: Side.Buy, type: OrdType.StopLoss, stopPx: '99', qty: '1' });
    expect(rowsOf(stop).map(fmt)).toEqual([
      '0/0 type=3 cum=0.00000000 leaves=1.00000000',
      'D/0 type=1 cum=0.00000000 leaves=1.00000000',
      '4/4 type=1 cum=0.00000000 leaves=0.00000000 "EOrder:Insufficient liquidity"',
    ]);
  });

  it('cascades: one stop’s fills fire the next', () => {
    const { fx, e, print } = setup();
    print('100');
    const s1 = fx.submit({ account: 0, side: Side.Sell, type: OrdType.StopLoss, stopPx: '99', qty: '0.5' });
    const s2 = fx.submit({ account: 0, side: Side.Sell, type: OrdType.StopLoss, stopPx: '98', qty: '0.5' });
    fx.submit({ account: 2, side: Side.Buy, price: '98', qty: '0.5' });
    fx.submit({ account: 2, side: Side.Buy, price: '97', qty: '1' });
    e.exec.clear();
    print('99');
    const fills = e.exec.toArray().filter((x) => x.execType === 0x46 && (x.ref === s1 || x.ref === s2));
    expect(fills.map((x) => [x.ref === s1 ? 's1' : 's2', fx.spot.formatPrice(x.lastPx)])).toEqual([
      ['s1', '98.0'],
      ['s2', '97.0'],
    ]);
    expect(fx.spot.lastPx).toBe(fx.p('97'));
  });

  it('a buy stop without a limit checks funds when it fills', () => {
    const { fx, e, print, rowsOf, fmt } = setup();
    const poor = e.addAccount();
    e.deposit(poor, fx.usd, '51');
    print('100');
    const stop = fx.submit({ account: poor, side: Side.Buy, type: OrdType.StopLoss, stopPx: '101', qty: '1' });
    fx.submit({ account: 1, side: Side.Sell, price: '102', qty: '1' });
    print('101');
    expect(rowsOf(stop).map(fmt)).toEqual([
      '0/0 type=3 cum=0.00000000 leaves=1.00000000',
      'D/0 type=1 cum=0.00000000 leaves=1.00000000',
      'F/1 type=1 cum=0.50000000 leaves=0.50000000 0.50000000@102.0',
      '4/4 type=1 cum=0.50000000 leaves=0.00000000 "EOrder:Insufficient funds"',
    ]);
    expect(e.balance(poor, fx.usd)).toBe(0n);
  });

  it('untriggered orders can be cancelled and amended; the trigger price is re-checked', () => {
    const { fx, e, print, rowsOf, fmt } = setup();
    print('100');
    const stop = fx.submit({ account: 0, side: Side.Sell, type: OrdType.StopLoss, stopPx: '90', qty: '1' });
    expect(e.reserved(0, fx.btc)).toBe(100_000_000n);
    const am = new AmendRequest();
    am.stopPx = fx.p('100');
    expect(e.amend(stop, am)).toBe(Reason.None);
    expect(rowsOf(stop).map(fmt)).toEqual([
      '0/0 type=3 cum=0.00000000 leaves=1.00000000',
      '5/5 type=3 cum=0.00000000 leaves=1.00000000',
      'D/0 type=1 cum=0.00000000 leaves=1.00000000',
      '4/4 type=1 cum=0.00000000 leaves=0.00000000 "EOrder:Insufficient liquidity"',
    ]);
    const s2 = fx.submit({ account: 0, side: Side.Sell, type: OrdType.StopLoss, stopPx: '90', qty: '1' });
    expect(e.cancel(s2)).toBe(Reason.None);
    expect(e.reserved(0, fx.btc)).toBe(0n);
    e.exec.clear();
    print('89');
    expect(e.exec.toArray().some((x) => x.ref === s2)).toBe(false);
  });

  it('rejects index-price triggers (not simulated)', () => {
    const { fx, e } = setup();
    const r = fx.order({ side: Side.Sell, type: OrdType.StopLoss, stopPx: '90', qty: '1' });
    r.triggerRef = TriggerRef.IndexPrice;
    expect(e.submit(r)).toBe(Reason.IndexUnavailable);
  });
});

describe('trailing stops', () => {
  it('a trailing-stop sell trigger follows the high by the offset and fires on the way down', () => {
    const { fx, e, print, rowsOf, fmt } = setup();
    print('100');
    const ts = fx.submit({ account: 0, side: Side.Sell, type: OrdType.TrailingStop, stopPx: '1.0', qty: '1' });
    expect(e.orderView(ts)?.trailingTrigger).toBe(fx.p('99'));
    print('102');
    expect(e.orderView(ts)?.trailingTrigger).toBe(fx.p('101'));
    print('101.5');
    expect(e.orderView(ts)?.trailingTrigger).toBe(fx.p('101'));
    fx.submit({ account: 2, side: Side.Buy, price: '95', qty: '1' });
    execRows(e);
    print('101');
    expect(rowsOf(ts).map(fmt)).toEqual([
      'D/0 type=1 cum=0.00000000 leaves=1.00000000',
      'F/2 type=1 cum=1.00000000 leaves=0.00000000 1.00000000@95.0',
    ]);
  });

  it('a trailing-stop-limit buy follows the low; its limit is the trigger plus the limit offset', () => {
    const { fx, e, print, rowsOf, fmt } = setup();
    print('100');
    const ts = fx.submit({ account: 0, side: Side.Buy, type: OrdType.TrailingStopLimit, stopPx: '1.0', price: '0.5', qty: '1' });
    expect(e.reserved(0, fx.usd)).toBe(0n); // limit unknown until it fires
    print('98');
    expect(e.orderView(ts)?.trailingTrigger).toBe(fx.p('99'));
    fx.submit({ account: 1, side: Side.Sell, price: '99.4', qty: '0.4' });
    execRows(e);
    print('99');
    expect(rowsOf(ts).map(fmt)).toEqual([
      'D/0 type=2 cum=0.00000000 leaves=1.00000000',
      'F/1 type=2 cum=0.40000000 leaves=0.60000000 0.40000000@99.4',
    ]);
    const v = e.orderView(ts)!;
    expect([v.price, v.inBook]).toEqual([fx.p('99.5'), true]);
    expect(e.reserved(0, fx.usd)).toBe(59_700_000_000n); // 0.6 * 99.5
  });
});
