/** What the framer reports when bytes do not form a valid FIX 4.4 frame. */

export const FramingErrorCode = {
  /** Bytes that do not start a message (`8=`), skipped up to the next `8=FIX`. */
  GARBAGE: 1,
  /** BeginString is not FIX.4.4 (the frame is consumed so a session can answer it). */
  BEGIN_STRING: 2,
  /** BodyLength missing, malformed, or not where the CheckSum field really is. */
  BODY_LENGTH: 3,
  /** CheckSum value wrong or not three digits. */
  CHECKSUM: 4,
  /** A field is not `digits=value` (no tag, non-digit tag, leading zero, missing `=`). */
  TAG_SYNTAX: 5,
  /** BodyLength above maxMessageSize. */
  MESSAGE_TOO_LARGE: 6,
  /** More fields than the view holds. */
  TOO_MANY_FIELDS: 7,
  /** The third field is not MsgType (35). */
  MSGTYPE_POSITION: 8,
  /** A new message began before this one's declared end: it was cut short. */
  TRUNCATED: 9,
} as const;
export type FramingErrorCode = (typeof FramingErrorCode)[keyof typeof FramingErrorCode];
export const FRAMING_ERROR_NAMES: Record<number, string> = Object.fromEntries(
  Object.entries(FramingErrorCode).map(([k, v]) => [v, k]),
);

export interface FramingError {
  code: FramingErrorCode;
  /** Stream offset (bytes since the framer started) where the bad frame or garbage begins. */
  frameOffset: number;
  /** Stream offset of the byte found wrong. */
  byteOffset: number;
  /** Bytes dropped from the stream because of this error (from frameOffset). */
  skipped: number;
  detail: string;
}
