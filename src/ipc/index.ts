/**
 * IPC layer: the binary hand-off between the hot-path worker and strategy workers (Artio-style: a
 * declared record schema instead of objects crossing threads).
 *
 * Owns: the queue memory layout (SPSC rings over SharedArrayBuffer, conflation slots), the record
 * schema and its typed flyweight accessors, wake-up (spin / Atomics.wait / Atomics.waitAsync), the
 * delivery policies (never-drop with backlog, conflating market data) and the cross-thread clock.
 *
 * Must not touch: FIX bytes or tags (the codec/session decode before anything reaches here), sockets
 * or timers of the engine, book building, or any strategy logic. It moves fixed-layout records and
 * counts what happened to them; what they mean is decided on either side.
 */
export * from './schema.js';
export { RecordBuffer, RecordCursor, EMPTY_BUFFER } from './record-buffer.js';
export * from './events.js';
export * from './commands.js';
export * from './spsc-queue.js';
export * from './channels.js';
export { monoNs, clockCalibrationErrorNs } from './clock.js';
