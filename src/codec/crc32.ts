/**
 * CRC-32 (IEEE 802.3, reflected polynomial 0xEDB88320): the one implementation the journal's record
 * checks (bulk, slice-by-8) and Kraken's order-book checksum 5041 (byte by byte, fed digit strings as they
 * are formatted) share.
 *
 * Written here rather than taken from zlib so there is no dependency and the hot path stays a plain loop
 * over typed arrays (zlib.crc32 only exists from Node 20.15 and crosses into C++ per call, which costs
 * more than it saves for ~200-byte records).
 */

const TABLES: Int32Array = buildTables();

function buildTables(): Int32Array {
  const t = new Int32Array(256 * 8);
  for (let n = 0; n < 256; n++) {
    let c = n;
    for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
    t[n] = c;
  }
  // Table k answers "CRC of byte n followed by k zero bytes", which lets the loop fold 8 bytes at once.
  for (let n = 0; n < 256; n++) {
    let c = t[n];
    for (let k = 1; k < 8; k++) {
      c = t[c & 0xff] ^ (c >>> 8);
      t[k * 256 + n] = c;
    }
  }
  return t;
}

/**
 * Continues a CRC over bytes[start, end). Pass the previous return value as `crc` to chain
 * segments; start a fresh CRC with 0. Returns an unsigned 32-bit value.
 */
export function crc32Update(crc: number, bytes: Uint8Array, start: number, end: number): number {
  const t = TABLES;
  let c = ~crc | 0;
  let i = start;
  const end8 = end - 8;
  while (i <= end8) {
    const lo = c ^ (bytes[i] | (bytes[i + 1] << 8) | (bytes[i + 2] << 16) | (bytes[i + 3] << 24));
    c =
      t[1792 + (lo & 0xff)] ^
      t[1536 + ((lo >>> 8) & 0xff)] ^
      t[1280 + ((lo >>> 16) & 0xff)] ^
      t[1024 + (lo >>> 24)] ^
      t[768 + bytes[i + 4]] ^
      t[512 + bytes[i + 5]] ^
      t[256 + bytes[i + 6]] ^
      t[bytes[i + 7]];
    i += 8;
  }
  while (i < end) {
    c = t[(c ^ bytes[i]) & 0xff] ^ (c >>> 8);
    i++;
  }
  return ~c >>> 0;
}

/** CRC-32 of bytes[start, end). */
export function crc32(bytes: Uint8Array, start = 0, end = bytes.length): number {
  return crc32Update(0, bytes, start, end);
}

/** Running CRC state before any byte, for the byte-at-a-time form (pair with crc32Final). */
export const CRC32_INIT = -1;

/** Feeds one byte into a running CRC state (started at CRC32_INIT). */
export function crc32Byte(crc: number, b: number): number {
  return TABLES[(crc ^ b) & 0xff]! ^ (crc >>> 8);
}

/** Feeds buf[off, off + len) into a running CRC state. */
export function crc32Bytes(crc: number, buf: Uint8Array, off: number, len: number): number {
  const end = off + len;
  for (let i = off; i < end; i++) crc = TABLES[(crc ^ buf[i]!) & 0xff]! ^ (crc >>> 8);
  return crc;
}

/** The CRC of a running state, as an unsigned 32-bit value. */
export function crc32Final(crc: number): number {
  return ~crc >>> 0;
}
