// Kraken's clock as seen from here: the latest SendingTime (52) received on any Kraken session, against our
// local receipt time. Clock drift is Kraken's most common logon failure (nonce outside ±5 s), so the trading
// profile checks the drift with this sample before it lets a Logon go out. One monitor can be shared by the MD
// and trading sessions: MD traffic keeps the sample fresh.

import type { MessageView } from '../../codec/index.js';
import { type ClockDriftError, type ClockDriftOptions, type ServerTimeSample, checkClockDrift } from '../auth.js';

export interface ServerClockMonitorOptions {
  /** Bound on one-way latency from Kraken, ms (the sample's uncertainty). Default 50. */
  readonly oneWayLatencyMs?: number;
  /** Samples older than this are not trusted (our clock may have been stepped since). Default 6 h. */
  readonly maxSampleAgeMs?: number;
  /** Parse 52 at most this often, ms (keeps the MD hot path cheap). Default 1000. */
  readonly sampleEveryMs?: number;
}

export type ClockCheck =
  | { readonly status: 'ok'; readonly driftMs: number; readonly sampleAgeMs: number }
  | { readonly status: 'no-sample'; readonly reason: string }
  | { readonly status: 'drift'; readonly error: ClockDriftError };

export class ServerClockMonitor {
  readonly oneWayLatencyMs: number;
  readonly maxSampleAgeMs: number;
  readonly sampleEveryMicros: number;
  /** Latest sample: Kraken's SendingTime and our receipt time, epoch µs (0 = none yet). */
  serverMicros = 0;
  localMicros = 0;
  samples = 0;

  constructor(o: ServerClockMonitorOptions = {}) {
    this.oneWayLatencyMs = o.oneWayLatencyMs ?? 50;
    this.maxSampleAgeMs = o.maxSampleAgeMs ?? 6 * 3600_000;
    this.sampleEveryMicros = (o.sampleEveryMs ?? 1000) * 1000;
    if (!(this.oneWayLatencyMs >= 0) || !(this.maxSampleAgeMs > 0) || !(this.sampleEveryMicros >= 0)) {
      throw new RangeError('ServerClockMonitor options must be non-negative numbers');
    }
  }

  /** Records a SendingTime observed at localMicros (both epoch µs). */
  observe(sendingTimeMicros: number, localMicros: number): void {
    if (!Number.isFinite(sendingTimeMicros) || !Number.isFinite(localMicros)) return;
    this.serverMicros = sendingTimeMicros;
    this.localMicros = localMicros;
    this.samples++;
  }

  /** Samples a received message's 52 (rate-limited by sampleEveryMs; no allocation). */
  observeView(view: MessageView, localMicros: number): void {
    if (this.samples > 0 && localMicros - this.localMicros < this.sampleEveryMicros) return;
    this.observe(view.getTimestampMicros(52), localMicros);
  }

  /** The latest sample in auth.ts's terms, or null when there is none young enough. */
  sample(nowLocalMicros: number): ServerTimeSample | null {
    if (this.samples === 0) return null;
    if ((nowLocalMicros - this.localMicros) / 1000 > this.maxSampleAgeMs) return null;
    // Same convention as sampleFromSendingTime: the message left Kraken up to one latency before we saw it.
    return {
      serverMs: this.serverMicros / 1000 + this.oneWayLatencyMs,
      localMs: this.localMicros / 1000,
      uncertaintyMs: this.oneWayLatencyMs + 1,
    };
  }

  /** Whether a Logon signed now would have its nonce accepted (and ClOrdIDs later), per checkClockDrift. */
  check(nowLocalMicros: number, options?: ClockDriftOptions): ClockCheck {
    const s = this.sample(nowLocalMicros);
    if (s === null) {
      return { status: 'no-sample', reason: this.samples === 0 ? 'no message from Kraken seen yet' : 'last sample is too old' };
    }
    const r = checkClockDrift(s, options);
    if (!r.ok) return { status: 'drift', error: r.error };
    return { status: 'ok', driftMs: r.value.driftMs, sampleAgeMs: (nowLocalMicros - this.localMicros) / 1000 };
  }
}
