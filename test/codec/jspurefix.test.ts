/**
 * Cross-check with jspurefix (its bundled QuickFIX FIX44.xml): for every message type Kraken uses,
 * messages jspurefix encodes parse to the same fields with our framer, and messages we encode parse to
 * the same fields with jspurefix. Standard FIX 4.4 only: jspurefix's dictionary has no Kraken tags.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { getDictionary } from '../../src/codec/index.js';
import { buildMessage, encodeMessage, expectedFields, newEncoder, SENDER, TARGET } from './arbitraries.js';
import { Collector } from './collect.js';
import { makeJspurefix, type Jspurefix } from './jspurefix-harness.js';

// Logon A, Heartbeat 0, TestRequest 1, ResendRequest 2, Reject 3, SequenceReset 4, Logout 5, NewOrderSingle D,
// OrderCancelRequest F, OrderCancelReplaceRequest G, OrderStatusRequest H, OrderMassCancelRequest q,
// ExecutionReport 8, BusinessMessageReject j, SecurityListRequest x, SecurityList y,
// TradingSessionStatusRequest g, TradingSessionStatus h, MarketDataRequest V, MarketDataSnapshotFullRefresh W,
// MarketDataIncrementalRefresh X, MarketDataRequestReject Y.
const KRAKEN_TYPES = ['A', '0', '1', '2', '3', '4', '5', 'D', 'F', 'G', 'H', 'q', '8', 'j', 'x', 'y', 'g', 'h', 'V', 'W', 'X', 'Y'];
const SEEDS = 12;

let jsp: Jspurefix;
beforeAll(async () => { jsp = await makeJspurefix(); });

describe('jspurefix encodes, we parse', () => {
  for (const mt of KRAKEN_TYPES) {
    it(`${mt}: same fields in the same order`, () => {
      let groupsSeen = 0;
      for (let seed = 1; seed <= SEEDS; seed++) {
        const obj = jsp.generate(mt, [0.3, 0.6, 1][seed % 3]!, seed * 1009);
        const wire = jsp.encode(mt, obj, seed);
        const theirs = jsp.parse(wire);
        expect(theirs).toHaveLength(1);
        const ours = new Collector().push(wire);
        expect(ours.errors).toEqual([]);
        expect(ours.messages).toHaveLength(1);
        expect(ours.messages[0]!.fields).toEqual(theirs[0]!.fields);
        const mtCode = mt.length === 1 ? mt.charCodeAt(0) : mt.charCodeAt(0) * 256 + mt.charCodeAt(1);
        expect(ours.messages[0]!.msgTypeCode).toBe(mtCode);
        const def = getDictionary({ kraken: false }).message(mt)!;
        for (const ct of def.groups.keys()) if (ours.messages[0]!.fields.some(([t]) => t === ct)) groupsSeen++;
      }
      if (getDictionary({ kraken: false }).message(mt)!.groups.size > 0) expect(groupsSeen).toBeGreaterThan(0);
    });
  }
});

describe('we encode, jspurefix parses', () => {
  const plain = getDictionary({ kraken: false });
  const enc = newEncoder();
  for (const mt of KRAKEN_TYPES) {
    it(`${mt}: same fields in the same order`, () => {
      for (let seed = 1; seed <= SEEDS; seed++) {
        // No SOH inside DATA values here: jspurefix 5.11 cuts RawData/EncodedText at the first SOH
        // (our framer reads them by their length field, see codec.test.ts).
        const m = buildMessage(plain, plain.message(mt)!, seed * 7717 + mt.charCodeAt(0), false);
        const wire = encodeMessage(enc, m);
        const theirs = jsp.parse(wire);
        expect(theirs).toHaveLength(1);
        expect(theirs[0]!.msgType).toBe(mt);
        const ours = new Collector().push(wire).messages[0]!.fields;
        expect(theirs[0]!.fields).toEqual(ours);
        expect(theirs[0]!.fields.slice(2, -1)).toEqual(expectedFields(m, SENDER, TARGET));
      }
    });
  }
});
