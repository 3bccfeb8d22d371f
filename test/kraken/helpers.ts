import { CombClOrdIdGenerator, InstrumentTable, type NewOrderSingleRequest, type ValidationContext, type Venue } from '../../src/kraken/index.js';

export const NOW_MS = Date.UTC(2025, 2, 3, 14, 9, 32, 902);

export function makeTable(): InstrumentTable {
  const t = new InstrumentTable();
  const r1 = t.define({
    symbol: 'BTC/USD', venue: 'spot', tickSize: '0.1', priceDecimals: 1, qtyIncrement: '0.00000001', qtyDecimals: 8,
    qtyMin: '0.0001', qtyMax: '1000', minCost: '0.5',
  });
  const r2 = t.define({
    symbol: 'ETH/USD', venue: 'spot', tickSize: '0.01', priceDecimals: 2, qtyIncrement: '0.001', qtyDecimals: 3, qtyMin: '0.002', minCost: '5',
  });
  const r3 = t.define({
    symbol: 'PF_ETHUSD', venue: 'derivatives', tickSize: '0.5', priceDecimals: 1, qtyIncrement: '0.01', qtyDecimals: 2, qtyMin: '0.01',
  });
  if (!r1.ok || !r2.ok || !r3.ok) throw new Error('bad test instruments');
  return t;
}

export function ctx(venue: Venue = 'spot', used: Set<string> = new Set(), table = makeTable()): ValidationContext {
  return { instruments: table, venue, nowMs: NOW_MS, isClOrdIdInUse: (id) => used.has(id) };
}

let spotSeq = 1_741_010_972_902_000;
export function spotId(): string {
  return String(spotSeq++);
}

const comb = new CombClOrdIdGenerator({ nowUs: () => NOW_MS * 1000 });
export function drvId(): string {
  return comb.next();
}

export function spotLimit(over: Partial<NewOrderSingleRequest> = {}): NewOrderSingleRequest {
  return {
    clOrdID: spotId(), symbol: 'BTC/USD', side: 'buy', ordType: 'limit', orderQty: '0.01', price: '84000.5',
    timeInForce: 'GTC', transactTime: NOW_MS, ...over,
  };
}

export function drvLimit(over: Partial<NewOrderSingleRequest> = {}): NewOrderSingleRequest {
  return {
    clOrdID: drvId(), symbol: 'PF_ETHUSD', side: 'sell', ordType: 'limit', orderQty: '1.5', price: '2000.5',
    timeInForce: 'GTC', transactTime: NOW_MS, ...over,
  };
}
