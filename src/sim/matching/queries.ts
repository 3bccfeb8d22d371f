/**
 * Read-only inspection of engine state (cold paths: status pages, snapshots, tests): OrderID mapping,
 * order ownership for cancel scopes, balances, positions, book depth and queues.
 */
import { OrdType, type Side } from './constants.js';
import { Matcher } from './match.js';
import { OrderFlag, OrderState, STATUS_OF, isOpenState } from './orders.js';

export class EngineQueries extends Matcher {
  orderIdOf(key: number): string {
    return this.ids.encode(key);
  }

  /** Key for an OrderID string (-1 if not ours); the order may since have closed (see isOpen). */
  keyOfOrderId(orderId: string): number {
    return this.ids.decode(orderId);
  }

  isOpen(key: number): boolean {
    return this.orders.resolve(key) >= 0;
  }

  accountOf(key: number): number {
    const s = this.orders.resolve(key);
    return s < 0 ? -1 : this.orders.account[s];
  }

  sessionOf(key: number): number {
    const s = this.orders.resolve(key);
    return s < 0 ? -1 : this.orders.session[s];
  }

  instrumentOf(key: number): number {
    const s = this.orders.resolve(key);
    return s < 0 ? -1 : this.orders.instrument[s];
  }

  tagOf(key: number): number {
    const s = this.orders.resolve(key);
    return s < 0 ? NaN : this.orders.tag[s];
  }

  balance(account: number, asset: number): bigint {
    return this.ledger.total(account, asset);
  }

  reserved(account: number, asset: number): bigint {
    return this.ledger.reserved(account, asset);
  }

  available(account: number, asset: number): bigint {
    return this.ledger.total(account, asset) - this.ledger.reserved(account, asset);
  }

  position(account: number, instrument: number): number {
    return this.ledger.position(account, instrument);
  }

  bestBid(instrument: number): number {
    const l = this.books[instrument].bids.best();
    return l < 0 ? -1 : this.levels.price[l];
  }

  bestAsk(instrument: number): number {
    const l = this.books[instrument].asks.best();
    return l < 0 ? -1 : this.levels.price[l];
  }

  /** Levels best first: shown qty (L2), total leaves incl. hidden, order count. */
  depth(instrument: number, side: Side): { price: number; qty: number; total: number; count: number }[] {
    const sb = this.books[instrument].sideOf(side);
    const out = [];
    for (let i = sb.n - 1; i >= 0; i--) {
      const l = sb.levels[i];
      out.push({ price: this.levels.price[l], qty: this.levels.vis[l], total: this.levels.tot[l], count: this.levels.count[l] });
    }
    return out;
  }

  /** Keys of the orders at one price level in queue order (L3 snapshot, tests). */
  queue(instrument: number, side: Side, price: number): number[] {
    const sb = this.books[instrument].sideOf(side);
    const idx = sb.find(price);
    const out: number[] = [];
    if (idx < 0) return out;
    for (let s = this.levels.head[sb.levels[idx]]; s !== -1; s = this.orders.next[s]) out.push(this.orders.keyOf(s));
    return out;
  }

  /** Snapshot of one open order (tests, status pages). */
  orderView(key: number) {
    const o = this.orders;
    const s = o.resolve(key);
    if (s < 0) return undefined;
    return {
      key,
      orderId: this.ids.encode(key),
      state: o.state[s] as OrderState,
      ordStatus: STATUS_OF[o.state[s]],
      ordType: o.ordType[s] as OrdType,
      side: o.side[s] as Side,
      price: o.price[s],
      stopPx: o.stopPx[s],
      qty: o.qty[s],
      cum: o.cum[s],
      leaves: o.qty[s] - o.cum[s],
      display: o.display[s],
      visible: o.visible[s],
      inBook: (o.flags[s] & OrderFlag.InBook) !== 0,
      trailingTrigger: o.ordType[s] >= OrdType.TrailingStop ? this.trailingTrigger(s) : -1,
      account: o.account[s],
      session: o.session[s],
      tag: o.tag[s],
    };
  }

  /** Open order keys matching the predicates (-1 = any). */
  openOrders(account = -1, session = -1, instrument = -1): number[] {
    const o = this.orders;
    const out: number[] = [];
    for (let s = 0; s < o.highWater; s++) {
      if (!isOpenState(o.state[s] as OrderState)) continue;
      if (account >= 0 && o.account[s] !== account) continue;
      if (session >= 0 && o.session[s] !== session) continue;
      if (instrument >= 0 && o.instrument[s] !== instrument) continue;
      out.push(o.keyOf(s));
    }
    return out;
  }
}
