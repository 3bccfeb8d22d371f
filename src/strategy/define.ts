/**
 * The strategy API: what a strategy module exports (defineStrategy) and what it may call (the context).
 * A strategy sees decoded records and its own order table, never a socket or a FIX session; it runs in a
 * piscina worker or inline on the hot-path thread with the same code.
 *
 * Units: prices are integers at the instrument's priceScale (price decimals), quantities integers at its
 * qtyScale, exactly what BookView returns, so quoting is integer arithmetic (see GateInstrument).
 */
import type { ValidationError, ValidationErrorCode } from '../kraken/index.js';
import type {
  ExecutionReportFlyweight,
  RejectFlyweight,
  SessionStatusFlyweight,
  TradeFlyweight,
} from '../ipc/index.js';
import type { BookView } from './book-view.js';
import type { GateInstrument } from './gate.js';
import type { OrderTable } from './orders.js';
import type { LocalRejectName } from './protocol.js';

/** A request refused before it was queued: src/kraken's ValidationError, or an engine condition. */
export type LocalReject =
  | ValidationError
  | { readonly code: Exclude<LocalRejectName, ValidationErrorCode>; readonly message: string; readonly field?: string };

/** A ClOrdID (positive integer) or the reason nothing was sent. */
export type CommandResult = number | LocalReject;

export function isReject(r: CommandResult): r is LocalReject {
  return typeof r !== 'number';
}

export type SideName = 'buy' | 'sell';

export interface PlaceOrder {
  /** Instrument id (index in the engine's instrument list) or symbol. */
  readonly instrument: number | string;
  readonly side: SideName;
  /** Default 'limit'. */
  readonly ordType?: 'limit' | 'market';
  /** Default 'GTC'. */
  readonly timeInForce?: 'GTC' | 'IOC' | 'FOK';
  /** Integer units at priceScale (limit orders). */
  readonly price?: number;
  /** Integer units at qtyScale. */
  readonly qty: number;
  readonly postOnly?: boolean;
  readonly reduceOnly?: boolean;
}

export interface AmendOrder {
  readonly price?: number;
  readonly qty?: number;
}

export interface StrategyContext {
  readonly name: string;
  /** 0..9: the last digit of every ClOrdID this strategy issues. */
  readonly index: number;
  /** Free-form parameters from the engine configuration. */
  readonly params: Readonly<Record<string, unknown>>;
  readonly instruments: readonly GateInstrument[];
  /** This strategy's orders as the venue last reported them (open ones), and positions. */
  readonly orders: OrderTable;
  /** 'worker' (piscina thread) or 'inline' (hot-path thread). */
  readonly mode: 'worker' | 'inline';
  instrument(symbol: string): GateInstrument | undefined;
  book(instrumentId: number): BookView;
  /** Signed position in qty units, from fills seen since start. */
  position(instrumentId: number): number;
  /** True while the FIX session is logged on (from SessionStatus events). */
  readonly sessionActive: boolean;
  place(order: PlaceOrder): CommandResult;
  /** Allocation-free limit order: side 'buy'|'sell', units as in PlaceOrder. */
  placeLimit(instrumentId: number, side: SideName, price: number, qty: number, postOnly?: boolean): CommandResult;
  cancel(clOrdID: number): CommandResult;
  amend(clOrdID: number, change: AmendOrder): CommandResult;
  /** All open orders of one instrument, or of the session (instrument omitted). */
  massCancel(instrument?: number | string): CommandResult;
  status(clOrdID: number): CommandResult;
  /** Wall-clock microseconds. */
  nowUs(): number;
  log(message: string): void;
}

export interface StrategyHooks {
  onStart?(ctx: StrategyContext): void;
  onBook?(ctx: StrategyContext, book: BookView): void;
  onTrade?(ctx: StrategyContext, trade: TradeFlyweight): void;
  /** The flyweight is valid during the call only; the order table is already updated. */
  onExecution?(ctx: StrategyContext, er: ExecutionReportFlyweight): void;
  /** Venue rejects (3, j, 9) and engine rejects (msgType 'L', see LocalRejectCode). */
  onReject?(ctx: StrategyContext, reject: RejectFlyweight): void;
  onTimer?(ctx: StrategyContext): void;
  onSessionStatus?(ctx: StrategyContext, status: SessionStatusFlyweight): void;
  onStop?(ctx: StrategyContext): void;
}

export interface StrategyDefinition extends StrategyHooks {
  readonly kind: 'kfix-strategy';
  /** onTimer period; default 100 ms. */
  readonly timerMs: number;
  /** L2 depth kept per instrument; default 25. */
  readonly bookDepth: number;
}

export function defineStrategy(hooks: StrategyHooks & { timerMs?: number; bookDepth?: number }): StrategyDefinition {
  if (hooks === null || typeof hooks !== 'object') throw new TypeError('defineStrategy: expected an object of hooks');
  for (const [k, v] of Object.entries(hooks)) {
    if (k.startsWith('on') && typeof v !== 'function') throw new TypeError(`defineStrategy: ${k} must be a function`);
  }
  const timerMs = hooks.timerMs ?? 100;
  const bookDepth = hooks.bookDepth ?? 25;
  if (!(timerMs >= 1)) throw new RangeError(`defineStrategy: timerMs must be >= 1, got ${timerMs}`);
  if (!Number.isInteger(bookDepth) || bookDepth < 1) throw new RangeError(`defineStrategy: bookDepth must be a positive integer, got ${bookDepth}`);
  return { ...hooks, kind: 'kfix-strategy', timerMs, bookDepth };
}

export function isStrategyDefinition(v: unknown): v is StrategyDefinition {
  return v !== null && typeof v === 'object' && (v as { kind?: unknown }).kind === 'kfix-strategy';
}
