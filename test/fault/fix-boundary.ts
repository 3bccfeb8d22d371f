/**
 * Streaming detector of FIX message boundaries for the fault proxy: a message starts at `8=FIX`
 * (outside a message) and ends at the SOH closing `SOH 10=...`. Byte-at-a-time so it works on any
 * chunking; it is a heuristic for counting and cutting messages, not a validator (a message cut
 * short and followed by a new one counts as one until the next `SOH 10=...SOH`).
 */

const SOH = 0x01;
const BEGIN = [0x38, 0x3d, 0x46, 0x49, 0x58]; // 8=FIX

export const enum Boundary {
  NONE = 0,
  /** The byte just stepped completed `8=FIX`: a message started 4 bytes earlier. */
  START = 1,
  /** The byte just stepped is the SOH ending the CheckSum field. */
  END = 2,
}

export class FixBoundaryScanner {
  /** Stream offset of the next byte. */
  offset = 0;
  /** Number of message starts seen; the current message's 1-based index while inside one. */
  messages = 0;
  /** Messages whose end was seen. */
  completed = 0;
  inMessage = false;
  /** Stream offset of the current (or last) message's `8`. */
  messageStart = -1;
  /** Outside a message: how many bytes of `8=FIX` the stream currently ends with. */
  prefix = 0;
  /** Inside a message: 0 none, 1 after SOH, 2 `1`, 3 `0`, 4 in the CheckSum value. */
  private trailer = 0;

  step(b: number): Boundary {
    this.offset++;
    if (!this.inMessage) {
      if (b === BEGIN[this.prefix]) {
        this.prefix++;
        if (this.prefix === BEGIN.length) {
          this.prefix = 0;
          this.inMessage = true;
          this.trailer = 0;
          this.messages++;
          this.messageStart = this.offset - BEGIN.length;
          return Boundary.START;
        }
      } else {
        this.prefix = b === BEGIN[0] ? 1 : 0;
      }
      return Boundary.NONE;
    }
    switch (this.trailer) {
      case 4:
        if (b === SOH) {
          this.inMessage = false;
          this.trailer = 0;
          this.completed++;
          return Boundary.END;
        }
        return Boundary.NONE;
      case 1:
        this.trailer = b === 0x31 ? 2 : b === SOH ? 1 : 0;
        return Boundary.NONE;
      case 2:
        this.trailer = b === 0x30 ? 3 : b === SOH ? 1 : 0;
        return Boundary.NONE;
      case 3:
        this.trailer = b === 0x3d ? 4 : b === SOH ? 1 : 0;
        return Boundary.NONE;
      default:
        this.trailer = b === SOH ? 1 : 0;
        return Boundary.NONE;
    }
  }
}
