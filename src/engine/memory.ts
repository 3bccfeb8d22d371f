/**
 * Shared memory of one engine: made by the main thread, handed to the hot-path worker and to each
 * strategy (workerData), never resized. Counters are Float64 slots written by one thread each and read
 * by the main thread without locks (a torn read is impossible for an aligned f64 on x64/arm64; a
 * slightly stale one is fine for monitoring).
 */
import { createMarketDataChannel, createNeverDropChannel } from '../ipc/index.js';
import type { StrategyWiring } from '../strategy/runner.js';
import { ClOrdIdSequence, Doorbell, ENGINE_SESSION_STATE_SLOT, StrategyControl } from '../strategy/protocol.js';
import { LatencyRing } from './latency.js';
import type { ResolvedEngineConfig } from './config.js';

/** Hot-path counters (Float64 slot index). */
export const EngineCounter = {
  READS: 0,
  BYTES_IN: 1,
  WRITES: 2,
  BYTES_OUT: 3,
  APP_MESSAGES_IN: 4,
  EXECUTION_REPORTS: 5,
  REJECTS_IN: 6,
  MD_MESSAGES: 7,
  MD_ENTRIES: 8,
  MD_CONFLATED: 9,
  MD_DROPPED: 10,
  EVENTS_ENQUEUED: 11,
  /** Event records that went through the private backlog because the ring was full. */
  EVENTS_BACKLOGGED: 12,
  /** Event records that did not fit the backlog either: spilled to the heap and the socket paused. */
  EVENTS_SPILLED: 13,
  COMMANDS: 14,
  COMMANDS_SENT: 15,
  COMMANDS_REJECTED: 16,
  /** Socket writes that could not use the preallocated slab (back-pressure): one copy each. */
  WRITE_COPIES: 17,
  LOGONS: 18,
  DISCONNECTS: 19,
  INLINE_CRASHES: 20,
  IGNORED_MESSAGES: 21,
  /** src/session SessionState of the FIX session. */
  SESSION_STATE: ENGINE_SESSION_STATE_SLOT,
  SOCKET_PAUSES: 23,
  /** The separate market-data session (config.marketData): src/session SessionState, logons, drops. */
  MD_SESSION_STATE: 24,
  MD_LOGONS: 25,
  MD_DISCONNECTS: 26,
  /** MarketDataRequests sent (one per logon). */
  MD_REQUESTS: 27,
  /** MarketDataRequestReject (35=Y) and session/business rejects received on the market-data session. */
  MD_REJECTS: 28,
  MD_BYTES_IN: 29,
  /** Commands written to the venue, by kind. */
  ORDERS_SENT: 30,
  AMENDS_SENT: 31,
  CANCELS_SENT: 32,
  MASS_CANCELS_SENT: 33,
  STATUS_REQUESTS_SENT: 34,
  /** ExecutionReports read, by ExecType (150): 0 New, F Trade, 8 Rejected, 4 Canceled, 5 Replaced. */
  ER_NEW: 35,
  ER_FILLS: 36,
  ER_REJECTED: 37,
  ER_CANCELED: 38,
  ER_REPLACED: 39,
  /** Trading session's next MsgSeqNums, refreshed on the 100 ms tick (operators read them, never the hot path). */
  NEXT_SENDER_SEQ: 40,
  NEXT_TARGET_SEQ: 41,
  /** Trading session logged on again after a drop (by the engine's own reconnect). */
  RECONNECTS: 42,
  /** Dials made by the reconnect (each failed connect or refused logon is one more). */
  RECONNECT_ATTEMPTS: 43,
  /** Logons the venue refused (Logout or close before its Logon), total. */
  LOGONS_REFUSED: 44,
  /** Daily rollovers: sequence numbers reset and a 141=Y logon (engine- or venue-initiated). */
  ROLLOVERS: 45,
  /** Commands sent but gap-filled on the venue's ResendRequest: never delivered, rejected locally. */
  NOT_DELIVERED: 46,
  /** New orders and amends refused locally because Kraken's rate counter for the pair would pass the threshold. */
  RATE_LIMITED: 47,
} as const satisfies Record<string, number>;
export const ENGINE_COUNTER_NAMES = [
  'reads', 'bytesIn', 'writes', 'bytesOut', 'appMessagesIn', 'executionReports', 'rejectsIn', 'mdMessages',
  'mdEntries', 'mdConflated', 'mdDropped', 'eventsEnqueued', 'eventsBacklogged', 'eventsSpilled', 'commands',
  'commandsSent', 'commandsRejected', 'writeCopies', 'logons', 'disconnects', 'inlineCrashes', 'ignoredMessages',
  'sessionState', 'socketPauses', 'mdSessionState', 'mdLogons', 'mdDisconnects', 'mdRequests', 'mdRejects', 'mdBytesIn',
  'ordersSent', 'amendsSent', 'cancelsSent', 'massCancelsSent', 'statusRequestsSent', 'erNew', 'erFills', 'erRejected',
  'erCanceled', 'erReplaced', 'nextSenderMsgSeqNum', 'nextTargetMsgSeqNum', 'reconnects', 'reconnectAttempts',
  'logonsRefused', 'rollovers', 'notDelivered', 'rateLimited',
] as const;
export type EngineCounters = Record<(typeof ENGINE_COUNTER_NAMES)[number], number>;
const COUNTER_SLOTS = 64;

export interface EngineMemory {
  doorbell: SharedArrayBuffer;
  clOrdIdSequence: SharedArrayBuffer;
  counters: SharedArrayBuffer;
  /** The hot path's own latency ring (parse, encode, strategy-to-wire). */
  latency: SharedArrayBuffer;
  strategies: StrategyWiring[];
}

export function createEngineMemory(c: ResolvedEngineConfig): EngineMemory {
  const doorbell = new Doorbell();
  const sequence = new ClOrdIdSequence();
  const instruments = c.instruments.length;
  const counters = new SharedArrayBuffer(COUNTER_SLOTS * 8);
  return {
    doorbell: doorbell.sab,
    clOrdIdSequence: sequence.sab,
    counters,
    latency: new LatencyRing(c.latencyRingSize).sab,
    strategies: c.strategies.map((s) => ({
      name: s.name,
      index: s.index,
      params: s.params,
      mode: s.mode,
      instruments: c.instruments,
      events: createNeverDropChannel(c.queues.eventsBytes),
      md: createMarketDataChannel({ capacity: c.queues.marketDataBytes, instruments, highWaterBytes: c.queues.marketDataHighWaterBytes }),
      commands: createNeverDropChannel(c.queues.commandsBytes),
      doorbell: doorbell.sab,
      clOrdIdSequence: sequence.sab,
      control: StrategyControl.create().sab,
      latency: new LatencyRing(c.latencyRingSize).sab,
      engineCounters: counters,
    })),
  };
}

export function readCounters(sab: SharedArrayBuffer): EngineCounters {
  const f = new Float64Array(sab);
  const out = {} as EngineCounters;
  ENGINE_COUNTER_NAMES.forEach((n, i) => (out[n] = f[i]!));
  return out;
}
