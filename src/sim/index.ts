/**
 * Kraken-compatible exchange simulator (spec /work/shared/spec/kraken-fix.md).
 *
 * Owns: the Spot and Derivatives trading acceptors (4001/4003) and market-data acceptors (L2 4000/4002,
 * L3 4005/4004) on 127.0.0.1, plain TCP or TLS 1.3 with the simulator's self-signed certificate;
 * Kraken's logon authentication; order entry with Kraken's validation layers, ClOrdID rules, cancel
 * scopes, cancel-on-disconnect, rate limits and error-rate safeguard; ExecutionReports from the
 * matching engine (./matching); reference data; a seeded synthetic order flow and the L2/L3 feeds.
 * Every time decision reads one injectable Clock, so tests drive it with a ManualClock.
 *
 * Must not touch: src/engine or strategies (never imported), the matching engine's internals beyond its
 * public API and read-only book views, sockets below src/transport, session rules (src/session).
 * ./at is the separate QuickFIX acceptance-test profile.
 */
import { SystemClock, type Clock } from '../codec/index.js';
import { NONCE_WINDOW_MS, CLORDID_TIMESTAMP_WINDOW_MS } from '../kraken/assumptions.js';
import { SpotRateLimiter } from '../kraken/ratelimit.js';
import type { FixSession } from '../session/index.js';
import { serverTlsOptions, startAcceptor, type AcceptorHandle } from '../transport/index.js';
import { LogonVerifier } from './auth.js';
import {
  DEFAULT_ACCOUNTS,
  DEFAULT_ASSETS,
  DEFAULT_INSTRUMENTS,
  KRAKEN_PORTS,
  TARGET_COMP_IDS,
  type SimService,
  type SimulatorOptions,
} from './config.js';
import { Exchange } from './exchange.js';
import { VenueLedger, type VenueExecRecord, type VenueOrderRecord } from './ledger.js';
import { MdFeed, MdPort } from './md/feed.js';
import { SyntheticFlow } from './md/flow.js';
import { RefData } from './refdata.js';
import { DEFAULT_BAD_LOGON_LIMIT, HostileLog, hostileKindOfCut, hostileKindOfSessionEvent } from './hostile.js';
import { SimStats, type SimulatorStats } from './stats.js';
import { simulatorCertificate } from './tls-cert.js';
import { TradingGateway, type TradingPolicy } from './trading.js';

export type { SimulatorOptions, SimService, SimAccount, SimCredential, SyntheticFlowOptions } from './config.js';
export { DEFAULT_ACCOUNTS, DEFAULT_INSTRUMENTS, KRAKEN_PORTS, TARGET_COMP_IDS } from './config.js';
export type { SimulatorStats, ProcessingTimeStats } from './stats.js';
export type { SimInstrument, SimAsset } from './catalog.js';
export type { VenueOrderRecord, VenueExecRecord } from './ledger.js';

export interface SimulatorStartOptions extends SimulatorOptions {
  /** Keep the venue's order and ExecutionReport record (orders(), executions()); for tests. Default false. */
  ledger?: boolean;
}

export interface SimulatorHandle {
  /** Bound port of every service (useful with port 0). */
  readonly ports: Readonly<Record<SimService, number>>;
  /** PEM of the self-signed certificate when serving TLS (give it to clients as their CA). */
  readonly certificate?: { cert: string; certPath: string };
  /** The clock the simulator runs on (the injected one, or a SystemClock). */
  readonly clock: Clock;
  stats(): SimulatorStats;
  /**
   * Runs what is due at the clock's current time right now (synthetic flow steps, GTD expiry,
   * scheduled orders) instead of waiting for the next timer tick: deterministic
   * tests advance a ManualClock and call this.
   */
  tick(): void;
  /** The venue's own record of client orders (needs `ledger: true`), optionally of one SenderCompID. */
  orders(compID?: string): VenueOrderRecord[];
  /** Every ExecutionReport produced for client sessions (needs `ledger: true`). */
  executions(compID?: string): VenueExecRecord[];
  /**
   * Gateway restart: closes the trading acceptors (every trading connection drops, with cancel-on-
   * disconnect as usual) and listens again on the same ports after `downMs`. The exchange keeps its
   * books, orders, sessions' sequence numbers and stored reports, as a Kraken gateway restart does.
   */
  restartTrading(downMs?: number): Promise<void>;
  close(): Promise<void>;
}

const SERVICES: readonly SimService[] = ['spotMd', 'spotTrading', 'derivMd', 'derivTrading', 'derivMdL3', 'spotMdL3'];

export async function startKrakenSimulator(options: SimulatorStartOptions = {}): Promise<SimulatorHandle> {
  const clock = options.clock ?? new SystemClock();
  const accounts = options.accounts ?? DEFAULT_ACCOUNTS;
  const seed = options.seed ?? 1;
  const stats = new SimStats();
  const policy: TradingPolicy = {
    nonceWindowMs: options.nonceWindowMs ?? NONCE_WINDOW_MS,
    clOrdIdWindowMs: options.clOrdIdTimestampWindowMs ?? CLORDID_TIMESTAMP_WINDOW_MS,
    errorRateLimitPerSec: options.errorRateLimitPerSec ?? 50,
    derivativesBucket: options.derivativesBucket ?? {},
    spotCancelsBypassLimit: options.spotCancelsBypassLimit ?? true,
    rollover: options.rollover ?? { hourUtc: 22, minuteUtc: 0 },
    rolloverCancelsOrders: options.rolloverCancelsOrders ?? true,
    logoutCancelsOrders: options.logoutCancelsOrders ?? true,
    derivativesAmend: options.derivativesAmend ?? false,
    maxLatencySec: options.maxLatencySec ?? 120,
    badLogonLimit: options.badLogonLimit ?? DEFAULT_BAD_LOGON_LIMIT,
  };
  const exchange = new Exchange(clock, seed, options.assets ?? DEFAULT_ASSETS, options.instruments ?? DEFAULT_INSTRUMENTS, accounts, policy.derivativesAmend);
  const spotLimiters = new Map<number, SpotRateLimiter>();
  for (const a of accounts) {
    spotLimiters.set(exchange.accountByName.get(a.name)!, new SpotRateLimiter({ tier: a.tier ?? 'starter', cancelsBypassLimit: policy.spotCancelsBypassLimit }));
  }
  const verifier = new LogonVerifier(policy.nonceWindowMs);
  const hostileLog = new HostileLog(options.log);
  // Sessions report the peers they cut off (garbled or oversize input) as events: count them here.
  const ev = (service: SimService) => (c: string, k: string, t: string) => {
    const kind = hostileKindOfSessionEvent(k);
    if (kind !== null) stats.cutOff(kind);
    if (kind !== null || k === 'logon-refused' || k === 'logon-throttled') hostileLog.line(`${service} ${c}: ${k}: ${t}`, stats.hostile);
    options.onEvent?.(service, c, k, t);
  };

  // Reference-data rejects count toward the error rate of whichever session received them.
  const errorOf: ((s: FixSession) => boolean)[] = [];
  const refData = new RefData(exchange, (s) => {
    for (const f of errorOf) if (f(s)) return;
  });
  const spot = new TradingGateway('spot', TARGET_COMP_IDS.spotTrading, exchange, clock, verifier, policy, stats, refData, accounts, spotLimiters, ev('spotTrading'));
  const deriv = new TradingGateway('derivatives', TARGET_COMP_IDS.derivTrading, exchange, clock, verifier, policy, stats, refData, accounts, spotLimiters, ev('derivTrading'));
  const spotIds = accounts.flatMap((a) => (a.spot ? [a.spot.senderCompID] : []));
  const derivIds = accounts.flatMap((a) => (a.derivatives ? [a.derivatives.senderCompID] : []));
  const mdCommon = { clock, maxLatencySec: policy.maxLatencySec, errorRateLimitPerSec: policy.errorRateLimitPerSec };
  const md = {
    spotMd: new MdPort({ ...mdCommon, venue: 'spot', level: 'L2', targetCompID: TARGET_COMP_IDS.spotMd, compIDs: spotIds, onEvent: ev('spotMd') }, exchange, refData, stats),
    spotMdL3: new MdPort({ ...mdCommon, venue: 'spot', level: 'L3', targetCompID: TARGET_COMP_IDS.spotMd, compIDs: spotIds, onEvent: ev('spotMdL3') }, exchange, refData, stats),
    derivMd: new MdPort({ ...mdCommon, venue: 'derivatives', level: 'L2', targetCompID: TARGET_COMP_IDS.derivMd, compIDs: derivIds, onEvent: ev('derivMd') }, exchange, refData, stats),
    derivMdL3: new MdPort({ ...mdCommon, venue: 'derivatives', level: 'L3', targetCompID: TARGET_COMP_IDS.derivMd, compIDs: derivIds, onEvent: ev('derivMdL3') }, exchange, refData, stats),
  };
  for (const gw of [spot, deriv]) {
    errorOf.push((s) => {
      const st = gw.stateOf(s);
      if (st !== undefined) gw.countError(st);
      return st !== undefined;
    });
  }
  const ledger = options.ledger === true ? new VenueLedger(exchange) : null;
  if (ledger !== null) for (const gw of [spot, deriv]) for (const st of gw.states.values()) ledger.watch(st);
  const feed = new MdFeed(exchange.instruments.length);
  for (const p of Object.values(md)) {
    feed.ports.push(p);
    errorOf.push((s) => {
      const mine = [...p.sessions.values()].includes(s);
      if (mine) p.countError(s);
      return mine;
    });
  }
  exchange.mdListener = feed;

  const fo = options.flow ?? {};
  const flow =
    fo.enabled === false
      ? null
      : new SyntheticFlow(
          exchange,
          {
            seed: fo.seed ?? seed,
            stepMicros: (fo.stepMs ?? 100) * 1000,
            actionsPerStep: fo.actionsPerStep ?? 2,
            maxOrdersPerSide: fo.maxOrdersPerSide ?? 40,
            takeFraction: fo.takeFraction ?? 0.1,
          },
          stats,
          clock.nowMicros(),
        );

  let tls: ReturnType<typeof serverTlsOptions> | undefined;
  let certificate: SimulatorHandle['certificate'];
  if (options.tls) {
    const c = await simulatorCertificate(options.tls.certDir);
    tls = serverTlsOptions(c.key, c.cert);
    certificate = { cert: c.cert, certPath: c.certPath };
  }
  const lookups: Record<SimService, (sender: string, target: string) => FixSession> = {
    spotTrading: (a, b) => spot.lookup(a, b),
    derivTrading: (a, b) => deriv.lookup(a, b),
    spotMd: (a, b) => md.spotMd.lookup(a, b),
    spotMdL3: (a, b) => md.spotMdL3.lookup(a, b),
    derivMd: (a, b) => md.derivMd.lookup(a, b),
    derivMdL3: (a, b) => md.derivMdL3.lookup(a, b),
  };
  const host = options.host ?? '127.0.0.1';
  const tickMs = options.tickMs ?? 50;
  const handles: AcceptorHandle[] = [];
  const ports = {} as Record<SimService, number>;
  const listen = (service: SimService, port: number) =>
    startAcceptor({
      port,
      host,
      sessions: lookups[service],
      tickMs,
      tls,
      onError: (err) => options.onEvent?.(service, '', 'error', err.message),
      logonWaitMs: options.logonTimeoutMs ?? 5000,
      maxConnections: options.maxConnections,
      maxPendingConnections: options.maxPendingConnections,
      maxPendingPerAddress: options.maxPendingPerAddress,
      onCutOff: (cut) => {
        stats.cutOff(hostileKindOfCut(cut));
        const who = `${cut.remoteAddress}${cut.senderCompID !== undefined ? ` ${cut.senderCompID}` : ''}`;
        hostileLog.line(`${service} ${who}: ${cut.reason}: ${cut.detail}`, stats.hostile);
        options.onEvent?.(service, cut.senderCompID ?? '', 'hostile', `${cut.reason} from ${cut.remoteAddress}: ${cut.detail}`);
      },
      ...(options.tap ? { tap: (sender: string, target: string) => options.tap!(service, sender, target) } : {}),
    });
  try {
    for (const service of SERVICES) {
      const h = await listen(service, options.ports?.[service] ?? KRAKEN_PORTS[service]);
      handles.push(h);
      ports[service] = h.port;
    }
  } catch (err) {
    await Promise.all(handles.map((h) => h.close()));
    throw err;
  }

  const tick = () => {
    const now = clock.nowMicros();
    flow?.advanceTo(now);
    exchange.advance();
  };
  const timer = setInterval(() => {
    try {
      tick();
    } catch (err) {
      options.onEvent?.('spotMd', '', 'error', (err as Error).stack ?? String(err));
    }
  }, tickMs);
  timer.unref();
  let closed = false;

  return {
    ports,
    certificate,
    clock,
    stats: () => stats.snapshot(exchange.counters.executionReports),
    tick,
    orders: (compID) => {
      if (ledger === null) throw new Error('simulator: orders() needs startKrakenSimulator({ ledger: true })');
      return ledger.orders(compID);
    },
    executions: (compID) => {
      if (ledger === null) throw new Error('simulator: executions() needs startKrakenSimulator({ ledger: true })');
      return ledger.executions(compID);
    },
    restartTrading: async (downMs = 0) => {
      if (closed) throw new Error('simulator: restartTrading after close');
      for (const service of ['spotTrading', 'derivTrading'] as const) {
        const i = SERVICES.indexOf(service);
        await handles[i]!.close();
      }
      await new Promise((r) => setTimeout(r, downMs));
      for (const service of ['spotTrading', 'derivTrading'] as const) {
        const i = SERVICES.indexOf(service);
        handles[i] = await listen(service, ports[service]);
      }
    },
    close: async () => {
      if (closed) return;
      closed = true;
      clearInterval(timer);
      await Promise.all(handles.map((h) => h.close()));
    },
  };
}
