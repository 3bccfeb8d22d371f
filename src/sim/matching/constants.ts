/**
 * Enumerations shared by the matching engine and its consumers (gateway, market-data feed), and the one
 * place where every reject / cancel text lives. Texts that Kraken documents are used verbatim; texts we
 * had to invent are marked [ASSUME] so they can be corrected in one place after UAT.
 *
 * ExecType / OrdStatus / OrdType values are stored as the FIX character codes so the gateway can write
 * them as single bytes without a lookup.
 */

export const enum Side {
  Buy = 1,
  Sell = 2,
}

/** Engine order types; FIX tag 40 values are in ORD_TYPE_FIX. */
export const enum OrdType {
  Market = 1,
  Limit = 2,
  StopLoss = 3,
  StopLossLimit = 4,
  TakeProfit = 5,
  TakeProfitLimit = 6,
  TrailingStop = 7,
  TrailingStopLimit = 8,
}

/** FIX 40 character for each OrdType (index = OrdType). */
export const ORD_TYPE_FIX: readonly string[] = ['', '1', '2', '3', '4', 'R', 'T', 'U', 'V'];

export const enum TimeInForce {
  GTC = 1,
  IOC = 3,
  FOK = 4,
  GTD = 6,
}

/** 7928 SelfTradePrevention (Spot). */
export const enum StpMode {
  CancelBoth = 0,
  CancelNewest = 1,
  CancelOldest = 2,
}

/** 388 DiscretionInst: which price triggers stops. Only LastTrade is simulated. */
export const enum TriggerRef {
  IndexPrice = 1,
  LastTrade = 5,
}

/** 150 ExecType as char codes. */
export const enum ExecType {
  New = 0x30, // '0'
  Canceled = 0x34, // '4'
  Replaced = 0x35, // '5'
  PendingNew = 0x41, // 'A'
  Expired = 0x43, // 'C'
  Restated = 0x44, // 'D'
  Trade = 0x46, // 'F'
  OrderStatus = 0x49, // 'I'
}

/** 39 OrdStatus as char codes. */
export const enum OrdStatus {
  New = 0x30, // '0'
  PartiallyFilled = 0x31, // '1'
  Filled = 0x32, // '2'
  Canceled = 0x34, // '4'
  Replaced = 0x35, // '5'
  PendingNew = 0x41, // 'A'
  Expired = 0x43, // 'C'
}

export const enum Liquidity {
  None = 0,
  Maker = 1,
  Taker = 2,
}

/** InstrumentList 5032 values. */
export const enum InstrumentStatus {
  Hidden = 0,
  Online = 1,
  Maintenance = 2,
  CancelOnly = 3,
  PostOnly = 4,
  LimitOnly = 5,
  Delisted = 6,
  ReduceOnly = 7,
}

/** Public (market-data) event kinds; L3 semantics: only the visible part of resting orders. */
export const enum MdKind {
  Add = 0,
  Modify = 1,
  Delete = 2,
  Trade = 3,
}

/** How the gateway must surface a reason (Kraken §4.1 / §9 layering). */
export const enum ReasonClass {
  None = 0,
  /** Refused before the engine accepted it: no ER, send 35=j (380 from REASON_380). */
  BusinessReject = 1,
  /** The engine accepted the order and later cancelled it on its own: ER 150=4 with 58. */
  UnsolicitedCancel = 2,
  /** Cancel asked for by the client (F, q) or by the session (cancel-on-disconnect). */
  RequestedCancel = 3,
  /** GTD reached. */
  Expiry = 4,
}

/**
 * Every reason the engine can give. 0 means success. The order of members is the index into the
 * REASON_* tables below; append only.
 */
export const enum Reason {
  None = 0,
  // --- pre-engine business rejects (35=j) ---
  UnknownInstrument,
  MarketUnavailable,
  MarketCancelOnly,
  MarketPostOnly,
  MarketLimitOnly,
  MarketReduceOnly,
  InvalidArguments,
  InvalidPrice,
  InvalidVolume,
  TickSize,
  OrderMinimum,
  CostMinimum,
  InsufficientFunds,
  PositionSizeExceeded,
  ReduceOnlyNoPosition,
  InvalidExpireTime,
  InvalidDisplayQty,
  IndexUnavailable,
  UnknownOrder,
  AmendNotAllowed,
  PostOnlyAmendWouldTake,
  UnknownAccount,
  // --- post-acceptance unsolicited cancels (150=4) ---
  PostOnlyWouldTake,
  SelfTradePrevention,
  IocNotFilled,
  FokNotFilled,
  NoLiquidity,
  InsufficientFundsAtMatch,
  ReduceOnlyCancelled,
  TriggerLimitInvalid,
  AmendBelowFilled,
  // --- requested cancels ---
  UserCancel,
  MassCancel,
  CancelOnDisconnect,
  // --- expiry ---
  Expired,
}

export const REASON_TEXT: readonly string[] = [
  '',
  'EQuery:Unknown asset pair', // [ASSUME] FIX rendering; REST text
  'EService:Unavailable',
  'EService:Market in cancel_only mode',
  'EService:Market in post_only mode',
  'EService:Market in limit_only mode', // [ASSUME]
  'EService:Market in reduce_only mode', // [ASSUME]
  'EGeneral:Invalid arguments',
  'EOrder:Invalid price', // [ASSUME] more decimals than the pair allows, or out of range
  'EGeneral:Invalid arguments:volume', // [ASSUME] more decimals than the lot size allows, or out of range
  'EOrder:Tick size check failed',
  'EOrder:Order minimum not met',
  'EOrder:Cost minimum not met',
  'EOrder:Insufficient funds',
  'EOrder:Margin position size exceeded',
  'EOrder:Reduce only:No position exists', // [ASSUME]
  'EGeneral:Invalid arguments:expiretm', // [ASSUME]
  'EGeneral:Invalid arguments:displayvol', // [ASSUME]
  'EGeneral:Invalid arguments:Index unavailable',
  'EOrder:Unknown order',
  'EOrder:Invalid order amend', // [ASSUME]
  'EOrder:Post only order', // [ASSUME]
  'EGeneral:Permission denied', // unknown account
  'EOrder:Post only order', // [ASSUME]
  'EOrder:Self trade prevention', // [ASSUME]
  'EOrder:Immediate or cancel order not filled', // [ASSUME]
  'EOrder:Fill or kill order not filled', // [ASSUME]
  'EOrder:Insufficient liquidity', // [ASSUME]
  'EOrder:Insufficient funds',
  'EOrder:Reduce only:Position is closed', // [ASSUME]
  'EOrder:Invalid price', // [ASSUME] trailing-stop-limit limit computed <= 0
  'EOrder:Amended below filled quantity', // [ASSUME]
  '',
  'EOrder:Mass cancel', // [ASSUME]
  'EOrder:Cancel on disconnect', // [ASSUME]
  'EOrder:Order expired', // [ASSUME]
];

const B = ReasonClass.BusinessReject;
const U = ReasonClass.UnsolicitedCancel;
const R = ReasonClass.RequestedCancel;

export const REASON_CLASS: readonly ReasonClass[] = [
  ReasonClass.None,
  B, B, B, B, B, B, B, B, B, B, B, B, B, B, B, B, B, B, B, B, B, B,
  U, U, U, U, U, U, U, U, U,
  R, R, R,
  ReasonClass.Expiry,
];

/** BusinessRejectReason (380) for each business reject; 0 = other (read 58). */
export const REASON_380: readonly number[] = REASON_CLASS.map((_, i) =>
  i === Reason.UnknownInstrument ? 2 : i === Reason.UnknownOrder ? 101 : 0,
);

export function reasonText(r: Reason): string {
  return REASON_TEXT[r] ?? '';
}

export function reasonClass(r: Reason): ReasonClass {
  return REASON_CLASS[r] ?? ReasonClass.None;
}
