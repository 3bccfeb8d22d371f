/**
 * OrderGate: Kraken's local order rules (src/kraken/validate.ts) on scaled integers, for the two places
 * an order is checked per message: the strategy's ctx.place / amend (before the command is queued) and
 * the hot path (again, because the queue is a trust boundary: a buggy strategy may write anything).
 *
 * The accept path is arithmetic on numbers only: no allocation, no strings, no BigInt. When a check
 * fails, the same request is rebuilt as src/kraken's typed request and run through
 * validateNewOrderSingle, so the reject the strategy sees is exactly the profile's ValidationError
 * (code, message, field). test/strategy/gate.test.ts checks that both agree on random orders.
 */
import {
  checkMarketState,
  defineInstrument,
  InstrumentTable,
  NEEDS_PRICE,
  NEEDS_STOP_PX,
  parseDecimal,
  validateNewOrderSingle,
  type Instrument,
  type InstrumentSpec,
  type NewOrderSingleRequest,
  type OrdTypeName,
  type Side,
  type TimeInForceName,
  type ValidationError,
} from '../kraken/index.js';
import { toScaled } from '../kraken/decimal.js';
import { OrderFlag } from '../ipc/index.js';
import { LocalRejectCode, localRejectName } from './protocol.js';

const ORD_TYPE_BY_CODE: Record<number, OrdTypeName> = {
  0x31: 'market', 0x32: 'limit', 0x33: 'stop-loss', 0x34: 'stop-loss-limit',
  0x52: 'take-profit', 0x54: 'take-profit-limit', 0x55: 'trailing-stop', 0x56: 'trailing-stop-limit',
};
const TIF_BY_CODE: Record<number, TimeInForceName> = { 0x31: 'GTC', 0x33: 'IOC', 0x34: 'FOK', 0x36: 'GTD' };
const SIDE_BY_CODE: Record<number, Side> = { 0x31: 'buy', 0x32: 'sell' };

/** Per-ordType-char lookups (index = char code) so the hot path never touches a Set of strings. */
const NEEDS_PRICE_BY_CODE = new Uint8Array(128);
const NEEDS_STOP_BY_CODE = new Uint8Array(128);
const KNOWN_ORD_TYPE = new Uint8Array(128);
for (const [code, name] of Object.entries(ORD_TYPE_BY_CODE)) {
  KNOWN_ORD_TYPE[Number(code)] = 1;
  if (NEEDS_PRICE.has(name)) NEEDS_PRICE_BY_CODE[Number(code)] = 1;
  if (NEEDS_STOP_PX.has(name)) NEEDS_STOP_BY_CODE[Number(code)] = 1;
}
const TIF_IOC = 0x33;
const TIF_FOK = 0x34;
const TIF_GTD = 0x36;
const ORD_STOP_LOSS = 0x33;
const ORD_TAKE_PROFIT = 0x52;
const GTD_MAX_AHEAD_MS = 31 * 24 * 3600 * 1000;

const POW10: number[] = [];
for (let i = 0, p = 1; i <= 22; i++, p *= 10) POW10.push(p);

/** Numeric view of one instrument; all units are integers at the instrument's decimals. */
export class GateInstrument {
  constructor(
    readonly id: number,
    readonly instrument: Instrument,
    readonly symbol: string,
    readonly symbolBytes: Uint8Array,
    readonly priceScale: number,
    readonly qtyScale: number,
    readonly tick: number,
    readonly lot: number,
    readonly qtyMin: number,
    /** 0 = no maximum. */
    readonly qtyMax: number,
    /** Minimum price x qty at scale priceScale + qtyScale; 0 = none. */
    readonly minCost: number,
  ) {}
}

/** Converts mantissa/scale to integer units at `target` decimals; NaN when not exact or unsafe. */
export function toUnits(mantissa: number, scale: number, target: number): number {
  if (scale === target) return mantissa;
  if (scale < target) {
    const v = mantissa * POW10[target - scale]!;
    return Number.isSafeInteger(v) ? v : NaN;
  }
  const d = POW10[scale - target]!;
  const v = mantissa / d;
  return Number.isInteger(v) ? v : NaN;
}

function units(text: string | undefined, scale: number): number {
  if (text === undefined) return 0;
  const d = parseDecimal(text);
  if (d === null) throw new RangeError(`not a decimal: ${text}`);
  const v = toScaled(d, scale);
  if (v === null) throw new RangeError(`${text} has more than ${scale} decimals`);
  const n = Number(v);
  if (!Number.isSafeInteger(n)) throw new RangeError(`${text} does not fit a safe integer at ${scale} decimals`);
  return n;
}

export class OrderGate {
  readonly instruments: GateInstrument[] = [];
  readonly table = new InstrumentTable();
  /** Field at fault of the last failed check (TypeScript request name). */
  field = '';

  /** Instruments in id order (id = index). Throws a clear error on an invalid definition. */
  constructor(specs: readonly InstrumentSpec[]) {
    specs.forEach((spec, id) => {
      const r = defineInstrument(spec);
      if (!r.ok) throw new Error(`instrument #${id}: ${r.error.message}`);
      const inst = r.value;
      if (inst.venue !== 'spot') {
        throw new Error(`instrument ${inst.symbol}: the engine's command path supports Spot only (Derivatives need COMB UUID ClOrdIDs)`);
      }
      this.table.add(inst);
      const bytes = new Uint8Array(inst.symbol.length);
      for (let i = 0; i < bytes.length; i++) bytes[i] = inst.symbol.charCodeAt(i);
      this.instruments.push(
        new GateInstrument(
          id, inst, inst.symbol, bytes, inst.priceDecimals, inst.qtyDecimals,
          Number(inst.tickUnits), Number(inst.lotUnits),
          units(spec.qtyMin, inst.qtyDecimals),
          spec.qtyMax === undefined ? 0 : units(spec.qtyMax, inst.qtyDecimals),
          spec.minCost === undefined ? 0 : units(spec.minCost, inst.priceDecimals + inst.qtyDecimals),
        ),
      );
    });
  }

  idOf(symbol: string): number {
    for (let i = 0; i < this.instruments.length; i++) if (this.instruments[i]!.symbol === symbol) return i;
    return -1;
  }

  /** Instrument whose symbol equals bytes[start, start+len), or -1. No allocation. */
  idOfBytes(bytes: Uint8Array, start: number, len: number): number {
    const list = this.instruments;
    outer: for (let i = 0; i < list.length; i++) {
      const s = list[i]!.symbolBytes;
      if (s.length !== len) continue;
      for (let k = 0; k < len; k++) if (s[k] !== bytes[start + k]) continue outer;
      return i;
    }
    return -1;
  }

  /**
   * NewOrderSingle checks on units (price/stopPx at priceScale, qty at qtyScale; 0 = absent).
   * Returns 0 or a LocalRejectCode (this.field names the field).
   */
  checkPlace(
    id: number, side: number, ordType: number, tif: number,
    price: number, stopPx: number, qty: number, flags: number, expireTimeMs: number, nowMs: number,
  ): number {
    const gi = this.instruments[id];
    if (gi === undefined) return this.fail(LocalRejectCode.UNKNOWN_SYMBOL, 'symbol');
    if (side !== 0x31 && side !== 0x32) return this.fail(LocalRejectCode.INVALID_FIELD, 'side');
    if (ordType >= 128 || KNOWN_ORD_TYPE[ordType] === 0) return this.fail(LocalRejectCode.INVALID_FIELD, 'ordType');
    if (tif !== 0x31 && tif !== TIF_IOC && tif !== TIF_FOK && tif !== TIF_GTD) return this.fail(LocalRejectCode.INVALID_FIELD, 'timeInForce');
    const postOnly = (flags & OrderFlag.PostOnly) !== 0;
    if (gi.instrument.status !== 'online' || this.table.spotSessionState !== 'online') {
      const e = checkMarketState(gi.instrument, this.table, {
        kind: 'new', ordType: ORD_TYPE_BY_CODE[ordType]!, postOnly, reduceOnly: (flags & OrderFlag.ReduceOnly) !== 0,
      });
      if (e !== null) return this.fail(LocalRejectCode.MARKET_STATE, '');
    }
    if (!(qty > 0) || !Number.isSafeInteger(qty)) return this.fail(LocalRejectCode.INVALID_FIELD, 'orderQty');
    const needsPrice = NEEDS_PRICE_BY_CODE[ordType] === 1;
    const r = this.checkPx(gi, price, needsPrice, 'price');
    if (r !== 0) return r;
    const rs = this.checkPx(gi, stopPx, NEEDS_STOP_BY_CODE[ordType] === 1, 'stopPx');
    if (rs !== 0) return rs;
    if (postOnly) {
      if (!needsPrice) return this.fail(LocalRejectCode.FIELD_NOT_ALLOWED, 'postOnly');
      if (tif === TIF_IOC || tif === TIF_FOK) return this.fail(LocalRejectCode.CONFLICTING_INSTRUCTIONS, 'postOnly');
    }
    const q = this.checkQty(gi, qty);
    if (q !== 0) return q;
    const ref = price > 0 ? price : ordType === ORD_STOP_LOSS || ordType === ORD_TAKE_PROFIT ? stopPx : 0;
    if (ref > 0 && gi.minCost > 0) {
      const cost = ref * qty;
      if (Number.isSafeInteger(cost) && cost < gi.minCost) return this.fail(LocalRejectCode.COST_BELOW_MIN, 'orderQty');
    }
    if (tif === TIF_GTD && !(expireTimeMs > 0)) return this.fail(LocalRejectCode.MISSING_EXPIRE_TIME, 'expireTime');
    if (expireTimeMs > 0) {
      if (tif !== TIF_GTD) return this.fail(LocalRejectCode.FIELD_NOT_ALLOWED, 'expireTime');
      if (expireTimeMs <= nowMs || expireTimeMs - nowMs > GTD_MAX_AHEAD_MS) return this.fail(LocalRejectCode.EXPIRE_TIME_INVALID, 'expireTime');
    }
    return 0;
  }

  /** Amend (G) price/qty checks: the new values must still be on tick and lot. */
  checkAmend(id: number, price: number, qty: number): number {
    const gi = this.instruments[id];
    if (gi === undefined) return this.fail(LocalRejectCode.UNKNOWN_SYMBOL, 'symbol');
    if (!(qty > 0) || !Number.isSafeInteger(qty)) return this.fail(LocalRejectCode.INVALID_FIELD, 'orderQty');
    if (price !== 0) {
      const r = this.checkPx(gi, price, true, 'price');
      if (r !== 0) return r;
    }
    return this.checkQty(gi, qty);
  }

  /** Cancel / status: the instrument must exist and accept cancels. */
  checkCancel(id: number): number {
    const gi = this.instruments[id];
    if (gi === undefined) return this.fail(LocalRejectCode.UNKNOWN_SYMBOL, 'symbol');
    if (gi.instrument.status === 'maintenance' || this.table.spotSessionState === 'maintenance') {
      return this.fail(LocalRejectCode.MARKET_STATE, '');
    }
    return 0;
  }

  /**
   * The reject as src/kraken reports it: the same order rebuilt as a NewOrderSingleRequest and run
   * through validateNewOrderSingle (allocates: reject path only). Falls back to the local code when the
   * profile has no objection (e.g. a check only the engine makes).
   */
  explainPlace(
    code: number, id: number, side: number, ordType: number, tif: number,
    price: number, stopPx: number, qty: number, flags: number, expireTimeMs: number, nowMs: number,
  ): ValidationError {
    const gi = this.instruments[id];
    if (gi !== undefined) {
      const req: NewOrderSingleRequest = {
        clOrdID: '1',
        symbol: gi.symbol,
        side: SIDE_BY_CODE[side] ?? (String.fromCharCode(side) as Side),
        ordType: ORD_TYPE_BY_CODE[ordType] ?? (String.fromCharCode(ordType) as OrdTypeName),
        timeInForce: TIF_BY_CODE[tif] ?? (String.fromCharCode(tif) as TimeInForceName),
        orderQty: unitsText(qty, gi.qtyScale),
        ...(price !== 0 ? { price: unitsText(price, gi.priceScale) } : {}),
        ...(stopPx !== 0 ? { stopPx: unitsText(stopPx, gi.priceScale) } : {}),
        ...((flags & OrderFlag.PostOnly) !== 0 ? { postOnly: true } : {}),
        ...((flags & OrderFlag.ReduceOnly) !== 0 ? { reduceOnly: true } : {}),
        ...(expireTimeMs > 0 ? { expireTime: expireTimeMs } : {}),
        transactTime: nowMs,
      };
      const r = validateNewOrderSingle(req, { instruments: this.table, venue: 'spot', nowMs, checkClOrdIdTimestamp: false });
      if (!r.ok) return r.error;
    }
    return this.describe(code);
  }

  /** A ValidationError-shaped reject for a code (engine-only codes keep their own names). */
  describe(code: number): ValidationError {
    const name = localRejectName(code);
    const message = `${name}${this.field ? ` (${this.field})` : ''}`;
    return (this.field ? { code: name, message, field: this.field } : { code: name, message }) as unknown as ValidationError;
  }

  private checkPx(gi: GateInstrument, v: number, needed: boolean, field: string): number {
    if (v === 0) return needed ? this.fail(field === 'price' ? LocalRejectCode.MISSING_PRICE : LocalRejectCode.MISSING_STOP_PX, field) : 0;
    if (!needed) return this.fail(LocalRejectCode.FIELD_NOT_ALLOWED, field);
    if (!(v > 0) || !Number.isSafeInteger(v)) return this.fail(LocalRejectCode.INVALID_FIELD, field);
    if (v % gi.tick !== 0) return this.fail(LocalRejectCode.PRICE_NOT_ON_TICK, field);
    return 0;
  }

  private checkQty(gi: GateInstrument, qty: number): number {
    if (qty % gi.lot !== 0) return this.fail(LocalRejectCode.QTY_NOT_ON_LOT, 'orderQty');
    if (qty < gi.qtyMin) return this.fail(LocalRejectCode.QTY_BELOW_MIN, 'orderQty');
    if (gi.qtyMax > 0 && qty > gi.qtyMax) return this.fail(LocalRejectCode.QTY_ABOVE_MAX, 'orderQty');
    return 0;
  }

  private fail(code: number, field: string): number {
    this.field = field;
    return code;
  }
}

/** Integer units as decimal text at `scale` decimals (reject path and tools only). */
export function unitsText(v: number, scale: number): string {
  if (!Number.isFinite(v)) return String(v);
  const neg = v < 0;
  let s = String(Math.abs(Math.trunc(v)));
  if (scale > 0) {
    s = s.padStart(scale + 1, '0');
    s = `${s.slice(0, s.length - scale)}.${s.slice(s.length - scale)}`;
  }
  return neg ? `-${s}` : s;
}
