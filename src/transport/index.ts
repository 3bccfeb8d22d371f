/**
 * Transport layer: TCP plumbing between sockets and sans-I/O sessions (acceptor hosting many
 * sessions, initiator connection), and the timers that drive them. Must not parse business
 * messages or decide protocol behaviour: that is the session's job. TLS and reconnect/backoff
 * plug in at the marked TODOs.
 */
export { startAcceptor } from './acceptor.js';
export type { AcceptorOptions, AcceptorHandle } from './acceptor.js';
export { connectInitiator } from './initiator.js';
export type { InitiatorOptions, InitiatorHandle } from './initiator.js';
export { SocketOutput, attachSocket } from './connection.js';
