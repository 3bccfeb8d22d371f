/**
 * Simulator counters and the gateway's own processing time per NewOrderSingle (performance.now, the
 * monotonic high-resolution clock, around the whole handling of one D: parse, checks, matching,
 * encoding and writing of the resulting reports). Samples live in a fixed ring, so recording never
 * allocates; stats() sorts a copy.
 */
import { newHostileStats, type HostileKind, type HostileStats } from './hostile.js';

export interface ProcessingTimeStats {
  count: number;
  meanUs: number;
  p50Us: number;
  p99Us: number;
  p999Us: number;
  maxUs: number;
  /** How many of the most recent samples the percentiles are computed from. */
  window: number;
}

export interface SimulatorStats {
  logons: number;
  logonsRefused: number;
  logonRefusals: Record<string, number>;
  ordersReceived: number;
  executionReports: number;
  rejects: number;
  rateLimitRejects: number;
  errorRateDisconnects: number;
  codCancels: number;
  mdMessages: number;
  mdRejects: number;
  flowSteps: number;
  flowOrders: number;
  /** The simulator's own time per NewOrderSingle. */
  orderProcessing: ProcessingTimeStats;
  /** Peers cut off for hostile input, by reason (./hostile.ts). */
  hostile: HostileStats;
}

const RING = 1 << 16;

export class SimStats {
  logons = 0;
  logonsRefused = 0;
  readonly logonRefusals: Record<string, number> = {};
  rejects = 0;
  rateLimitRejects = 0;
  errorRateDisconnects = 0;
  codCancels = 0;
  mdMessages = 0;
  mdRejects = 0;
  flowSteps = 0;
  flowOrders = 0;
  readonly hostile: HostileStats = newHostileStats();
  private readonly samples = new Float64Array(RING);
  private count = 0;
  private totalMs = 0;
  private maxMs = 0;

  /** A Logon answered with Logout(text) and closed: also a hostile.badLogons. */
  logonRefused(text: string): void {
    this.logonsRefused++;
    this.logonRefusals[text] = (this.logonRefusals[text] ?? 0) + 1;
    this.hostile.badLogons++;
  }

  cutOff(kind: HostileKind): void {
    this.hostile[kind]++;
  }

  recordOrder(ms: number): void {
    this.samples[this.count & (RING - 1)] = ms;
    this.count++;
    this.totalMs += ms;
    if (ms > this.maxMs) this.maxMs = ms;
  }

  snapshot(executionReports: number): SimulatorStats {
    const n = Math.min(this.count, RING);
    const sorted = Float64Array.from(this.samples.subarray(0, n)).sort();
    const pct = (p: number) => (n === 0 ? 0 : sorted[Math.min(n - 1, Math.floor(p * n))]! * 1000);
    return {
      logons: this.logons,
      logonsRefused: this.logonsRefused,
      logonRefusals: { ...this.logonRefusals },
      ordersReceived: this.count,
      executionReports,
      rejects: this.rejects,
      rateLimitRejects: this.rateLimitRejects,
      errorRateDisconnects: this.errorRateDisconnects,
      codCancels: this.codCancels,
      mdMessages: this.mdMessages,
      mdRejects: this.mdRejects,
      flowSteps: this.flowSteps,
      flowOrders: this.flowOrders,
      orderProcessing: {
        count: this.count,
        meanUs: this.count === 0 ? 0 : (this.totalMs / this.count) * 1000,
        p50Us: pct(0.5),
        p99Us: pct(0.99),
        p999Us: pct(0.999),
        maxUs: this.maxMs * 1000,
        window: n,
      },
      hostile: { ...this.hostile },
    };
  }
}
