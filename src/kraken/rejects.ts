// Kraken reject texts (spec §4.7, §9): 58 carries engine strings `E<Category>:<message>`, in older
// sessions prefixed with the ClOrdID (`1688738737 : EOrder:Insufficient funds`). We match on the
// `E<Category>:` part and classify the common ones so callers can react (e.g. back off on rate limit).

export type KrakenRejectKind =
  | 'RATE_LIMIT'
  | 'INSUFFICIENT_FUNDS'
  | 'ORDER_MINIMUM'
  | 'COST_MINIMUM'
  | 'TICK_SIZE'
  | 'UNKNOWN_ORDER'
  | 'ORDERS_LIMIT'
  | 'MARGIN'
  | 'MARKET_CANCEL_ONLY'
  | 'MARKET_POST_ONLY'
  | 'DEADLINE_ELAPSED'
  | 'SERVICE_UNAVAILABLE'
  | 'INVALID_ARGUMENTS'
  | 'PERMISSION_DENIED'
  | 'INTERNAL'
  | 'CLORDID_TIMESTAMP'
  | 'CLORDID_IN_USE'
  | 'OTHER';

export interface KrakenRejectText {
  /** ClOrdID from the `<ClOrdID> : ` prefix, if present. */
  readonly clOrdID: string | null;
  /** `EOrder`, `EGeneral`, `EService`, ... or null when the text has no category. */
  readonly category: string | null;
  /** Text after the category (or the whole text). */
  readonly detail: string;
  readonly kind: KrakenRejectKind;
  readonly raw: string;
}

const PREFIX_RE = /^\s*([^\s:]+)\s+:\s+(.*)$/s;
const CATEGORY_RE = /^(E[A-Za-z]+):(.*)$/s;

const KINDS: ReadonlyArray<readonly [RegExp, KrakenRejectKind]> = [
  [/^EOrder:Rate limit exceeded/i, 'RATE_LIMIT'],
  [/apiLimitExceeded/i, 'RATE_LIMIT'],
  [/^EOrder:Insufficient funds/i, 'INSUFFICIENT_FUNDS'],
  [/^EOrder:Order minimum not met/i, 'ORDER_MINIMUM'],
  [/^EOrder:Cost minimum not met/i, 'COST_MINIMUM'],
  [/^EOrder:Tick size check failed/i, 'TICK_SIZE'],
  [/^EOrder:Unknown order/i, 'UNKNOWN_ORDER'],
  [/^EOrder:Orders limit exceeded/i, 'ORDERS_LIMIT'],
  [/^EOrder:(Margin|Insufficient margin|Cannot open)/i, 'MARGIN'],
  [/^INSUFFICIENT_MARGIN|WOULD_CAUSE_LIQUIDATION/, 'MARGIN'],
  [/^EService:Market in cancel_only mode/i, 'MARKET_CANCEL_ONLY'],
  [/^EService:Market in post_only mode/i, 'MARKET_POST_ONLY'],
  [/^EService:Deadline elapsed/i, 'DEADLINE_ELAPSED'],
  [/^EService:Unavailable/i, 'SERVICE_UNAVAILABLE'],
  [/^EGeneral:Invalid arguments/i, 'INVALID_ARGUMENTS'],
  [/^INVALID_PRICE/, 'INVALID_ARGUMENTS'],
  [/^EGeneral:Permission denied/i, 'PERMISSION_DENIED'],
  [/^EGeneral:Internal error/i, 'INTERNAL'],
  [/ClOrdID invalid value \(timestamp is out of date\)/i, 'CLORDID_TIMESTAMP'],
  [/CLIENT_ORDER_ID_IN_USE/, 'CLORDID_IN_USE'],
];

export function parseKrakenRejectText(raw: string | undefined): KrakenRejectText {
  const text = raw ?? '';
  let clOrdID: string | null = null;
  let rest = text.trim();
  const p = PREFIX_RE.exec(rest);
  // Only treat the head as a ClOrdID prefix when what follows is a Kraken category string;
  // otherwise free text like "Error : something" would be misread.
  if (p !== null && CATEGORY_RE.test(p[2]!)) {
    clOrdID = p[1]!;
    rest = p[2]!;
  }
  const c = CATEGORY_RE.exec(rest);
  const category = c === null ? null : c[1]!;
  const detail = c === null ? rest : c[2]!;
  let kind: KrakenRejectKind = 'OTHER';
  for (const [re, k] of KINDS) {
    if (re.test(rest)) {
      kind = k;
      break;
    }
  }
  return { clOrdID, category, detail, kind, raw: text };
}
