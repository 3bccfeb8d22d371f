/**
 * Transport layer: sockets between counterparties and sans-I/O sessions (acceptor hosting many
 * sessions; initiator connection, supervised with reconnect/backoff/failover), TCP_NODELAY, TLS 1.3,
 * the bound on outbound buffering, and the timers that drive sessions. Must not parse business
 * messages or decide protocol behaviour: that is the session's job.
 */
export { startAcceptor, DEFAULT_MAX_CONNECTIONS, DEFAULT_MAX_PENDING_CONNECTIONS, DEFAULT_MAX_PENDING_PER_ADDRESS } from './acceptor.js';
export type { AcceptorOptions, AcceptorHandle, AcceptorCutOff, AcceptorCutOffReason } from './acceptor.js';
export { connectInitiator } from './initiator.js';
export type { InitiatorOptions, InitiatorHandle } from './initiator.js';
export { startInitiator, InitiatorSupervisor, InitiatorState, INITIATOR_STATE_NAMES, INITIATOR_TRANSITIONS } from './supervisor.js';
export type { SupervisorOptions, ReconnectOptions, InitiatorEvent, StopOptions } from './supervisor.js';
export { Backoff } from './backoff.js';
export type { BackoffOptions } from './backoff.js';
export { dial, endpointName } from './dial.js';
export type { Endpoint, Dial, DialOptions } from './dial.js';
export { systemScheduler, seededRandom } from './scheduler.js';
export type { Scheduler, RandomSource, TimerHandle } from './scheduler.js';
export { SocketOutput, attachSocket, DEFAULT_MAX_BUFFERED_BYTES } from './connection.js';
export type { AttachOptions, Attachment, WireTap } from './connection.js';
export { clientTlsOptions, serverTlsOptions, explainTlsError } from './tls-options.js';
export type { ClientTlsConfig, TlsWarn } from './tls-options.js';
