// Typed order-entry requests (spec §4.1–4.5, §5). Prices and quantities are decimal strings (exact),
// times are epoch milliseconds. Venue rules are enforced by validate.ts, wire fields built by fields.ts.

export type Side = 'buy' | 'sell';

export type OrdTypeName =
  | 'market'
  | 'limit'
  | 'stop-loss'
  | 'stop-loss-limit'
  | 'take-profit'
  | 'take-profit-limit'
  | 'trailing-stop'
  | 'trailing-stop-limit';

export type TimeInForceName = 'GTC' | 'IOC' | 'FOK' | 'GTD';

/** 7928 (Spot only). */
export type SelfTradePrevention = 'cancel-both' | 'cancel-newest' | 'cancel-oldest';

/** 388 trigger reference for stop/take-profit/trailing orders. */
export type TriggerReference = 'index' | 'last';

/** Fee currency flag in 18 (Spot): `f` base, `q` quote. */
export type FeeCurrency = 'base' | 'quote';

/** Wire codes (40, 54, 59, 7928, 388). */
export const ORD_TYPE_CODE: Readonly<Record<OrdTypeName, string>> = {
  market: '1',
  limit: '2',
  'stop-loss': '3',
  'stop-loss-limit': '4',
  'take-profit': 'R',
  'take-profit-limit': 'T',
  'trailing-stop': 'U',
  'trailing-stop-limit': 'V',
};
export const SIDE_CODE: Readonly<Record<Side, string>> = { buy: '1', sell: '2' };
export const TIF_CODE: Readonly<Record<TimeInForceName, string>> = { GTC: '1', IOC: '3', FOK: '4', GTD: '6' };
export const STP_CODE: Readonly<Record<SelfTradePrevention, string>> = {
  'cancel-both': '0',
  'cancel-newest': '1',
  'cancel-oldest': '2',
};
export const TRIGGER_REF_CODE: Readonly<Record<TriggerReference, string>> = { index: '1', last: '5' };

/** Which OrdTypes need 44 / 99 (§4.1, §5). */
export const NEEDS_PRICE: ReadonlySet<OrdTypeName> = new Set(['limit', 'stop-loss-limit', 'take-profit-limit', 'trailing-stop-limit']);
export const NEEDS_STOP_PX: ReadonlySet<OrdTypeName> = new Set([
  'stop-loss',
  'stop-loss-limit',
  'take-profit',
  'take-profit-limit',
  'trailing-stop',
  'trailing-stop-limit',
]);
/** 388 column of §5: V has no trigger reference. */
export const ALLOWS_TRIGGER_REF: ReadonlySet<OrdTypeName> = new Set([
  'stop-loss',
  'stop-loss-limit',
  'take-profit',
  'take-profit-limit',
  'trailing-stop',
]);

export interface NewOrderSingleRequest {
  readonly clOrdID: string;
  readonly symbol: string;
  readonly side: Side;
  readonly ordType: OrdTypeName;
  /** Base quantity, or quote amount when `qtyInQuote`. */
  readonly orderQty: string;
  readonly price?: string;
  /** Trigger price; for trailing types the trailing distance (see assumptions). */
  readonly stopPx?: string;
  readonly triggerReference?: TriggerReference;
  readonly timeInForce: TimeInForceName;
  readonly transactTime: number;
  /** Required with GTD; <= 1 month ahead. Spot only. */
  readonly expireTime?: number;
  /** Scheduled start. Spot only. */
  readonly effectiveTime?: number;
  /** Latency guard: 2–60 s in the future. */
  readonly validUntilTime?: number;
  /** Iceberg visible qty (limit, Spot only, >= orderQty/15). */
  readonly displayQty?: string;
  readonly postOnly?: boolean;
  readonly reduceOnly?: boolean;
  /** `v`: orderQty in quote currency (Spot). */
  readonly qtyInQuote?: boolean;
  /** `f` / `q` (Spot). */
  readonly feeCurrency?: FeeCurrency;
  /** `s`: single fee. Always sent on Derivatives (added automatically); not allowed on Spot. */
  readonly singleFee?: boolean;
  readonly selfTradePrevention?: SelfTradePrevention;
  /** Header 50; only when the account was told to use it. */
  readonly senderSubID?: string;
  /** Broker sub-account: 78=1, 79=this. */
  readonly allocAccount?: string;
  /** 5001 margin (Spot). */
  readonly leverage?: boolean;
}

export interface OrderCancelRequest {
  readonly clOrdID: string;
  /** At least one of orderID/origClOrdID; if both, Kraken uses OrderID. */
  readonly orderID?: string;
  readonly origClOrdID?: string;
  readonly side: Side;
  readonly symbol: string;
  readonly transactTime: number;
}

/** Amend (Spot only): price, trigger price, quantity and display qty may change; the rest must match. */
export interface OrderCancelReplaceRequest {
  readonly clOrdID: string;
  readonly orderID: string;
  readonly origClOrdID: string;
  readonly side: Side;
  readonly symbol: string;
  readonly transactTime: number;
  readonly orderQty: string;
  readonly ordType: OrdTypeName;
  readonly timeInForce: TimeInForceName;
  readonly price?: string;
  readonly stopPx?: string;
  readonly displayQty?: string;
  /** The only ExecInst allowed on G is `P`. */
  readonly postOnly?: boolean;
  readonly validUntilTime?: number;
  /** Header 50, as on the order. */
  readonly senderSubID?: string;
}

/** Spot only. */
export interface OrderStatusRequest {
  readonly clOrdID: string;
  readonly orderID: string;
  readonly symbol: string;
  readonly side?: Side;
  readonly transactTime?: number;
}

/** 530: `symbol` = 1 (this session, one symbol), `session` = 6, `sender` = 7 (all of this SenderCompID). */
export type MassCancelScope = 'symbol' | 'session' | 'sender';
export const MASS_CANCEL_SCOPE_CODE: Readonly<Record<MassCancelScope, string>> = { symbol: '1', session: '6', sender: '7' };

export interface OrderMassCancelRequest {
  readonly clOrdID: string;
  readonly transactTime: number;
  readonly scope: MassCancelScope;
  /** Required when scope = 'symbol'. */
  readonly symbol?: string;
}
