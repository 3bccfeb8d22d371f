/**
 * Engine layer: one FIX session's hot path on its own worker thread, and the main-thread handle that
 * starts, stops and monitors it.
 *
 * Owns: the socket (TCP with Nagle off, or TLS), the FIX session with its framer, encoder and store, the
 * preallocated read/write buffers, the per-message path (socket read -> session -> decode -> strategy
 * queues; strategy commands -> Kraken checks -> encode -> socket write), per-stage latency samples
 * (latency.ts) and the engine counters; inline strategies run on its thread.
 * Must not touch: strategy logic or state (src/strategy, reached only through ipc queues), book building
 * rules (src/book), FIX session rules (src/session), wire format details (src/codec). The main thread
 * (engine.ts) must never touch a FIX message: it sees counters, latency samples and control messages.
 */
export { startEngine } from './engine.js';
export type { EngineHandle, EngineHealth, MarketDataHealth, EngineError, EngineOptions, EngineState } from './engine.js';
export { resolveEngineConfig, KRAKEN_ROLLOVER } from './config.js';
export { ClockOffset } from './clock.js';
export { LinkState, LINK_STATE_NAMES } from './trading-link.js';
export type { RolloverConfig, EngineConfig, EngineStrategyConfig, MarketDataConfig, IdleStrategy, ResolvedEngineConfig, StoreConfig, StrategyMode } from './config.js';
export { EngineCounter, ENGINE_COUNTER_NAMES, type EngineCounters } from './memory.js';
export { Interval, INTERVAL_NAMES, LatencyHistograms, LatencyRing, Stage, type Percentiles } from './latency.js';
export { SequenceStore } from './seq-store.js';
export { createRttClient, type RttClientOptions, type RttClientHandle } from './rtt-client.js';
