/**
 * Store layer: owns the session's sequence numbers (next sender / next target MsgSeqNum), the
 * session start of the current sequence epoch, and the exact bytes of every sent application
 * message, in memory or in a durable per-session journal on disk, so a resend is a byte replay.
 *
 * Must not touch: FIX parsing or encoding (bytes are opaque here), session state machines and
 * timers (the session decides when to record, reset or flush), sockets and transport.
 */
import { MemoryStore, type MemoryStoreOptions } from './memory-store.js';
import { JournalStore, type JournalStoreOptions } from './journal-store.js';

export type { MessageStore, ReplayVisitor, FsyncPolicy } from './types.js';
export type { MemoryStoreOptions } from './memory-store.js';
export type { JournalStoreOptions, RecoveryReport } from './journal-store.js';
export type { TailCut, TailCutReason } from './scan.js';
export { MemoryStore } from './memory-store.js';
export { JournalStore } from './journal-store.js';
export { journalFileName } from './journal-file.js';
export { crc32 } from '../codec/crc32.js';

/** In-memory store (tests, simulator). */
export function createMemoryStore(options: MemoryStoreOptions = {}): MemoryStore {
  return new MemoryStore(options);
}

/**
 * Opens (creating if needed) the durable journal of one session, recovering its state; a torn or
 * corrupt tail is cut and reported in `store.recovery.cut` and through `options.onTailCut`.
 */
export function openJournalStore(options: JournalStoreOptions): JournalStore {
  return new JournalStore(options);
}
