// Kraken's session table (spec §1, §3): which port and TargetCompID serve which venue and service, the hosts,
// and the SessionConfig pieces every Kraken session shares (141=Y on logon, gap-fill-all resends, light
// validation, 60 s heartbeats, the 22:00 UTC rollover). Pure data and factories; no I/O.

import { type FixDictionary, getDictionary } from '../../codec/index.js';
import type { DailyRollover, SessionApplication, SessionConfig, ValidationConfig } from '../../session/index.js';
import type { MessageStore } from '../../store/types.js';
import type { Clock } from '../../codec/index.js';
import type { Venue } from '../types.js';

export type KrakenService = 'trading' | 'md-l2' | 'md-l3';
export type KrakenEnvironment = 'production' | 'uat';

export interface KrakenServiceInfo {
  readonly venue: Venue;
  readonly service: KrakenService;
  readonly port: number;
  readonly targetCompID: string;
  /** Trading sessions log on with API key + signature + nonce; MD sessions with the CompID only. */
  readonly authenticated: boolean;
  readonly level: 'L2' | 'L3' | null;
}

/** Spec §1 port table. Spot L3's target is [ASSUME] the same as Spot L2's. */
export const KRAKEN_SERVICES: readonly KrakenServiceInfo[] = [
  { venue: 'spot', service: 'md-l2', port: 4000, targetCompID: 'KRAKEN-MD', authenticated: false, level: 'L2' },
  { venue: 'spot', service: 'trading', port: 4001, targetCompID: 'KRAKEN-TRD', authenticated: true, level: null },
  { venue: 'derivatives', service: 'md-l2', port: 4002, targetCompID: 'KRAKEN-DRV-MD', authenticated: false, level: 'L2' },
  { venue: 'derivatives', service: 'trading', port: 4003, targetCompID: 'KRAKEN-DRV-TRD', authenticated: true, level: null },
  { venue: 'derivatives', service: 'md-l3', port: 4004, targetCompID: 'KRAKEN-DRV-MD', authenticated: false, level: 'L3' },
  { venue: 'spot', service: 'md-l3', port: 4005, targetCompID: 'KRAKEN-MD', authenticated: false, level: 'L3' },
];

/** Hosts (spec §1). Resolve on every connect (5-min DNS TTL): pass the name, never a pinned IP. */
export const KRAKEN_HOSTS: Readonly<Record<KrakenEnvironment, string>> = {
  production: 'colo-london.vip-fix.kraken.com',
  uat: 'colo-london.vip-fix.uat.kraken.com',
};

/** Daily logical reset at 22:00 UTC (both directions restart at 1). */
export const KRAKEN_ROLLOVER: DailyRollover = { hourUtc: 22, minuteUtc: 0, logout: true };

/** Kraken recommends 60 s; both sides use the same value. */
export const KRAKEN_HEARTBEAT_SEC = 60;

/**
 * Light validation for trading sessions: required tags, types and enums, but neither field order nor
 * user-defined (>= 5000) tags Kraken may add without notice.
 */
export const KRAKEN_TRADING_VALIDATION: ValidationConfig = {
  enabled: true,
  checkFieldsHaveValues: true,
  checkFieldsOutOfOrder: false,
  checkUserDefinedFields: false,
};

/**
 * MD sessions: off. Kraken's W carries 278 MDEntryID (not in FIX 4.4's W group) and its X a top-level 55; the
 * dictionary validator would reject both (35=3) and lose every book. The W/X walker checks what it uses.
 */
export const KRAKEN_MD_VALIDATION: ValidationConfig = { enabled: false };

export function krakenService(venue: Venue, service: KrakenService): KrakenServiceInfo {
  const s = KRAKEN_SERVICES.find((x) => x.venue === venue && x.service === service);
  if (s === undefined) throw new RangeError(`no Kraken ${venue} ${service} service`);
  return s;
}

export interface KrakenEndpoint {
  readonly host: string;
  readonly port: number;
  /** TLS SNI / certificate name. */
  readonly servername: string;
}

export function krakenEndpoint(venue: Venue, service: KrakenService, env: KrakenEnvironment = 'production', host?: string): KrakenEndpoint {
  const h = host ?? KRAKEN_HOSTS[env];
  return { host: h, port: krakenService(venue, service).port, servername: h };
}

export interface KrakenSessionConfigOptions {
  readonly venue: Venue;
  readonly service: KrakenService;
  /** Issued by Kraken; derivatives CompIDs carry a `DRV` suffix (see senderCompIDWarnings). */
  readonly senderCompID: string;
  readonly store: MessageStore;
  readonly clock: Clock;
  readonly dictionary?: FixDictionary;
  readonly heartBtIntSec?: number;
  readonly application?: SessionApplication;
  /** Anything else (timeouts, message size, a different validation...). Applied last. */
  readonly overrides?: Partial<SessionConfig>;
}

/** The SessionConfig of one Kraken session (initiator). */
export function krakenSessionConfig(o: KrakenSessionConfigOptions): SessionConfig {
  const info = krakenService(o.venue, o.service);
  if (typeof o.senderCompID !== 'string' || !/^[\x21-\x7e]{1,64}$/.test(o.senderCompID)) {
    throw new RangeError('senderCompID must be 1-64 printable ASCII characters without spaces');
  }
  return {
    role: 'initiator',
    senderCompID: o.senderCompID,
    targetCompID: info.targetCompID,
    dictionary: o.dictionary ?? getDictionary({ kraken: true }),
    store: o.store,
    clock: o.clock,
    heartBtIntSec: o.heartBtIntSec ?? KRAKEN_HEARTBEAT_SEC,
    resetSeqNumOnLogon: true,
    // Kraken's rule: answer its ResendRequests with a gap fill, never replay stale orders.
    resendPolicy: 'gap-fill-all',
    validation: info.authenticated ? KRAKEN_TRADING_VALIDATION : KRAKEN_MD_VALIDATION,
    rollover: KRAKEN_ROLLOVER,
    application: o.application,
    ...o.overrides,
  };
}

/** Advisory checks of a SenderCompID against the venue's convention (not enforced: Kraken assigns them). */
export function senderCompIDWarnings(venue: Venue, senderCompID: string): string[] {
  const drv = /DRV$/i.test(senderCompID);
  if (venue === 'derivatives' && !drv) return [`derivatives SenderCompIDs normally end in DRV (got ${senderCompID})`];
  if (venue === 'spot' && drv) return [`${senderCompID} looks like a derivatives SenderCompID (DRV suffix) on a Spot session`];
  return [];
}
