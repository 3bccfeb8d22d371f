// The few tag numbers the Kraken profile uses, until the generated dictionary (src/codec) replaces them.
// STANDARD_TAGS are checked against /work/shared/spec/FIX44.xml by test/kraken/tags.test.ts.

/** FIX 4.4 standard tags (names exactly as in FIX44.xml). */
export const STANDARD_TAGS = {
  AvgPx: 6,
  ClOrdID: 11,
  CumQty: 14,
  ExecID: 17,
  ExecInst: 18,
  LastPx: 31,
  LastQty: 32,
  MsgSeqNum: 34,
  MsgType: 35,
  OrderID: 37,
  OrderQty: 38,
  OrdStatus: 39,
  OrdType: 40,
  OrigClOrdID: 41,
  Price: 44,
  RefSeqNum: 45,
  SenderCompID: 49,
  SenderSubID: 50,
  Side: 54,
  Symbol: 55,
  TargetCompID: 56,
  Text: 58,
  TimeInForce: 59,
  TransactTime: 60,
  ValidUntilTime: 62,
  NoAllocs: 78,
  AllocAccount: 79,
  StopPx: 99,
  CxlRejReason: 102,
  ExpireTime: 126,
  ResetSeqNumFlag: 141,
  ExecType: 150,
  LeavesQty: 151,
  EffectiveTime: 168,
  DiscretionInst: 388,
  CxlRejResponseTo: 434,
  MassCancelRequestType: 530,
  Username: 553,
  Password: 554,
  MinTradeVol: 562,
  RefTagID: 371,
  RefMsgType: 372,
  SessionRejectReason: 373,
  BusinessRejectRefID: 379,
  BusinessRejectReason: 380,
} as const;

/** Tags outside FIX 4.4 (later FIX versions or Kraken user-defined), numbers from kraken-fix.md. */
export const KRAKEN_TAGS = {
  /** ClientID from FIX 4.2 (dropped from the FIX 4.4 dictionary); Kraken uses it on Logon, §2 */
  ClientID: 109,
  /** FIX 5.0 DisplayQty (iceberg), §4.1 */
  DisplayQty: 1138,
  /** Price decimals in InstrumentList 146 group, §4.8 */
  PricePrecision: 2349,
  Leverage: 5001,
  QtyPrecision: 5010,
  QtyMin: 5011,
  QtyMax: 5012,
  MinimumCost: 5013,
  TickSize: 5022,
  Nonce: 5025,
  ForceResetClOrdID: 5030,
  InstrumentStatus: 5032,
  Rebased: 5051,
  CancelOrdersOnDisconnect: 8674,
  SelfTradePrevention: 7928,
} as const;

export const TAG = { ...STANDARD_TAGS, ...KRAKEN_TAGS } as const;
