/**
 * Journal record format (little-endian):
 *
 *   [0..4)   u32 payload length
 *   [4]      u8  record type (RecordType)
 *   [5..8)   3 reserved bytes, always zero (a cheap corruption check before the CRC)
 *   [8..12)  u32 CRC-32 over bytes [0..8) and the payload, so a damaged length or type is caught too
 *   [12..)   payload
 *
 * Payloads:
 *   Identity    u16 format version, UTF-8 session identity. Always the first record of a file.
 *   Reset       f64 session start (epoch microseconds). Sequence numbers 1/1, stored messages dropped.
 *   Outbound    u32 MsgSeqNum, then the exact wire bytes. An empty message means an admin message:
 *               the number is consumed (next sender = seq + 1) but nothing is replayable.
 *   NextSender  u32 next outbound MsgSeqNum (operator or session set it).
 *   NextTarget  u32 next inbound MsgSeqNum.
 */

export const HEADER_SIZE = 12;
export const FORMAT_VERSION = 1;
/** Upper bound for one payload. A larger length in a header means the header is damaged. */
export const MAX_PAYLOAD = 16 * 1024 * 1024;
/** Largest MsgSeqNum representable in the u32 payload fields (FIX's int is signed 32-bit). */
export const MAX_SEQ = 0x7fffffff;

export const enum RecordType {
  Identity = 1,
  Reset = 2,
  Outbound = 3,
  NextSender = 4,
  NextTarget = 5,
}

export function isKnownRecordType(t: number): boolean {
  return t >= RecordType.Identity && t <= RecordType.NextTarget;
}

/** Minimum and maximum payload length for each type; -1 max means "up to MAX_PAYLOAD". */
export function payloadLengthValid(type: number, length: number): boolean {
  switch (type) {
    case RecordType.Identity:
      return length >= 2;
    case RecordType.Reset:
      return length === 8;
    case RecordType.Outbound:
      return length >= 4;
    case RecordType.NextSender:
    case RecordType.NextTarget:
      return length === 4;
    default:
      return false;
  }
}
