// One market-data subscription as the owner sees it: spec, current MDReqID (it changes on every resubscribe and
// reconnect), state (transitions checked against SUB_TRANSITIONS), one book per symbol, and break history.

import { asciiBytes } from '../../codec/index.js';
import { marketDataRequestPlan, type RequestError } from '../fix/requests.js';
import type { FixMessagePlan, Result } from '../types.js';
import type { MdSymbolBook } from './symbol-book.js';
import { type MdLevel, type MdSubscribeSpec, SUB_STATE_NAMES, SubState, canSubTransition } from './types.js';

export class MdSubscription {
  /** Stable id of the handle (the MDReqID is not). */
  readonly id: number;
  readonly spec: MdSubscribeSpec;
  readonly level: MdLevel;
  readonly symbols: readonly string[];
  /** Same order as symbols; empty until every symbol's decimals are known. */
  books: MdSymbolBook[] = [];
  state: SubState = SubState.Pending;
  /** Current 262 ('' until the first V). */
  mdReqID = '';
  mdReqIDBytes: Uint8Array = new Uint8Array(0);
  /** Every MDReqID this handle used, oldest first (diagnostics; bounded). */
  readonly history: string[] = [];
  /** Resubscribes caused by book breaks, and their times (ms) within the last minute. */
  resubscribes = 0;
  readonly recentBreaksMs: number[] = [];
  /** Last reject (Y) or failure text. */
  lastError = '';

  constructor(id: number, spec: MdSubscribeSpec, level: MdLevel) {
    this.id = id;
    this.spec = spec;
    this.level = level;
    this.symbols = [...spec.symbols];
  }

  get stateName(): string {
    return SUB_STATE_NAMES[this.state];
  }

  /** Book of a symbol, undefined if this subscription does not hold it (or books are not built yet). */
  book(symbol: string): MdSymbolBook | undefined {
    for (const b of this.books) if (b.symbol === symbol) return b;
    return undefined;
  }

  /** True while the owner still wants data (not Rejected, Failed or Closed). */
  get wanted(): boolean {
    return this.state === SubState.Pending || this.state === SubState.Requested || this.state === SubState.Live;
  }

  /** Whether buf[off, off+len) is the current MDReqID. */
  matchesReqID(buf: Uint8Array, off: number, len: number): boolean {
    const s = this.mdReqIDBytes;
    if (len !== s.length || len === 0) return false;
    for (let k = 0; k < len; k++) if (buf[off + k] !== s[k]) return false;
    return true;
  }

  /** The V for this subscription under `mdReqID`: subscribe (263=1) or unsubscribe (263=2). */
  requestPlan(mdReqID: string, subscribe: boolean): Result<FixMessagePlan, RequestError> {
    return marketDataRequestPlan({
      mdReqID,
      symbols: this.symbols,
      subscribe,
      depth: this.spec.depth,
      level: this.level,
      trades: this.spec.trades,
    });
  }

  /** @internal */
  setMDReqID(id: string): void {
    this.mdReqID = id;
    this.mdReqIDBytes = asciiBytes(id);
    this.history.push(id);
    if (this.history.length > 64) this.history.shift();
  }

  /** @internal Every state change goes through here: an unexpected path throws (a programming error). */
  transition(to: SubState): void {
    if (to === this.state) return;
    if (!canSubTransition(this.state, to)) {
      throw new Error(`illegal subscription transition ${SUB_STATE_NAMES[this.state]} -> ${SUB_STATE_NAMES[to]}`);
    }
    this.state = to;
  }
}
