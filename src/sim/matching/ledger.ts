/**
 * Account balances (spot) and positions (derivatives).
 *
 * Spot: per account and asset a total and a reserved amount, both exact wide integers in units of
 * 10^-decimals of the asset. available = total - reserved; open orders reserve what they could spend
 * (buy: leaves * limit * quoteUnitsPerNotional; sell: leaves * baseUnitsPerLot).
 *
 * Derivatives: per account and instrument a signed position in lots plus open buy/sell exposure (lots),
 * used for reduce-only and for the position-size cap that keeps every quantity inside the exact range.
 * Margin is not modelled.
 */
import { addWide, bigIntToWide, mulAdd, divFloorClamp, wideToBigInt } from './wide.js';

const MAX_SUPPLY = 1n << 72n;

export class Ledger {
  accounts = 0;
  private capacity = 0;
  /** (account * maxAssets + asset) * 4 -> totHi, totLo, resHi, resLo */
  bal = new Float64Array(0);
  /** (account * maxInstruments + instrument) * 3 -> position, openBuy, openSell */
  pos = new Float64Array(0);
  private readonly supply: bigint[] = [];
  private readonly scratch = new Float64Array(4);

  constructor(
    readonly maxAssets: number,
    readonly maxInstruments: number,
  ) {}

  addAccount(): number {
    if (this.accounts === this.capacity) {
      const n = Math.max(8, this.capacity * 2);
      const b = new Float64Array(n * this.maxAssets * 4);
      b.set(this.bal);
      this.bal = b;
      const p = new Float64Array(n * this.maxInstruments * 3);
      p.set(this.pos);
      this.pos = p;
      this.capacity = n;
    }
    return this.accounts++;
  }

  balOff(account: number, asset: number): number {
    return (account * this.maxAssets + asset) * 4;
  }

  posOff(account: number, instrument: number): number {
    return (account * this.maxInstruments + instrument) * 3;
  }

  /** available - x*y >= 0 */
  canAfford(account: number, asset: number, x: number, y: number): boolean {
    const s = this.scratch;
    const o = this.balOff(account, asset);
    s[0] = this.bal[o];
    s[1] = this.bal[o + 1];
    addWide(s, 0, this.bal, o + 2, -1);
    mulAdd(s, 0, x, y, -1);
    return s[0] >= 0;
  }

  /** available - w[i..] >= 0 for a wide amount w. */
  canAffordWide(account: number, asset: number, w: Float64Array, i: number): boolean {
    const s = this.scratch;
    const o = this.balOff(account, asset);
    s[0] = this.bal[o];
    s[1] = this.bal[o + 1];
    addWide(s, 0, this.bal, o + 2, -1);
    addWide(s, 0, w, i, -1);
    return s[0] >= 0;
  }

  /** available / x, rounded down, at most cap (lots affordable at a per-lot cost x). */
  affordable(account: number, asset: number, x: number, cap: number): number {
    const s = this.scratch;
    const o = this.balOff(account, asset);
    s[0] = this.bal[o];
    s[1] = this.bal[o + 1];
    addWide(s, 0, this.bal, o + 2, -1);
    return divFloorClamp(s, 0, x, cap);
  }

  /** Adds sign * x * y to the reserved amount. */
  reserve(account: number, asset: number, x: number, y: number, sign: number): void {
    mulAdd(this.bal, this.balOff(account, asset) + 2, x, y, sign);
  }

  /** Adds sign * x * y to the total. */
  move(account: number, asset: number, x: number, y: number, sign: number): void {
    mulAdd(this.bal, this.balOff(account, asset), x, y, sign);
  }

  deposit(account: number, asset: number, amount: bigint): void {
    if (account < 0 || account >= this.accounts) throw new RangeError(`unknown account ${account}`);
    if (asset < 0 || asset >= this.maxAssets) throw new RangeError(`unknown asset ${asset}`);
    const supply = (this.supply[asset] ?? 0n) + amount;
    if (supply > MAX_SUPPLY) throw new RangeError('asset supply exceeds the exact engine range');
    const o = this.balOff(account, asset);
    const next = this.total(account, asset) + amount;
    if (next - this.reserved(account, asset) < 0n) throw new RangeError('withdrawal exceeds available balance');
    bigIntToWide(next, this.bal, o);
    this.supply[asset] = supply;
  }

  total(account: number, asset: number): bigint {
    const o = this.balOff(account, asset);
    return wideToBigInt(this.bal[o], this.bal[o + 1]);
  }

  reserved(account: number, asset: number): bigint {
    const o = this.balOff(account, asset);
    return wideToBigInt(this.bal[o + 2], this.bal[o + 3]);
  }

  /** Sum of deposits minus withdrawals: trading must keep sum(total) equal to this. */
  supplyOf(asset: number): bigint {
    return this.supply[asset] ?? 0n;
  }

  position(account: number, instrument: number): number {
    return this.pos[this.posOff(account, instrument)];
  }
}
