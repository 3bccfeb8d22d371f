/**
 * Vocabulary shared by the L2 and L3 books: FIX entry codes, the status a book reports to its caller,
 * and the book's life-cycle state machine (snapshot -> incrementals -> broken -> snapshot ...).
 */

/** 269 MDEntryType values the books understand. Trades (2) are accepted and ignored. */
export const MDEntryType = { Bid: 0, Offer: 1, Trade: 2 } as const;
export type MDEntryType = (typeof MDEntryType)[keyof typeof MDEntryType];

/** 279 MDUpdateAction. */
export const MDUpdateAction = { New: 0, Change: 1, Delete: 2 } as const;
export type MDUpdateAction = (typeof MDUpdateAction)[keyof typeof MDUpdateAction];

/** Absent 5041 (no checksum carried by this message). Real checksums are 0..2^32-1. */
export const NO_CHECKSUM = -1;

/**
 * What a book call reports. Ok is 0; anything else from a *consistency* class means "resubscribe":
 * the book has moved to BookState.Broken and will refuse incrementals until the next snapshot.
 */
export const BookStatus = {
  Ok: 0,
  /** Incremental (X) before any snapshot, or after a break: wait for / request a snapshot. */
  NoSnapshot: 1,
  /** Change/delete for a price level we do not hold (L2). */
  UnknownLevel: 2,
  /** Change/delete for an order id we do not hold (L3). */
  UnknownOrder: 3,
  /** New for an order id we already hold (L3). */
  DuplicateOrder: 4,
  /** 5041 differs from our CRC32 after the full message. */
  ChecksumMismatch: 5,
  /** Best bid >= best offer after the full message. */
  Crossed: 6,
  /** 269 or 279 outside the values above. */
  InvalidEntry: 7,
  /** Price <= 0, qty < 0, or not a safe integer (scaled-integer contract violated by the caller). */
  InvalidNumber: 8,
  /** Preallocated capacity (levels, orders, id bytes) exhausted: resubscribe with a larger book. */
  CapacityExceeded: 9,
  /** Order id longer than the configured maximum or empty (L3). */
  InvalidOrderId: 10,
  /** Calls out of order (entry outside a message, end without begin): a caller bug, book breaks too. */
  Misuse: 11,
} as const;
export type BookStatus = (typeof BookStatus)[keyof typeof BookStatus];

const STATUS_NAMES: string[] = [];
for (const k of Object.keys(BookStatus) as (keyof typeof BookStatus)[]) STATUS_NAMES[BookStatus[k]] = k;

export function bookStatusName(s: number): string {
  return STATUS_NAMES[s] ?? `Unknown(${s})`;
}

/** Life cycle of a book. Only Live books are usable for trading decisions. */
export const BookState = {
  /** Created or cleared; no snapshot yet. */
  AwaitingSnapshot: 0,
  /** Between beginSnapshot() and endMessage(). */
  InSnapshot: 1,
  /** Consistent as of the last completed message. */
  Live: 2,
  /** Between beginIncremental() and endMessage(). */
  InIncremental: 3,
  /** A consistency error happened; contents are stale until the next snapshot. */
  Broken: 4,
} as const;
export type BookState = (typeof BookState)[keyof typeof BookState];

/** Events that move a book between states. */
export const BookEvent = { BeginSnapshot: 0, BeginIncremental: 1, EndOk: 2, Error: 3 } as const;
export type BookEvent = (typeof BookEvent)[keyof typeof BookEvent];

const X = -1; // transition not allowed
/**
 * TRANSITIONS[state * 4 + event] = next state, or -1 when the event is a misuse in that state.
 * A snapshot is accepted in every state: that is how a broken book heals. Error always breaks.
 */
const TRANSITIONS = new Int8Array([
  // BeginSnapshot          BeginIncremental        EndOk                Error
  BookState.InSnapshot, BookState.Broken, X, BookState.Broken, // AwaitingSnapshot
  BookState.InSnapshot, X, BookState.Live, BookState.Broken, // InSnapshot
  BookState.InSnapshot, BookState.InIncremental, X, BookState.Broken, // Live
  BookState.InSnapshot, X, BookState.Live, BookState.Broken, // InIncremental
  BookState.InSnapshot, BookState.Broken, X, BookState.Broken, // Broken
]);

/** Next state for (state, event), or -1 if the event is not allowed there. */
export function nextBookState(state: BookState, event: BookEvent): number {
  return TRANSITIONS[state * 4 + event];
}

export const BOOK_STATE_NAMES = ['AwaitingSnapshot', 'InSnapshot', 'Live', 'InIncremental', 'Broken'] as const;
