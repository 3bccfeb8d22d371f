// What a Kraken session profile reports to its owner (off the hot path).

import type { ClockDriftError } from '../auth.js';
import type { MdRecoveryCounts } from '../md/client.js';

/** First logon of this profile, a reconnect, or the first logon after the 22:00 UTC rollover. */
export type RecoveryCause = 'logon' | 'reconnect' | 'rollover';

export interface OrderRecovery {
  /** OrderStatusRequests (H) sent for open orders (Spot). */
  readonly statusRequests: number;
  readonly failed: number;
  /** Open orders Kraken never acknowledged (no OrderID yet): H cannot name them. */
  readonly withoutOrderID: readonly string[];
  /** Open orders on a venue without H (Derivatives): wait for replayed ERs. */
  readonly unsupported: readonly string[];
}

export type KrakenSessionEvent =
  /** The clock check failed before a trading Logon; `refused` = the Logon was not sent and the connection dropped. */
  | { readonly kind: 'clock-drift'; readonly error: ClockDriftError; readonly refused: boolean }
  /** A trading Logon went out without a usable sample of Kraken's clock. */
  | { readonly kind: 'clock-unverified'; readonly reason: string }
  | { readonly kind: 'logon-sent'; readonly msgSeqNum: number; readonly authenticated: boolean }
  /** Recovery after a logon: what was re-requested. */
  | {
      readonly kind: 'recovered';
      readonly cause: RecoveryCause;
      readonly instrumentRequests: number;
      readonly md: MdRecoveryCounts | null;
      readonly orders: OrderRecovery | null;
    }
  | { readonly kind: 'rollover'; readonly text: string }
  /** An inbound MsgSeqNum gap on an MD session: every subscription was renewed under a new MDReqID. */
  | { readonly kind: 'md-gap-resubscribe'; readonly subscriptions: number; readonly text: string }
  | { readonly kind: 'logout'; readonly reason: string };
