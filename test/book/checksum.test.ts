import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import {
  BookStatus,
  CRC32_INIT,
  L2Book,
  L3Book,
  MDEntryType,
  MDUpdateAction,
  crc32Bytes,
  crc32Final,
  crc32Scaled,
  crc32String,
  l2BookChecksum,
  l3BookChecksum,
  parseScaledString,
} from '../../src/book/index.js';
import { applyL2Incremental, applyL2Snapshot, slowChecksum } from './helpers.js';

const { Bid, Offer } = MDEntryType;

describe('CRC32 (ISO-HDLC)', () => {
  it('matches the standard check value', () => {
    expect(crc32String('123456789')).toBe(3421780262);
    expect(crc32String('')).toBe(0);
    const bytes = new TextEncoder().encode('xx123456789yy');
    expect(crc32Final(crc32Bytes(CRC32_INIT, bytes, 2, 9))).toBe(3421780262);
  });

  it('feeds scaled integers as their digits without leading zeros', () => {
    fc.assert(
      fc.property(fc.array(fc.nat({ max: Number.MAX_SAFE_INTEGER }), { maxLength: 8 }), (vals) => {
        let crc = CRC32_INIT;
        for (const v of vals) crc = crc32Scaled(crc, v);
        expect(crc32Final(crc)).toBe(crc32String(vals.map((v) => (v === 0 ? '' : String(v))).join('')));
      }),
      { numRuns: 300 },
    );
  });
});

describe('L2 book checksum', () => {
  it("reproduces Kraken's published book checksum (WS v1 guide example, 974947235)", () => {
    // Book from Kraken's v1 checksum guide: price decimals 5, qty decimals 8, every level 0.00000500.
    const book = new L2Book({ depthCap: 100 });
    const asks = ['0.05005', '0.05010', '0.05015', '0.05020', '0.05025', '0.05030', '0.05035', '0.05040', '0.05045', '0.05050'];
    const bids = ['0.05000', '0.04995', '0.04990', '0.04980', '0.04975', '0.04970', '0.04965', '0.04960', '0.04955', '0.04950'];
    const entries: [number, string, string][] = [
      ...asks.map((p) => [Offer, p, '0.00000500'] as [number, string, string]),
      ...bids.map((p) => [Bid, p, '0.00000500'] as [number, string, string]),
      [Bid, '0.04900', '1.5'], // 11th bid: outside the checksum's top 10
      [Offer, '0.06000', '2'],
    ];
    expect(applyL2Snapshot(book, 5, 8, entries, 974947235)).toBe(BookStatus.Ok);
    expect(l2BookChecksum(book)).toBe(974947235);
  });

  it('matches the slow string path on a worked BTC/USD example (2349=1, 5010=8)', () => {
    const book = new L2Book({ depthCap: 25 });
    const snap: [number, string, string][] = [
      [Offer, '30300.7', '0.5'],
      [Offer, '30301.0', '0.00096506'],
      [Offer, '30310.5', '12'],
      [Bid, '30299.9', '1.25'],
      [Bid, '30290.0', '0.0031746'],
    ];
    expect(applyL2Snapshot(book, 1, 8, snap)).toBe(BookStatus.Ok);
    // asks "303007"+"50000000", "303010"+"96506", "303105"+"1200000000"; bids "302999"+"125000000", "302900"+"317460"
    const expected = crc32String('30300750000000' + '30301096506' + '3031051200000000' + '302999125000000' + '302900317460');
    expect(slowChecksum(
      [[303007, 50000000], [303010, 96506], [303105, 1200000000]],
      [[302999, 125000000], [302900, 317460]],
      1, 8,
    )).toBe(expected);
    expect(l2BookChecksum(book)).toBe(expected);
    // An incremental carrying the right 5041 passes; a wrong one is a consistency break.
    const after = slowChecksum([[303010, 96506], [303105, 1200000000]], [[302999, 125000000], [302900, 317460]], 1, 8);
    expect(applyL2Incremental(book, 1, 8, [[MDUpdateAction.Delete, Offer, '30300.7', '0.0']], after)).toBe(BookStatus.Ok);
    expect(applyL2Incremental(book, 1, 8, [[MDUpdateAction.Change, Bid, '30299.9', '1']], after)).toBe(
      BookStatus.ChecksumMismatch,
    );
    expect(book.isLive()).toBe(false);
  });

  it('covers only the top 10 levels per side', () => {
    const book = new L2Book({ depthCap: 50 });
    book.beginSnapshot();
    for (let i = 0; i < 30; i++) {
      book.applySnapshotEntry(Offer, 1000 + i, 7 + i);
      book.applySnapshotEntry(Bid, 999 - i, 3 + i);
    }
    expect(book.endMessage(-1)).toBe(BookStatus.Ok);
    const asks = Array.from({ length: 10 }, (_, i) => [1000 + i, 7 + i] as const);
    const bids = Array.from({ length: 10 }, (_, i) => [999 - i, 3 + i] as const);
    expect(l2BookChecksum(book)).toBe(slowChecksum(asks, bids, 2, 3));
  });
});

describe('L3 book checksum [ASSUME per-order, queue order]', () => {
  it('iterates every order of the top 10 levels in queue order', () => {
    const book = new L3Book({ depthCap: 20, maxOrders: 64 });
    book.beginSnapshot();
    book.applySnapshotEntryStr(Offer, 'A1', parseScaledString('100.5', 1), parseScaledString('0.1', 8));
    book.applySnapshotEntryStr(Offer, 'A2', parseScaledString('100.5', 1), parseScaledString('0.2', 8));
    book.applySnapshotEntryStr(Offer, 'A3', parseScaledString('101.0', 1), parseScaledString('3', 8));
    book.applySnapshotEntryStr(Bid, 'B1', parseScaledString('99.0', 1), parseScaledString('0.05', 8));
    book.applySnapshotEntryStr(Bid, 'B2', parseScaledString('99.5', 1), parseScaledString('1', 8));
    book.applySnapshotEntryStr(Bid, 'B3', parseScaledString('99.0', 1), parseScaledString('0.25', 8));
    expect(book.endMessage(-1)).toBe(BookStatus.Ok);
    const s = '1005' + '10000000' + '1005' + '20000000' + '1010' + '300000000' + '995' + '100000000' + '990' + '5000000' + '990' + '25000000';
    expect(l3BookChecksum(book)).toBe(crc32String(s));
    // Swapping queue order changes the checksum: it does verify priority.
    const swapped = '1005' + '20000000' + '1005' + '10000000' + '1010' + '300000000' + '995' + '100000000' + '990' + '5000000' + '990' + '25000000';
    expect(l3BookChecksum(book)).not.toBe(crc32String(swapped));
  });
});

describe('checksum verification paths', () => {
  const enc = new TextEncoder();
  function smallBook(opts: { checksumInterval?: number } = {}): L2Book {
    const b = new L2Book({ depthCap: 10, ...opts });
    b.beginSnapshot();
    b.applySnapshotEntry(Bid, 999, 5);
    b.applySnapshotEntry(Offer, 1001, 7);
    expect(b.endMessage(-1)).toBe(BookStatus.Ok);
    return b;
  }
  const good = crc32String('1001' + '7' + '999' + '5');

  it('endMessageChecksumBytes compares the ASCII 5041 straight from the wire', () => {
    const b = smallBook();
    const wire = enc.encode(`5041=${good}\x01`);
    b.beginIncremental();
    expect(b.endMessageChecksumBytes(wire, 5, wire.length - 6)).toBe(BookStatus.Ok);
    expect(b.lastComputedChecksum).toBe(good);
    const bad = enc.encode(String((good + 1) % 2 ** 32));
    b.beginIncremental();
    expect(b.endMessageChecksumBytes(bad, 0, bad.length)).toBe(BookStatus.ChecksumMismatch);
    const junk = enc.encode('12a4');
    const b2 = smallBook();
    b2.beginIncremental();
    expect(b2.endMessageChecksumBytes(junk, 0, junk.length)).toBe(BookStatus.InvalidNumber);
    const tooBig = enc.encode('4294967296');
    const b3 = smallBook();
    b3.beginIncremental();
    expect(b3.endMessageChecksumBytes(tooBig, 0, tooBig.length)).toBe(BookStatus.InvalidNumber);
    const b4 = smallBook();
    b4.beginIncremental();
    expect(b4.endMessageChecksumBytes(junk, 0, 0)).toBe(BookStatus.Ok); // len 0: message had no 5041
  });

  it('endMessage(number) rejects non-integer and out-of-range 5041 as mismatches', () => {
    for (const v of [good + 0.5, 2 ** 32 + good, -2]) {
      const b = smallBook();
      b.beginIncremental();
      expect(b.endMessage(v)).toBe(BookStatus.ChecksumMismatch);
    }
  });

  it('checksumInterval verifies every Nth checksummed message (first after a snapshot always)', () => {
    const c = smallBook({ checksumInterval: 3 });
    const seq: number[] = [];
    c.beginIncremental();
    seq.push(c.endMessage(good));
    for (let i = 0; i < 2; i++) {
      c.beginIncremental();
      seq.push(c.endMessage(12345)); // skipped: not verified
    }
    c.beginIncremental();
    seq.push(c.endMessage(12345)); // third after the last check: verified
    expect(seq).toEqual([BookStatus.Ok, BookStatus.Ok, BookStatus.Ok, BookStatus.ChecksumMismatch]);
    // After the resubscribe snapshot the first checksummed message is verified again.
    c.beginSnapshot();
    c.applySnapshotEntry(Bid, 999, 5);
    c.applySnapshotEntry(Offer, 1001, 7);
    expect(c.endMessage(-1)).toBe(BookStatus.Ok);
    c.beginIncremental();
    expect(c.endMessage(12345)).toBe(BookStatus.ChecksumMismatch);
  });
});
