/**
 * startEngine (main thread): validates the configuration, makes the shared memory, starts the hot-path
 * worker (compiled dist/src/engine/worker.js in production; the .ts source through tsx under tests),
 * starts worker-mode strategies on piscina once the session is logged on, and then only monitors:
 * counters and latency rings are read from shared memory, control messages arrive by postMessage.
 * The main thread never sees a FIX message.
 */
import { SESSION_STATE_NAMES } from '../session/index.js';
import { StrategyHost, type StrategyStatus } from '../strategy/host.js';
import { siblingModule, startModuleWorker } from '../strategy/loader.js';
import { StrategyControl, STRATEGY_STATE_NAMES } from '../strategy/protocol.js';
import { resolveEngineConfig, type EngineConfig, type ResolvedEngineConfig } from './config.js';
import { INTERVAL_NAMES, LatencyHistograms, LatencyRing } from './latency.js';
import { createEngineMemory, readCounters, type EngineCounters, type EngineMemory } from './memory.js';
import type { EngineCommand, EngineWorkerData, EngineWorkerMessage } from './worker.js';

/**
 * running: logged on. reconnecting: the trading session dropped and the engine is redialling by itself
 * (commands are refused locally meanwhile). disconnected: dropped for good (reconnect off, or too many
 * refused logons; see errors). stopping / stopped: stop() called. failed: the worker died.
 */
export type EngineState = 'running' | 'reconnecting' | 'disconnected' | 'stopping' | 'stopped' | 'failed';

export interface EngineError {
  source: 'engine' | 'session' | 'strategy' | 'market-data';
  strategy?: string;
  message: string;
  /** Restart already scheduled (strategy) or nothing more will happen. */
  final: boolean;
  at: number;
}

export interface EngineHealth {
  state: EngineState;
  /** src/session state name (e.g. Active). */
  session: string;
  loggedOn: boolean;
  strategies: StrategyStatus[];
  errors: EngineError[];
  /** Latency samples lost because a ring was not drained in time. */
  latencySamplesDropped: number;
  uptimeMs: number;
  /** The separate market-data session (config.marketData), or null when there is none. */
  marketData: MarketDataHealth | null;
  /** Times the trading session logged on again by itself after a drop. */
  reconnects: number;
  /** Daily rollovers done (sequence numbers reset, 141=Y logon). */
  rollovers: number;
  /** Commands that never reached the venue (gap-filled after a reconnect) and were rejected locally. */
  notDelivered: number;
  /** Reason of the last drop of the trading session, or null. */
  lastDisconnect: string | null;
}

export interface MarketDataHealth {
  /** src/session state name of the market-data session. */
  session: string;
  loggedOn: boolean;
  logons: number;
  disconnects: number;
  /** MarketDataRequests sent (one per logon). */
  requests: number;
  /** MarketDataRequestReject (35=Y) and session/business rejects received. */
  rejects: number;
  lastReject: string | null;
}

export interface EngineHandle {
  readonly config: ResolvedEngineConfig;
  /** Stops strategies, logs out, stops the worker. Idempotent. */
  stop(): Promise<void>;
  health(): EngineHealth;
  counters(): EngineCounters;
  /** Drains every latency ring, then returns the (live) histograms. */
  latency(): LatencyHistograms;
  /** Drains and forgets every sample so far (e.g. after a warm-up). */
  resetLatency(): void;
  /** .hgrm percentile distribution of one interval (id from latency.ts Interval, or its name). */
  hgrm(stage: number | string): string;
}

export interface EngineOptions {
  /** Failures as they happen (also kept in health().errors). */
  onError?: (e: EngineError) => void;
  /** Test hook: override the worker entry (path or URL). */
  workerEntry?: string;
  /**
   * Test hook: a ClockOffset's SharedArrayBuffer (clock.ts). The engine's wall clock (SendingTime,
   * TransactTime, the rollover schedule) adds its value in µs; set it from the test thread at any time.
   */
  clockOffset?: SharedArrayBuffer;
}

const DRAIN_MS = 50;
const MAX_ERRORS = 50;

export async function startEngine(input: EngineConfig, options: EngineOptions = {}): Promise<EngineHandle> {
  const config = resolveEngineConfig(input);
  const memory = createEngineMemory(config);
  const startedAt = performance.now();
  const errors: EngineError[] = [];
  const pushError = (e: EngineError): void => {
    errors.push(e);
    if (errors.length > MAX_ERRORS) errors.shift();
    options.onError?.(e);
  };
  let histograms = new LatencyHistograms();
  const rings = [new LatencyRing(memory.latency), ...memory.strategies.map((s) => new LatencyRing(s.latency))];
  const drain = (): void => {
    for (const r of rings) histograms.drainFrom(r);
  };
  // What the worker reported by message. reconnects is counted here, not read from shared memory, so that
  // health() shows it together with the state change the same message makes.
  const reported = { lastReject: null as string | null, lastDisconnect: null as string | null, reconnects: 0 };
  const inlineStatus = new Map<string, { restarts: number; lastError: string | null; failed: boolean }>();
  for (const s of config.strategies) if (s.mode === 'inline') inlineStatus.set(s.name, { restarts: 0, lastError: null, failed: false });

  let state: EngineState = 'running';
  const entry = options.workerEntry ?? siblingModule(import.meta.url, 'worker');
  const workerData: EngineWorkerData = { config, memory, clockOffset: options.clockOffset ?? null };
  const worker = startModuleWorker(entry, { workerData, name: `kfix-engine ${config.senderCompID}->${config.targetCompID}` });
  let stoppedResolve: (() => void) | null = null;
  const stoppedMsg = new Promise<void>((r) => (stoppedResolve = r));
  const exited = new Promise<number>((r) => worker.once('exit', r));

  const host = new StrategyHost({
    maxRestarts: config.maxStrategyRestarts,
    restartBackoffMs: config.restartBackoffMs,
    onFailure: (f) => pushError({ source: 'strategy', strategy: f.strategy, message: f.error.message, final: f.final, at: Date.now() }),
  });

  await new Promise<void>((resolve, reject) => {
    const timer = setTimeout(() => fail(new Error(`engine: not logged on within ${config.logonTimeoutMs + 2000} ms`)), config.logonTimeoutMs + 2000);
    let settled = false;
    const fail = (e: Error): void => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      state = 'failed';
      void worker.terminate();
      reject(e);
    };
    worker.on('message', (m: EngineWorkerMessage) => {
      switch (m.type) {
        case 'logged-on':
          clearTimeout(timer);
          settled = true;
          if (state === 'reconnecting') state = 'running';
          if (m.reconnect) reported.reconnects++;
          resolve();
          break;
        case 'start-failed':
          fail(new Error(`engine: could not start session ${config.senderCompID}->${config.targetCompID} at ${config.host}:${config.port}: ${m.message}`));
          break;
        case 'disconnected':
          if (state !== 'running' && state !== 'reconnecting') break;
          reported.lastDisconnect = m.reason;
          if (m.final) {
            state = 'disconnected';
            pushError({ source: 'session', message: m.reason.startsWith('disconnected') ? m.reason : `disconnected: ${m.reason}`, final: true, at: Date.now() });
          } else {
            state = 'reconnecting';
            pushError({ source: 'session', message: `disconnected: ${m.reason}; reconnecting in ${m.retryInMs} ms`, final: false, at: Date.now() });
          }
          break;
        case 'strategy-failure': {
          const st = inlineStatus.get(m.strategy);
          if (st) {
            st.restarts = m.restarts + (m.final ? 0 : 1);
            st.lastError = m.stack || m.message;
            st.failed = m.final;
          }
          pushError({ source: 'strategy', strategy: m.strategy, message: m.message, final: m.final, at: Date.now() });
          break;
        }
        case 'fatal':
          pushError({ source: 'engine', message: m.message, final: false, at: Date.now() });
          break;
        case 'md-session':
          if (m.event === 'reject') {
            reported.lastReject = m.text;
            pushError({ source: 'market-data', message: `market-data request rejected: ${m.text}`, final: false, at: Date.now() });
          } else if (m.event === 'disconnected' && state === 'running') {
            pushError({ source: 'market-data', message: `market-data session disconnected (reconnecting): ${m.text}`, final: false, at: Date.now() });
          }
          break;
        case 'stopped':
          stoppedResolve?.();
          break;
        default:
          break;
      }
    });
    worker.once('error', (e) => {
      pushError({ source: 'engine', message: `engine worker crashed: ${e.message}`, final: true, at: Date.now() });
      fail(e);
    });
    void exited.then((code) => {
      if (state === 'running' || state === 'reconnecting' || state === 'disconnected') {
        state = 'failed';
        pushError({ source: 'engine', message: `engine worker exited (code ${code})`, final: true, at: Date.now() });
      }
      fail(new Error(`engine worker exited with code ${code} before logon`));
    });
  });

  host.start(
    config.strategies
      .filter((s) => s.mode === 'worker')
      .map((s) => ({ wiring: memory.strategies[s.index]!, module: s.module, exportName: s.exportName })),
  );
  const drainTimer = setInterval(drain, DRAIN_MS);
  drainTimer.unref();

  let stopping: Promise<void> | null = null;
  const stop = (): Promise<void> => {
    if (stopping) return stopping;
    state = 'stopping';
    stopping = (async () => {
      await host.stop(3_000);
      const cmd: EngineCommand = { type: 'stop', timeoutMs: 2_000 };
      worker.postMessage(cmd);
      await Promise.race([stoppedMsg, exited, sleep(4_000)]);
      await Promise.race([exited, sleep(500)]);
      await worker.terminate();
      clearInterval(drainTimer);
      drain();
      state = 'stopped';
    })();
    return stopping;
  };

  return {
    config,
    stop,
    counters: () => readCounters(memory.counters),
    latency: () => {
      drain();
      return histograms;
    },
    resetLatency: () => {
      drain();
      histograms = new LatencyHistograms();
    },
    hgrm: (stage) => {
      drain();
      const id = typeof stage === 'number' ? stage : INTERVAL_NAMES.indexOf(stage);
      if (id < 0 || id >= INTERVAL_NAMES.length) throw new RangeError(`hgrm: unknown stage ${stage} (one of ${INTERVAL_NAMES.join(', ')})`);
      return histograms.hgrm(id);
    },
    health: () => health(config, memory, host, inlineStatus, state, errors, rings, startedAt, reported),
  };
}

function health(
  config: ResolvedEngineConfig,
  memory: EngineMemory,
  host: StrategyHost,
  inlineStatus: Map<string, { restarts: number; lastError: string | null; failed: boolean }>,
  state: EngineState,
  errors: EngineError[],
  rings: LatencyRing[],
  startedAt: number,
  status: { lastReject: string | null; lastDisconnect: string | null; reconnects: number },
): EngineHealth {
  const counters = readCounters(memory.counters);
  const sessionState = SESSION_STATE_NAMES[counters.sessionState] ?? String(counters.sessionState);
  const hosted = host.status();
  const strategies: StrategyStatus[] = config.strategies.map((s) => {
    if (s.mode === 'worker') return hosted.find((h) => h.name === s.name) ?? placeholder(s.name, memory, s.index);
    const control = new StrategyControl(memory.strategies[s.index]!.control);
    const st = inlineStatus.get(s.name)!;
    return {
      name: s.name,
      mode: 'inline',
      state: st.failed ? 'failed' : STRATEGY_STATE_NAMES[control.state] ?? 'idle',
      restarts: st.restarts,
      lastError: st.lastError,
      counters: control.snapshot(),
    };
  });
  return {
    state,
    session: sessionState,
    loggedOn: sessionState === 'Active' || sessionState === 'ResendInProgress',
    strategies,
    errors: [...errors],
    latencySamplesDropped: rings.reduce((n, r) => n + r.dropped(), 0),
    uptimeMs: performance.now() - startedAt,
    marketData: config.marketData === null ? null : mdHealth(counters, status.lastReject),
    reconnects: status.reconnects,
    rollovers: counters.rollovers,
    notDelivered: counters.notDelivered,
    lastDisconnect: status.lastDisconnect,
  };
}

function mdHealth(c: EngineCounters, lastReject: string | null): MarketDataHealth {
  const session = SESSION_STATE_NAMES[c.mdSessionState] ?? String(c.mdSessionState);
  return {
    session,
    loggedOn: session === 'Active' || session === 'ResendInProgress',
    logons: c.mdLogons,
    disconnects: c.mdDisconnects,
    requests: c.mdRequests,
    rejects: c.mdRejects,
    lastReject,
  };
}

function placeholder(name: string, memory: EngineMemory, index: number): StrategyStatus {
  const control = new StrategyControl(memory.strategies[index]!.control);
  return { name, mode: 'worker', state: STRATEGY_STATE_NAMES[control.state] ?? 'idle', restarts: 0, lastError: null, counters: control.snapshot() };
}

function sleep(ms: number): Promise<void> {
  return new Promise((r) => setTimeout(r, ms).unref());
}

