/**
 * `kfix bench rtt --connect HOST:PORT --sender S --target T [--tls]`: ping-pong against any FIX 4.4
 * acceptor (Kraken UAT, a QuickFIX peer, our simulator): one NewOrderSingle out, wait for its
 * ExecutionReport, repeat; HDR percentiles of the round trip. Measuring a venue is a job users buy this for.
 */
import * as hdr from 'hdr-histogram-js';
import { createRttClient } from '../engine/rtt-client.js';

export interface ConnectBenchOptions {
  host: string;
  port: number;
  senderCompID: string;
  targetCompID: string;
  tls: boolean;
  tlsCaFile?: string;
  insecure: boolean;
  count: number;
  warmup: number;
  json: boolean;
}

export interface ConnectBenchResult {
  p50_us: number;
  p90_us: number;
  p99_us: number;
  p999_us: number;
  max_us: number;
  msgs_per_s: number;
  count: number;
}

export async function benchConnect(o: ConnectBenchOptions): Promise<ConnectBenchResult> {
  const { readFileSync } = await import('node:fs');
  const client = await createRttClient({
    host: o.host,
    port: o.port,
    senderCompID: o.senderCompID,
    targetCompID: o.targetCompID,
    ...(o.tls ? { tls: { verify: !o.insecure, ...(o.tlsCaFile ? { ca: readFileSync(o.tlsCaFile, 'utf8') } : {}) } } : {}),
  });
  const h = hdr.build({ lowestDiscernibleValue: 1, highestTrackableValue: 60e9, numberOfSignificantValueDigits: 3 });
  try {
    for (let i = 0; i < o.warmup; i++) await client.roundTrip();
    const started = performance.now();
    for (let i = 0; i < o.count; i++) h.recordValue(Math.max(1, Math.round(await client.roundTrip())));
    const seconds = (performance.now() - started) / 1000;
    const us = (p: number) => Math.round(h.getValueAtPercentile(p) / 10) / 100;
    return {
      p50_us: us(50), p90_us: us(90), p99_us: us(99), p999_us: us(99.9),
      max_us: Math.round(h.maxValue / 10) / 100, msgs_per_s: Math.round(o.count / seconds), count: o.count,
    };
  } finally {
    await client.close();
  }
}

export function parseHostPort(s: string): { host: string; port: number } | null {
  const m = /^(.+):(\d+)$/.exec(s);
  if (!m) return null;
  const port = Number(m[2]);
  return port > 0 && port < 65536 ? { host: m[1]!, port } : null;
}
