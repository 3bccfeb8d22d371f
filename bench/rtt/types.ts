/**
 * Contracts of the round-trip (RTT) benchmark. A round trip is one NewOrderSingle sent and its
 * ExecutionReport New (ExecType 0) received, over plain TCP on 127.0.0.1, memory store.
 *
 * Two ways to plug in a series:
 *  - an in-process client implementing RttClient (jspurefix today, kfix's engine later), driven by
 *    bench/rtt/driver.ts so every in-process series is measured by identical code;
 *  - an RttSeries that runs whatever it likes (QuickFIX: two C++ processes) and hands back the raw
 *    samples, which go through the same histogram code (bench/lib/histogram.ts).
 */

/** Where a FIX 4.4 acceptor that answers NewOrderSingle with ExecutionReport New listens. */
export interface RttEndpoint {
  host: string;
  port: number;
  /** Our SenderCompID on the session (the acceptor's TargetCompID). */
  senderCompID: string;
  targetCompID: string;
  /** Which engine answers, for labels: 'quickfix' | 'jspurefix' | ... */
  engine: string;
}

/**
 * An initiator the driver can time. kfix's engine implements this (see kfix-series.ts for where
 * the bench looks for it).
 */
export interface RttClient {
  /**
   * Orders that may be outstanding at once. 1 = ping-pong only. More lets the driver run the
   * pipelined mode: roundTrip() may then be called again before earlier calls resolve, and each
   * call must resolve with its own order's latency (match on ClOrdID).
   */
  readonly maxInFlight: number;
  /** Connects and logs on; resolves once application messages may be sent. */
  connect(): Promise<void>;
  /**
   * Sends one NewOrderSingle and resolves with the nanoseconds from just before it was encoded to
   * just after its ExecutionReport was parsed. Rejects on a session error or a reject.
   */
  roundTrip(): Promise<number>;
  /** Logs out and closes the connection; safe to call twice and after a failed connect. */
  close(): Promise<void>;
}

/** How a client is made. `counterparty` is a plain acceptor the bench started, or null if none. */
export interface RttClientFactory {
  create(counterparty: RttEndpoint | null): Promise<RttClient>;
}

export interface RttRunOptions {
  /** Measured round trips (upper bound; `durationMs` may end the run earlier). */
  count: number;
  /** Round trips before measuring (excluded from the histogram). */
  warmup: number;
  /** Orders in flight: 1 = ping-pong. */
  window: number;
  /** Target send rate in orders/s; 0 = closed loop (next order as soon as the window allows). */
  rateHz: number;
  /** Stop sending measured orders after this long (0 = no cap). */
  durationMs: number;
  /** Hard deadline for the whole series including start-up; exceeded -> the series fails. */
  timeoutMs: number;
}

export interface RttRunResult {
  /** Measured round-trip latencies in ns, in send order. */
  samplesNs: Float64Array;
  /** Wall time of the measured phase (first measured send to last measured answer). */
  elapsedNs: number;
  /** What actually ran, when it differs from the request (e.g. window capped by maxInFlight). */
  window: number;
  notes: string[];
  /**
   * Figures the series measured beside the round trip (e.g. the simulator's own time per order),
   * reported as JSON keys <id>_<name> (ping-pong) and <id>_w<K>_<name> (pipelined).
   */
  metrics?: Record<string, number>;
}

export interface RttSeries {
  /** JSON key prefix and file name stem: quickfix, jspurefix, kfix. */
  readonly id: string;
  /** Human label for tables and the plot legend, e.g. "QuickFIX C++ 1.15 <-> QuickFIX". */
  readonly label: string;
  /** Whether the series can run more than one order in flight. */
  readonly supportsPipelining: boolean;
  /** null when the series can run here, else the reason it is skipped (printed as is). */
  unavailable(): Promise<string | null>;
  /**
   * Optional set-up (start an acceptor, load modules) that the bench runs for all series at once
   * before measuring anything, so start-up costs overlap instead of adding up.
   */
  prepare?(): Promise<void>;
  run(options: RttRunOptions): Promise<RttRunResult>;
  /** Stops whatever the series keeps between runs (its acceptor). Safe to call twice. */
  dispose?(): Promise<void>;
}
