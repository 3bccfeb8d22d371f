/**
 * Engine configuration: what startEngine accepts, its defaults, and validation with errors a person can
 * act on. The resolved form is plain data (it crosses to the hot-path worker in workerData).
 */
import { isAbsolute, resolve } from 'node:path';
import type { InstrumentSpec, SpotTier } from '../kraken/index.js';
import { MAX_STRATEGIES } from '../strategy/protocol.js';

export type StrategyMode = 'worker' | 'inline';

export interface EngineStrategyConfig {
  /** Unique name (logs, health). */
  name: string;
  /** Path of the module exporting defineStrategy(...) (.js, or .ts with tsx installed). */
  module: string;
  /** Export holding the definition; default 'default'. */
  export?: string;
  /** 'worker' (a piscina thread, default) or 'inline' (on the hot-path thread: lowest latency). */
  mode?: StrategyMode;
  params?: Record<string, unknown>;
}

/**
 * How the hot path waits for strategy commands when idle. 'spin': poll forever (lowest latency, burns
 * a core). 'wait' (default): Atomics.waitAsync on the doorbell (no CPU; a wake-up goes through the event
 * loop). On a 2-core box a spinning hot path starves the strategy thread: bench/engine.bench.ts measured
 * 'wait' well ahead of 'spin-then-wait' there. Give the hot path its own core before choosing a spin.
 * 'spin-then-wait': spin for spinMs (default 0.5 ms: long enough to catch a strategy's answer
 * to the event just delivered, short enough not to starve other threads on a small box), then wait.
 */
export type IdleStrategy = 'spin' | 'spin-then-wait' | 'wait';

export type StoreConfig =
  /** Sequence numbers only, nothing kept for resend (Kraken answers ResendRequest with gap fills only). */
  | { kind: 'sequence' }
  | { kind: 'memory' }
  | { kind: 'journal'; dir: string };

/**
 * Kraken serves market data on its own sessions (spot L2: port 4000, TargetCompID KRAKEN-MD): CompID-only
 * Logon, then a MarketDataRequest. The hot path owns this second session too, so book updates reach
 * strategies through the same decoder and queues as if they came on the trading session.
 */
export interface MarketDataConfig {
  port: number;
  /** Default: the trading session's host. */
  host?: string;
  senderCompID: string;
  targetCompID: string;
  /** MarketDepth (264): levels per side. Kraken accepts 0 (full), 1, 10, 25, 100, 500, 1000. Default 10. */
  depth?: number;
  tls?: { servername?: string; ca?: string; verify?: boolean };
  heartBtIntSec?: number;
  /** First reconnect delay after the session dropped (doubles up to 5 s, jittered). Default 250 ms. */
  reconnectMs?: number;
}

/**
 * The venue's daily sequence reset (Kraken: 22:00 UTC, both directions, spec §3). From quietMs before
 * hourUtc:minuteUtc the engine refuses new commands locally (a command in flight when the venue drops
 * the connection for its rollover could never be replayed or reported across the reset). At the
 * boundary plus graceMs, if the venue has not logged it out by then, the engine logs out and waits for
 * the venue's Logout answer (reports in flight still arrive), then logs on again with ResetSeqNumFlag=Y.
 * When the venue logs out first (its own rollover), the engine sees the boundary passed and does the
 * same 141=Y logon. Logons are not attempted before the boundary plus pauseMs (Kraken's rollover
 * "lasts ~30 s").
 */
export interface RolloverConfig {
  hourUtc: number;
  minuteUtc: number;
  /** Let the venue's own rollover Logout come first: ours waits this long past the boundary. Default 2000 ms. */
  graceMs?: number;
  /** Commands are refused locally from this long before the boundary. Default 1000 ms. */
  quietMs?: number;
  /** No logon before boundary + pauseMs. Default 30 000 ms (spec §3 [ASSUME]: reconnect after ~30 s). */
  pauseMs?: number;
}

export interface ResolvedRollover {
  hourUtc: number;
  minuteUtc: number;
  graceMs: number;
  quietMs: number;
  pauseMs: number;
}

/** Kraken's rollover, the default for any venue whose TargetCompID starts with KRAKEN. */
export const KRAKEN_ROLLOVER: Readonly<ResolvedRollover> = { hourUtc: 22, minuteUtc: 0, graceMs: 2_000, quietMs: 1_000, pauseMs: 30_000 };

export interface ResolvedMarketDataConfig {
  host: string;
  port: number;
  senderCompID: string;
  targetCompID: string;
  depth: number;
  tls: { servername?: string; ca?: string; verify: boolean } | null;
  heartBtIntSec: number;
  reconnectMs: number;
}

const MD_DEPTHS = [0, 1, 10, 25, 100, 500, 1000];

export interface EngineConfig {
  host?: string;
  port: number;
  /** TLS 1.3 to the venue (src/transport/tls-options.ts policy). */
  tls?: { servername?: string; ca?: string; verify?: boolean };
  senderCompID: string;
  targetCompID: string;
  heartBtIntSec?: number;
  /** Send ResetSeqNumFlag=Y on Logon (Kraken's usual logon). Default true. */
  resetSeqNumOnLogon?: boolean;
  /** Kraken Logon signature (553/554/5025). Omit for venues that do not authenticate (simulator). */
  credentials?: { apiKey: string; secretBase64: string };
  store?: StoreConfig;
  /** Instrument id = index here. Spot only for now. */
  instruments: InstrumentSpec[];
  strategies: EngineStrategyConfig[];
  idle?: IdleStrategy;
  spinMs?: number;
  queues?: {
    /** Order-event ring per strategy (ExecutionReport, Reject, SessionStatus). Default 1 MiB. */
    eventsBytes?: number;
    /** Private overflow of the event ring, on the hot path. Default 4 MiB. */
    eventsBacklogBytes?: number;
    /** Market-data ring per strategy. Default 1 MiB. */
    marketDataBytes?: number;
    /** Ring fill above which book updates conflate. Default half the ring. */
    marketDataHighWaterBytes?: number;
    /** Command ring per strategy. Default 256 KiB. */
    commandsBytes?: number;
  };
  logonTimeoutMs?: number;
  /** Strategy restarts before giving up (default 5). */
  maxStrategyRestarts?: number;
  restartBackoffMs?: number;
  /** Latency samples buffered per thread between main-thread drains. Default 65536. */
  latencyRingSize?: number;
  /** A separate market-data session (Kraken's MD ports); omit when the venue pushes data on the trading session. */
  marketData?: MarketDataConfig;
  /**
   * Reconnect the trading session by itself after a drop it did not ask for (stop()). Default true.
   * false: a drop is final (health().state 'disconnected'), as for a supervisor that restarts processes.
   */
  reconnect?: boolean;
  /** First reconnect delay; doubles per failed attempt up to reconnectMaxMs, 50 % jitter. Default 250 ms. */
  reconnectMs?: number;
  /** Cap of the reconnect delay. Default 5000 ms. */
  reconnectMaxMs?: number;
  /**
   * Logons refused in a row (the venue answered Logout or closed before its Logon: bad credentials,
   * clock skew, throttled) before the engine stops trying and reports a final error. Default 5.
   */
  maxLogonRefusals?: number;
  /** Daily sequence reset (RolloverConfig). Default KRAKEN_ROLLOVER when targetCompID starts with KRAKEN, else null. */
  rollover?: RolloverConfig | null;
  /**
   * Your Kraken Spot tier: new orders and amends that would push a pair's rate counter past the tier's
   * threshold are refused locally (RATE_LIMIT) instead of earning `EOrder:Rate limit exceeded`. Default null
   * (not modelled: the venue's rejects reach the strategy).
   */
  rateLimitTier?: SpotTier | null;
}

export interface ResolvedStrategy {
  name: string;
  module: string;
  exportName: string;
  mode: StrategyMode;
  params: Record<string, unknown>;
  index: number;
}

export interface ResolvedEngineConfig {
  host: string;
  port: number;
  tls: { servername?: string; ca?: string; verify: boolean } | null;
  senderCompID: string;
  targetCompID: string;
  heartBtIntSec: number;
  resetSeqNumOnLogon: boolean;
  credentials: { apiKey: string; secretBase64: string } | null;
  store: StoreConfig;
  instruments: InstrumentSpec[];
  strategies: ResolvedStrategy[];
  idle: IdleStrategy;
  spinMs: number;
  queues: Required<NonNullable<EngineConfig['queues']>>;
  logonTimeoutMs: number;
  maxStrategyRestarts: number;
  restartBackoffMs: number;
  latencyRingSize: number;
  marketData: ResolvedMarketDataConfig | null;
  reconnect: boolean;
  reconnectMs: number;
  reconnectMaxMs: number;
  maxLogonRefusals: number;
  rollover: ResolvedRollover | null;
  rateLimitTier: SpotTier | null;
}

function pow2AtLeast(name: string, v: number, min: number): number {
  if (!Number.isInteger(v) || v < min || (v & (v - 1)) !== 0) throw new Error(`engine config: ${name} must be a power of two >= ${min}, got ${v}`);
  return v;
}

function compId(name: string, v: unknown): string {
  if (typeof v !== 'string' || v.length === 0 || v.length > 64 || /[\x00-\x1f=]/.test(v)) {
    throw new Error(`engine config: ${name} must be 1-64 printable characters without '=', got ${JSON.stringify(v)}`);
  }
  return v;
}

export function resolveEngineConfig(c: EngineConfig): ResolvedEngineConfig {
  if (c === null || typeof c !== 'object') throw new Error('engine config: expected an object');
  if (!Number.isInteger(c.port) || c.port < 1 || c.port > 65535) throw new Error(`engine config: port must be 1..65535, got ${c.port}`);
  if (!Array.isArray(c.instruments) || c.instruments.length === 0) throw new Error('engine config: instruments must list at least one instrument');
  if (!Array.isArray(c.strategies)) throw new Error('engine config: strategies must be an array (may be empty)');
  if (c.strategies.length > MAX_STRATEGIES) throw new Error(`engine config: at most ${MAX_STRATEGIES} strategies per session (ClOrdID routing digit)`);
  const names = new Set<string>();
  const strategies = c.strategies.map((s, index): ResolvedStrategy => {
    if (!s || typeof s.name !== 'string' || s.name === '') throw new Error(`engine config: strategies[${index}].name is required`);
    if (names.has(s.name)) throw new Error(`engine config: duplicate strategy name ${JSON.stringify(s.name)}`);
    names.add(s.name);
    if (typeof s.module !== 'string' || s.module === '') throw new Error(`engine config: strategy ${s.name}: module path is required`);
    const mode = s.mode ?? 'worker';
    if (mode !== 'worker' && mode !== 'inline') throw new Error(`engine config: strategy ${s.name}: mode must be 'worker' or 'inline', got ${JSON.stringify(mode)}`);
    const module = s.module.startsWith('file:') || isAbsolute(s.module) ? s.module : resolve(s.module);
    return { name: s.name, module, exportName: s.export ?? 'default', mode, params: s.params ?? {}, index };
  });
  const idle = c.idle ?? 'wait';
  if (idle !== 'spin' && idle !== 'wait' && idle !== 'spin-then-wait') throw new Error(`engine config: idle must be spin | wait | spin-then-wait, got ${JSON.stringify(idle)}`);
  const q = c.queues ?? {};
  const marketDataBytes = pow2AtLeast('queues.marketDataBytes', q.marketDataBytes ?? 1 << 20, 1024);
  const store = c.store ?? { kind: 'sequence' };
  if (store.kind !== 'sequence' && store.kind !== 'memory' && !(store.kind === 'journal' && typeof store.dir === 'string')) {
    throw new Error(`engine config: store must be {kind:'sequence'|'memory'} or {kind:'journal', dir}`);
  }
  return {
    host: c.host ?? '127.0.0.1',
    port: c.port,
    tls: c.tls ? { ...c.tls, verify: c.tls.verify ?? true } : null,
    senderCompID: compId('senderCompID', c.senderCompID),
    targetCompID: compId('targetCompID', c.targetCompID),
    heartBtIntSec: c.heartBtIntSec ?? 30,
    resetSeqNumOnLogon: c.resetSeqNumOnLogon ?? true,
    credentials: c.credentials ?? null,
    store,
    instruments: c.instruments,
    strategies,
    idle,
    spinMs: c.spinMs ?? 0.5,
    queues: {
      eventsBytes: pow2AtLeast('queues.eventsBytes', q.eventsBytes ?? 1 << 20, 1024),
      eventsBacklogBytes: pow2AtLeast('queues.eventsBacklogBytes', q.eventsBacklogBytes ?? 1 << 22, 1024),
      marketDataBytes,
      marketDataHighWaterBytes: q.marketDataHighWaterBytes ?? marketDataBytes >> 1,
      commandsBytes: pow2AtLeast('queues.commandsBytes', q.commandsBytes ?? 1 << 18, 1024),
    },
    logonTimeoutMs: c.logonTimeoutMs ?? 10_000,
    maxStrategyRestarts: c.maxStrategyRestarts ?? 5,
    restartBackoffMs: c.restartBackoffMs ?? 100,
    latencyRingSize: c.latencyRingSize ?? 1 << 16,
    marketData: c.marketData === undefined ? null : resolveMarketData(c.marketData, c.host ?? '127.0.0.1', c.heartBtIntSec ?? 30),
    ...resolveReconnect(c),
    rollover: resolveRollover(c.rollover, c.targetCompID),
    rateLimitTier: resolveTier(c.rateLimitTier),
  };
}

function resolveTier(t: unknown): SpotTier | null {
  if (t === undefined || t === null) return null;
  if (t === 'starter' || t === 'intermediate' || t === 'pro') return t;
  throw new Error(`engine config: rateLimitTier must be 'starter', 'intermediate', 'pro' or null, got ${JSON.stringify(t)}`);
}

function resolveReconnect(c: EngineConfig): Pick<ResolvedEngineConfig, 'reconnect' | 'reconnectMs' | 'reconnectMaxMs' | 'maxLogonRefusals'> {
  const reconnect = c.reconnect ?? true;
  if (typeof reconnect !== 'boolean') throw new Error(`engine config: reconnect must be true or false, got ${JSON.stringify(reconnect)}`);
  const reconnectMs = c.reconnectMs ?? 250;
  if (!(reconnectMs > 0) || !Number.isFinite(reconnectMs)) throw new Error(`engine config: reconnectMs must be a finite number > 0, got ${reconnectMs}`);
  const reconnectMaxMs = c.reconnectMaxMs ?? Math.max(5_000, reconnectMs);
  if (!(reconnectMaxMs >= reconnectMs) || !Number.isFinite(reconnectMaxMs)) throw new Error(`engine config: reconnectMaxMs must be finite and >= reconnectMs (${reconnectMs}), got ${reconnectMaxMs}`);
  const maxLogonRefusals = c.maxLogonRefusals ?? 5;
  if (!Number.isInteger(maxLogonRefusals) || maxLogonRefusals < 1) throw new Error(`engine config: maxLogonRefusals must be an integer >= 1, got ${maxLogonRefusals}`);
  return { reconnect, reconnectMs, reconnectMaxMs, maxLogonRefusals };
}

function resolveRollover(r: RolloverConfig | null | undefined, targetCompID: string): ResolvedRollover | null {
  if (r === null) return null;
  if (r === undefined) return typeof targetCompID === 'string' && targetCompID.startsWith('KRAKEN') ? { ...KRAKEN_ROLLOVER } : null;
  if (typeof r !== 'object') throw new Error('engine config: rollover must be {hourUtc, minuteUtc} or null');
  const { hourUtc, minuteUtc } = r;
  if (!Number.isInteger(hourUtc) || hourUtc < 0 || hourUtc > 23 || !Number.isInteger(minuteUtc) || minuteUtc < 0 || minuteUtc > 59) {
    throw new Error(`engine config: rollover time must be hourUtc 0..23 and minuteUtc 0..59, got ${hourUtc}:${minuteUtc}`);
  }
  const graceMs = r.graceMs ?? KRAKEN_ROLLOVER.graceMs;
  const pauseMs = r.pauseMs ?? KRAKEN_ROLLOVER.pauseMs;
  const quietMs = r.quietMs ?? KRAKEN_ROLLOVER.quietMs;
  if (!(quietMs >= 0 && quietMs < 3_600_000)) throw new Error(`engine config: rollover.quietMs must be 0..3600000, got ${quietMs}`);
  if (!(graceMs >= 0 && graceMs < 3_600_000)) throw new Error(`engine config: rollover.graceMs must be 0..3600000, got ${graceMs}`);
  if (!(pauseMs >= 0 && pauseMs < 3_600_000)) throw new Error(`engine config: rollover.pauseMs must be 0..3600000, got ${pauseMs}`);
  return { hourUtc, minuteUtc, graceMs, quietMs, pauseMs };
}

function resolveMarketData(m: MarketDataConfig, host: string, heartBtIntSec: number): ResolvedMarketDataConfig {
  if (m === null || typeof m !== 'object') throw new Error('engine config: marketData must be an object');
  if (!Number.isInteger(m.port) || m.port < 1 || m.port > 65535) throw new Error(`engine config: marketData.port must be 1..65535, got ${m.port}`);
  const depth = m.depth ?? 10;
  if (!MD_DEPTHS.includes(depth)) throw new Error(`engine config: marketData.depth must be one of ${MD_DEPTHS.join(', ')} (Kraken's MarketDepth values), got ${depth}`);
  const reconnectMs = m.reconnectMs ?? 250;
  if (!(reconnectMs > 0)) throw new Error(`engine config: marketData.reconnectMs must be > 0, got ${reconnectMs}`);
  return {
    host: m.host ?? host,
    port: m.port,
    senderCompID: compId('marketData.senderCompID', m.senderCompID),
    targetCompID: compId('marketData.targetCompID', m.targetCompID),
    depth,
    tls: m.tls ? { ...m.tls, verify: m.tls.verify ?? true } : null,
    heartBtIntSec: m.heartBtIntSec ?? heartBtIntSec,
    reconnectMs,
  };
}
