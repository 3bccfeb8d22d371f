// One call to get a wired Kraken session: FixSession + profile + the MD client (MD services) or the trading
// client (trading service), all sharing the session's clock. The transport (startInitiator) is the caller's:
// pass `session` and `[endpoint]` to it.

import { FixSession } from '../../session/index.js';
import type { FixDictionary } from '../../codec/index.js';
import type { MdInstrumentTable } from '../../book/index.js';
import type { SessionConfig } from '../../session/index.js';
import type { MessageStore } from '../../store/types.js';
import { KrakenClient, type KrakenClientOptions } from '../fix/client.js';
import { senderFromSession } from '../fix/client-types.js';
import type { InstrumentTable } from '../instruments.js';
import { KrakenMdClient, type KrakenMdClientOptions } from '../md/client.js';
import { KrakenSessionProfile, type KrakenSessionProfileOptions } from './profile.js';
import { type KrakenEndpoint, type KrakenEnvironment, krakenEndpoint } from './profiles.js';

export interface CreateKrakenSessionOptions extends Omit<KrakenSessionProfileOptions, 'md' | 'trading'> {
  readonly store: MessageStore;
  readonly dictionary?: FixDictionary;
  readonly heartBtIntSec?: number;
  readonly overrides?: Partial<SessionConfig>;
  readonly environment?: KrakenEnvironment;
  /** Host override (e.g. 127.0.0.1 for the simulator). */
  readonly host?: string;
  /** MD services: client options besides sender/venue/level. */
  readonly md?: Omit<KrakenMdClientOptions, 'sender' | 'venue' | 'level'>;
  /** Trading service: client options besides sender/venue. */
  readonly trading?: Omit<KrakenClientOptions, 'sender' | 'venue'>;
  /** Shared instrument tables (e.g. the MD session's, for the trading client). */
  readonly mdInstruments?: MdInstrumentTable;
  readonly orderEntryInstruments?: InstrumentTable;
}

export interface KrakenSessionBundle {
  readonly session: FixSession;
  readonly profile: KrakenSessionProfile;
  readonly md: KrakenMdClient | null;
  readonly trading: KrakenClient | null;
  readonly endpoint: KrakenEndpoint;
}

export function createKrakenSession(o: CreateKrakenSessionOptions): KrakenSessionBundle {
  const { md: _md, trading: _trading, ...profileOptions } = o;
  const profile = new KrakenSessionProfile(profileOptions);
  const session = new FixSession(profile.sessionConfig({ store: o.store, dictionary: o.dictionary, heartBtIntSec: o.heartBtIntSec, overrides: o.overrides }));
  const sender = senderFromSession(session);
  let md: KrakenMdClient | null = null;
  let trading: KrakenClient | null = null;
  if (profile.info.authenticated) {
    trading = new KrakenClient({
      instruments: o.orderEntryInstruments,
      nowMs: () => o.clock.nowMicros() / 1000,
      ...o.trading,
      sender,
      venue: o.venue,
    });
    profile.attachTrading(trading);
  } else {
    md = new KrakenMdClient({
      instruments: o.mdInstruments,
      orderEntryInstruments: o.orderEntryInstruments,
      nowMs: () => o.clock.nowMicros() / 1000,
      dictionary: o.dictionary,
      ...o.md,
      sender,
      venue: o.venue,
      level: profile.info.level ?? 'L2',
    });
    profile.attachMd(md);
  }
  return { session, profile, md, trading, endpoint: krakenEndpoint(o.venue, o.service, o.environment, o.host) };
}
