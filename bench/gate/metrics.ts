/**
 * What the gate runs and which ratios it derives. Each benchmark is a child process printing one
 * JSON object on its last stdout line (--json); each metric is computed from the outputs of one
 * "round" (one run of each benchmark), and the gate takes the median over rounds.
 */
import type { MetricDef } from './compare.js';

export type BenchId = 'codec' | 'ipc' | 'postmessage' | 'rtt';

export interface GateBench {
  id: BenchId;
  /** Script under dist/bench. */
  script: string;
  nodeArgs: string[];
  args: string[];
  timeoutMs: number;
  /** Only run when this other bench's script exists (a baseline is useless without its subject). */
  onlyWith?: BenchId;
}

export const GATE_BENCHES: GateBench[] = [
  { id: 'codec', script: 'codec.bench.js', nodeArgs: ['--expose-gc'], args: ['--json'], timeoutMs: 100_000 },
  { id: 'ipc', script: 'ipc.bench.js', nodeArgs: [], args: ['--json'], timeoutMs: 90_000 },
  { id: 'postmessage', script: 'gate/postmessage-baseline.js', nodeArgs: [], args: ['--json'], timeoutMs: 40_000, onlyWith: 'ipc' },
  // --need kfix: while our engine has no round-trip client the rtt bench returns at once with nulls.
  { id: 'rtt', script: 'rtt/rtt.bench.js', nodeArgs: [], args: ['--quick', '--json', '--series', 'quickfix,kfix', '--need', 'kfix'], timeoutMs: 60_000 },
];

export type BenchOutputs = Partial<Record<BenchId, Record<string, unknown> | null>>;

export interface GateMetric extends MetricDef {
  benches: BenchId[];
  /** Key of the reference figure (for the table), as [bench, key]. */
  referenceKey: [BenchId, string];
  ratio(outputs: BenchOutputs): number | null;
}

function num(outputs: BenchOutputs, bench: BenchId, key: string): number | null {
  const v = outputs[bench]?.[key];
  return typeof v === 'number' && Number.isFinite(v) ? v : null;
}

/** a ÷ b when both are positive numbers, else null (a missing figure is "not measured", never 0). */
export function ratioOf(a: number | null, b: number | null): number | null {
  return a !== null && b !== null && a > 0 && b > 0 ? a / b : null;
}

function keyRatio(bench: BenchId, ours: string, ref: string) {
  return (o: BenchOutputs): number | null => ratioOf(num(o, bench, ours), num(o, bench, ref));
}

export const GATE_METRICS: GateMetric[] = [
  {
    id: 'codec_parse_vs_jspurefix',
    reference: 'jspurefix parse msgs/s',
    higherIsBetter: true,
    benches: ['codec'],
    referenceKey: ['codec', 'jspurefix_parse_msgs_per_s'],
    ratio: keyRatio('codec', 'parse_msgs_per_s', 'jspurefix_parse_msgs_per_s'),
  },
  {
    id: 'codec_encode_vs_jspurefix',
    reference: 'jspurefix encode msgs/s',
    higherIsBetter: true,
    benches: ['codec'],
    referenceKey: ['codec', 'jspurefix_encode_msgs_per_s'],
    ratio: keyRatio('codec', 'encode_msgs_per_s', 'jspurefix_encode_msgs_per_s'),
  },
  {
    id: 'codec_parse_vs_quickfix',
    reference: 'QuickFIX C++ parse msgs/s',
    higherIsBetter: true,
    benches: ['codec'],
    referenceKey: ['codec', 'quickfix_parse_msgs_per_s'],
    ratio: keyRatio('codec', 'parse_msgs_per_s', 'quickfix_parse_msgs_per_s'),
  },
  {
    id: 'codec_encode_vs_quickfix',
    reference: 'QuickFIX C++ encode msgs/s',
    higherIsBetter: true,
    benches: ['codec'],
    referenceKey: ['codec', 'quickfix_encode_msgs_per_s'],
    ratio: keyRatio('codec', 'encode_msgs_per_s', 'quickfix_encode_msgs_per_s'),
  },
  {
    id: 'ipc_spsc_vs_postmessage',
    reference: 'postMessage events/s (same records)',
    higherIsBetter: true,
    benches: ['ipc', 'postmessage'],
    referenceKey: ['postmessage', 'postmessage_events_per_s'],
    ratio: (o) => ratioOf(num(o, 'ipc', 'ipc_throughput_events_per_s'), num(o, 'postmessage', 'postmessage_events_per_s')),
  },
  {
    id: 'rtt_p50_vs_quickfix',
    reference: 'QuickFIX<->QuickFIX RTT p50 µs',
    higherIsBetter: false,
    benches: ['rtt'],
    referenceKey: ['rtt', 'quickfix_p50_us'],
    ratio: keyRatio('rtt', 'kfix_p50_us', 'quickfix_p50_us'),
  },
  {
    id: 'rtt_p90_vs_quickfix',
    reference: 'QuickFIX<->QuickFIX RTT p90 µs',
    higherIsBetter: false,
    benches: ['rtt'],
    referenceKey: ['rtt', 'quickfix_p90_us'],
    ratio: keyRatio('rtt', 'kfix_p90_us', 'quickfix_p90_us'),
  },
  {
    id: 'rtt_p99_vs_quickfix',
    reference: 'QuickFIX<->QuickFIX RTT p99 µs (shown, not gated)',
    higherIsBetter: false,
    // 5,000 round trips: the p99 is 50 samples, moved several-fold by scheduling on a shared VM.
    informational: true,
    benches: ['rtt'],
    referenceKey: ['rtt', 'quickfix_p99_us'],
    ratio: keyRatio('rtt', 'kfix_p99_us', 'quickfix_p99_us'),
  },
];

export function referenceValue(m: GateMetric, outputs: BenchOutputs): number | null {
  return num(outputs, m.referenceKey[0], m.referenceKey[1]);
}
