/** FIX CheckSum (10): sum of all bytes before the CheckSum field, modulo 256. */
export function checksum(buf: Uint8Array, start: number, end: number): number {
  let sum = 0;
  let i = start;
  // Unrolled by four: the loop-carried add is the bottleneck, not the loads.
  for (const stop = end - 3; i < stop; i += 4) sum += buf[i]! + buf[i + 1]! + buf[i + 2]! + buf[i + 3]!;
  for (; i < end; i++) sum += buf[i]!;
  return sum & 0xff;
}
