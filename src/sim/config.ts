/**
 * Simulator options, their defaults, and every simulator-side choice Kraken does not document
 * ([ASSUME] texts and policies), in one place so a UAT finding changes one line.
 */
import type { Clock } from '../codec/index.js';
import type { SpotTier } from '../kraken/ratelimit.js';
import { DEFAULT_ASSETS, DEFAULT_INSTRUMENTS, type SimAsset, type SimInstrument } from './catalog.js';

import type { WireTap } from '../transport/index.js';
import type { BadLogonLimit } from './hostile.js';

export type SimService = 'spotMd' | 'spotTrading' | 'derivMd' | 'derivTrading' | 'derivMdL3' | 'spotMdL3';

/** Kraken's ports (§1). */
export const KRAKEN_PORTS: Readonly<Record<SimService, number>> = {
  spotMd: 4000,
  spotTrading: 4001,
  derivMd: 4002,
  derivTrading: 4003,
  derivMdL3: 4004,
  spotMdL3: 4005,
};

export const TARGET_COMP_IDS = {
  spotTrading: 'KRAKEN-TRD',
  derivTrading: 'KRAKEN-DRV-TRD',
  spotMd: 'KRAKEN-MD',
  derivMd: 'KRAKEN-DRV-MD',
} as const;

/** One FIX identity (SenderCompID) of a test account on one venue. */
export interface SimCredential {
  senderCompID: string;
  apiKey: string;
  /** Base64 API secret (the HMAC key is its decoded bytes). */
  apiSecret: string;
}

export interface SimAccount {
  name: string;
  spot?: SimCredential;
  derivatives?: SimCredential;
  /** Spot deposits, asset name -> decimal amount. Default: 1,000,000 USD, 100 XBT, 1000 ETH. */
  balances?: Readonly<Record<string, string>>;
  /** Spot rate-limit tier (§8). Default 'starter'. */
  tier?: SpotTier;
}

export interface SyntheticFlowOptions {
  enabled?: boolean;
  seed?: number;
  /** Simulated time between flow steps. Default 100 ms. */
  stepMs?: number;
  /** Mean actions (adds, cancels, takes) per step per instrument. Default 2. */
  actionsPerStep?: number;
  /** Resting synthetic orders kept per side and instrument (oldest cancelled beyond). Default 40. */
  maxOrdersPerSide?: number;
  /** Fraction of actions that take liquidity. Default 0.1. */
  takeFraction?: number;
}

export interface SimulatorOptions {
  host?: string;
  /** Per-service port; 0 picks a free port. Defaults: Kraken's 4000-4005. */
  ports?: Partial<Record<SimService, number>>;
  /** Serve TLS 1.3 with the simulator's self-signed certificate kept in this directory. */
  tls?: { certDir: string } | false;
  /** Injectable clock for every time decision (nonce window, rate limits, rollover, flow, timestamps). */
  clock?: Clock;
  accounts?: readonly SimAccount[];
  instruments?: readonly SimInstrument[];
  assets?: readonly SimAsset[];
  /** Seeds OrderIDs and the synthetic flow. Default 1. */
  seed?: number;
  flow?: SyntheticFlowOptions;
  /** Logon nonce window (§2). Default 5000 ms. */
  nonceWindowMs?: number;
  /** Check the COMB ClOrdID timestamp against the clock (§4.12 [3P]). Default true, ±120 s. */
  clOrdIdTimestampWindowMs?: number | false;
  /** Error-rate safeguard (§8): more than this many rejects within one second -> Logout + close. Default 50. */
  errorRateLimitPerSec?: number;
  /** Derivatives FIX budget (§8 [ASSUME]): token bucket per session. */
  derivativesBucket?: { capacity?: number; refillPerSec?: number };
  /** Spot: let cancels through over the rate limit (§8 [ASSUME]). Default true. */
  spotCancelsBypassLimit?: boolean;
  /** Daily rollover (§3). Default 22:00 UTC; false disables. */
  rollover?: { hourUtc: number; minuteUtc: number } | false;
  /** The rollover disconnect fires cancel-on-disconnect for sessions with 8674=0 (§3 [ASSUME]). Default true. */
  rolloverCancelsOrders?: boolean;
  /** A clean Logout also fires cancel-on-disconnect (§9 [ASSUME]). Default true. */
  logoutCancelsOrders?: boolean;
  /** Derivatives amend (G): off in production, on in UAT (§4.3). Default false. */
  derivativesAmend?: boolean;
  /** Acceptor timer period (heartbeats, rollover checks, flow pacing). Default 50 ms. */
  tickMs?: number;
  /** Reject logons whose SendingTime is further than this from the clock. Default 120 s. */
  maxLatencySec?: number;
  /**
   * Hostile peers, per acceptor (defaults and their reasons: src/transport/acceptor.ts): open
   * connections; connections without a Logon yet, in total and per remote address.
   */
  maxConnections?: number;
  maxPendingConnections?: number;
  maxPendingPerAddress?: number;
  /** Close a connection that sends no complete Logon within this time (§2 [ASSUME]). Default 5000 ms. */
  logonTimeoutMs?: number;
  /** Failed trading logons per SenderCompID before its logons are refused unchecked (hostile.ts). false: never. */
  badLogonLimit?: BadLogonLimit | false;
  /** Operational log lines: each hostile peer cut off, with the running counts (rate-limited). Default none. */
  log?: (line: string) => void;
  /** Diagnostics. */
  onEvent?: (service: SimService, compID: string, kind: string, text: string) => void;
  /** A copy of each session's bytes (FIX message logs), chosen by service and the client's CompIDs. */
  tap?: (service: SimService, theirSenderCompID: string, theirTargetCompID: string) => WireTap | undefined;
}

/** Default test accounts: the credentials `kfix start` and the tests use against the simulator. */
export const DEFAULT_ACCOUNTS: readonly SimAccount[] = [
  {
    name: 'alice',
    spot: { senderCompID: 'ALICE', apiKey: 'alice-spot-key', apiSecret: Buffer.from('alice-spot-secret').toString('base64') },
    derivatives: { senderCompID: 'ALICE_DRV', apiKey: 'alice-drv-key', apiSecret: Buffer.from('alice-drv-secret').toString('base64') },
  },
  {
    name: 'bob',
    spot: { senderCompID: 'BOB', apiKey: 'bob-spot-key', apiSecret: Buffer.from('bob-spot-secret').toString('base64') },
    derivatives: { senderCompID: 'BOB_DRV', apiKey: 'bob-drv-key', apiSecret: Buffer.from('bob-drv-secret').toString('base64') },
  },
];

export const DEFAULT_BALANCES: Readonly<Record<string, string>> = { USD: '1000000', XBT: '100', ETH: '1000' };

export { DEFAULT_ASSETS, DEFAULT_INSTRUMENTS };

// ---- [ASSUME] texts and values Kraken does not document (spec §2, §4.12, §8, §9) ----
export const TEXT = {
  unknownCompID: 'Unknown SenderCompID',
  wrongTarget: 'Invalid TargetCompID',
  missingCredentials: 'Missing Username, Password or Nonce',
  wrongApiKey: 'Invalid API key',
  badSignature: 'Invalid signature',
  nonceOutOfWindow: 'Nonce out of window',
  nonceNotIncreasing: 'Nonce not increasing',
  tooManyFailedLogons: 'Too many failed logons, try again later',
  rateLimit: 'EOrder:Rate limit exceeded',
  errorRate: 'Too many errors per second',
  duplicateClOrdID: 'EOrder:Duplicate ClOrdID',
  clOrdIdFormat: 'ClOrdID invalid value',
  clOrdIdTimestamp: 'ClOrdID invalid value (timestamp is out of date)',
  notComb: 'ClOrdID invalid value (COMB UUID required)',
  unknownOrder: 'EOrder:Unknown order',
  invalidArguments: 'EGeneral:Invalid arguments',
  unknownPair: 'EQuery:Unknown asset pair',
  marginNotSimulated: 'EOrder:Margin allowance exceeded',
  deadlineElapsed: 'EService:Deadline elapsed',
  notSupported: 'EGeneral:Permission denied',
} as const;
