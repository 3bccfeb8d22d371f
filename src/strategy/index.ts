/**
 * Strategy layer: the API strategies are written against (defineStrategy, the context, books, their
 * order table) and the two ways they run: a piscina worker per strategy (host.ts, task.ts) or inline on
 * the engine's hot-path thread (runner.ts driven by src/engine). Also the shared-memory protocol both
 * sides agree on beyond the ipc schema (protocol.ts) and Kraken's order rules on integers (gate.ts).
 *
 * Owns: strategy lifecycle (start, timer, stop, crash -> restart), per-strategy books and orders,
 * command validation before queueing, ClOrdID issue.
 * Must not touch: sockets, FIX sessions or bytes (strategies see only ipc records), the engine's
 * worker and its counters, the main thread's monitoring.
 */
export { defineStrategy, isReject, isStrategyDefinition } from './define.js';
export type {
  AmendOrder,
  CommandResult,
  LocalReject,
  PlaceOrder,
  SideName,
  StrategyContext,
  StrategyDefinition,
  StrategyHooks,
} from './define.js';
export { BookView } from './book-view.js';
export { OrderTable, OrderState } from './orders.js';
export { OrderGate, GateInstrument, toUnits, unitsText } from './gate.js';
export { StrategyRunner, type StrategyWiring } from './runner.js';
export { StrategyHost, type StrategyFailure, type StrategyHostOptions, type StrategyStatus } from './host.js';
export { loadStrategy, startModuleWorker, piscinaEntry, importModule } from './loader.js';
export * from './protocol.js';
