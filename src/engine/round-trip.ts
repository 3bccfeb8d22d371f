/**
 * Round-trip bookkeeping for Interval.ROUND_TRIP: when a command's bytes went to the socket, keyed by
 * its numeric ClOrdID, so the first ExecutionReport (or cancel reject) read back for that ClOrdID gives
 * command-written -> acknowledgement-read. A direct-mapped table of typed arrays: two stores per command,
 * one probe per report, no allocation. A slot reused before its answer came (more than SLOTS commands in
 * flight) just loses that sample; samples are statistics.
 */
const SLOTS = 1 << 12;
const MASK = SLOTS - 1;

export class RoundTripTable {
  private readonly ids = new Float64Array(SLOTS);
  private readonly sentNs = new Float64Array(SLOTS);

  /** The command with numeric ClOrdID `id` was written to the socket at monoNs `tNs`. */
  sent(id: number, tNs: number): void {
    const slot = id % SLOTS & MASK;
    this.ids[slot] = id;
    this.sentNs[slot] = tNs;
  }

  /** Nanoseconds since `id` was sent, once (the slot is cleared), or -1 when unknown or already answered. */
  answered(id: number, tReadNs: number): number {
    const slot = id % SLOTS & MASK;
    if (this.ids[slot] !== id) return -1;
    this.ids[slot] = 0;
    return tReadNs - this.sentNs[slot]!;
  }
}

/** Numeric value of a ClOrdID field (at most 18 digits, safe for ours), or -1. */
export function numericField(buf: Uint8Array, off: number, len: number): number {
  if (len === 0 || len > 18) return -1;
  let v = 0;
  for (let k = 0; k < len; k++) {
    const d = buf[off + k]! - 0x30;
    if (d < 0 || d > 9) return -1;
    v = v * 10 + d;
  }
  return v;
}
