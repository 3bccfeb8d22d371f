/**
 * Prometheus metrics for a colo operations team, served by the main thread from snapshots the engine
 * publishes (counters and percentiles computed off the hot path). prom-client does the exposition format.
 */
import { createServer, type Server } from 'node:http';
import { Gauge, Registry, Counter } from 'prom-client';

export interface SessionSnapshot {
  name: string;
  state: string;
  nextSenderMsgSeqNum: number;
  nextTargetMsgSeqNum: number;
}

export interface EngineSnapshot {
  sessions: SessionSnapshot[];
  queueDepths: Record<string, number>;
  /** Cumulative rejects by reason (monotonic). */
  rejects: Record<string, number>;
  /** Rate-counter headroom per pair or session bucket (threshold minus counter). */
  rateHeadroom: Record<string, number>;
  /** Latency percentiles in µs per stage, e.g. { wire_to_strategy: { p50: 4.1, p99: 12 } }. */
  latencyUs: Record<string, Record<string, number>>;
}

export class Metrics {
  readonly registry = new Registry();
  private readonly sessionUp = new Gauge({ name: 'kfix_session_logged_on', help: '1 when the FIX session is logged on', labelNames: ['session', 'state'], registers: [this.registry] });
  private readonly seqOut = new Gauge({ name: 'kfix_next_sender_msg_seq_num', help: 'next outbound MsgSeqNum', labelNames: ['session'], registers: [this.registry] });
  private readonly seqIn = new Gauge({ name: 'kfix_next_target_msg_seq_num', help: 'next expected inbound MsgSeqNum', labelNames: ['session'], registers: [this.registry] });
  private readonly queueDepth = new Gauge({ name: 'kfix_queue_depth', help: 'records waiting in an inter-thread queue', labelNames: ['queue'], registers: [this.registry] });
  private readonly rejects = new Counter({ name: 'kfix_rejects_total', help: 'rejects by reason', labelNames: ['reason'], registers: [this.registry] });
  private readonly headroom = new Gauge({ name: 'kfix_rate_limit_headroom', help: 'rate counter headroom before Kraken rejects', labelNames: ['bucket'], registers: [this.registry] });
  private readonly latency = new Gauge({ name: 'kfix_latency_microseconds', help: 'latency percentile per stage', labelNames: ['stage', 'quantile'], registers: [this.registry] });
  private readonly seenRejects = new Map<string, number>();

  update(s: EngineSnapshot): void {
    this.sessionUp.reset();
    for (const x of s.sessions) {
      this.sessionUp.set({ session: x.name, state: x.state }, x.state === 'Active' ? 1 : 0);
      this.seqOut.set({ session: x.name }, x.nextSenderMsgSeqNum);
      this.seqIn.set({ session: x.name }, x.nextTargetMsgSeqNum);
    }
    for (const [q, d] of Object.entries(s.queueDepths)) this.queueDepth.set({ queue: q }, d);
    for (const [reason, total] of Object.entries(s.rejects)) {
      const delta = total - (this.seenRejects.get(reason) ?? 0);
      if (delta > 0) this.rejects.inc({ reason }, delta);
      this.seenRejects.set(reason, total);
    }
    for (const [b, h] of Object.entries(s.rateHeadroom)) this.headroom.set({ bucket: b }, h);
    for (const [stage, qs] of Object.entries(s.latencyUs)) for (const [q, v] of Object.entries(qs)) this.latency.set({ stage, quantile: q }, v);
  }

  /** Serves /metrics on 127.0.0.1; port 0 picks a free one. */
  serve(port: number, host = '127.0.0.1'): Promise<{ server: Server; port: number }> {
    const server = createServer((req, res) => {
      if (req.url !== '/metrics') {
        res.writeHead(404).end();
        return;
      }
      this.registry.metrics().then(
        (body) => res.writeHead(200, { 'content-type': this.registry.contentType }).end(body),
        (err: Error) => res.writeHead(500).end(err.message),
      );
    });
    return new Promise((resolve) => server.listen(port, host, () => resolve({ server, port: (server.address() as { port: number }).port })));
  }
}
